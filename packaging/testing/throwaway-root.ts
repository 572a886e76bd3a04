// A throwaway root for installing the .deb: this machine's own root file system seen
// through an overlay (writes land in a temporary upper directory), entered with chroot in a
// private mount namespace, so nothing is mounted or written outside the temporary dir and
// the mounts vanish with the process. Needs root and overlayfs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RootResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

// Runs as `sh -c ENTER sh UPPER WORK MERGED SHARED SCRIPT`.
const ENTER = `set -e
upper=$1 work=$2 merged=$3 shared=$4 script=$5
mount -t overlay overlay -o "lowerdir=/,upperdir=$upper,workdir=$work" "$merged"
mount --rbind /dev "$merged/dev"
mount -t proc proc "$merged/proc"
mkdir -p "$merged/mnt/shared"
mount --bind "$shared" "$merged/mnt/shared"
exec chroot "$merged" /bin/sh -c "$script"`;

// Runs as `sh -c BOOT sh UPPER WORK MERGED SHARED`: the same overlay, booted by
// systemd-nspawn with its own network namespace (nothing reaches this machine's network),
// without registering with a host systemd (there may be none).
const BOOT = `set -e
upper=$1 work=$2 merged=$3 shared=$4
mount -t overlay overlay -o "lowerdir=/,upperdir=$upper,workdir=$work" "$merged"
exec systemd-nspawn -D "$merged" --boot --private-network --register=no --keep-unit --link-journal=no \\
  --uuid="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \\n')" --bind="$shared:/mnt/shared" --console=pipe`;

// Runs as `sh -c CONTAINER_PROBE sh UPPER WORK MERGED`: the same overlay, one command run by
// systemd-nspawn (no boot), to learn whether containers can be started here at all.
const CONTAINER_PROBE = `set -e
upper=$1 work=$2 merged=$3
mount -t overlay overlay -o "lowerdir=/,upperdir=$upper,workdir=$work" "$merged"
exec systemd-nspawn --quiet -D "$merged" --private-network --register=no --keep-unit --link-journal=no /bin/true`;

export class ThrowawayRoot {
  private readonly dir = mkdtempSync(join(tmpdir(), 'takd-root-'));
  /** Seen inside the root as /mnt/shared. */
  readonly shared = join(this.dir, 'shared');

  constructor() {
    for (const sub of ['upper', 'work', 'merged', 'shared']) mkdirSync(join(this.dir, sub));
  }

  /** Why a throwaway root cannot be made here, or undefined. */
  static unavailableReason(): string | undefined {
    if (process.getuid?.() !== 0) return 'installing a .deb into a throwaway root needs root';
    const probe = new ThrowawayRoot();
    try {
      const result = probe.run('test -x /usr/bin/dpkg && command -v adduser >/dev/null && echo ok');
      if (result.stdout.trim() !== 'ok') return `cannot enter an overlay chroot here: ${result.stderr.trim() || 'dpkg or adduser missing'}`;
      return undefined;
    } finally {
      probe.remove();
    }
  }

  /** Why the root cannot be booted with systemd-nspawn here (given that unavailableReason()
   *  says it can be made), or undefined: nspawn installed, an init to boot, a container starts. */
  static bootUnavailableReason(): string | undefined {
    if (spawnSync('systemd-nspawn', ['--version'], { stdio: 'ignore' }).status !== 0) return 'needs systemd-nspawn (apt: systemd-container)';
    if (!existsSync('/lib/systemd/systemd')) return 'booting the throwaway root needs systemd as its init (apt: systemd)';
    const probe = new ThrowawayRoot();
    try {
      const result = spawnSync('unshare', ['--mount', '--propagation', 'private', '/bin/sh', '-c', CONTAINER_PROBE, 'sh', join(probe.dir, 'upper'), join(probe.dir, 'work'), join(probe.dir, 'merged')], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 60_000,
        env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' },
      });
      if (result.status !== 0) return `systemd-nspawn cannot start a container here: ${(result.stderr ?? '').trim().split('\n')[0] || `status ${result.status}`}`;
      return undefined;
    } finally {
      probe.remove();
    }
  }

  /** Runs a shell script inside the root, with the overlay state of earlier runs. */
  run(script: string): RootResult {
    const result = spawnSync(
      'unshare',
      ['--mount', '--propagation', 'private', '/bin/sh', '-c', ENTER, 'sh', join(this.dir, 'upper'), join(this.dir, 'work'), join(this.dir, 'merged'), this.shared, script],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000, env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', DEBIAN_FRONTEND: 'noninteractive', LANG: 'C.UTF-8' } },
    );
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  /** Boots the root with systemd-nspawn until something inside powers it off (on timeout,
   *  SIGTERM makes nspawn halt the container). */
  boot(timeoutMs = 180_000): RootResult {
    const result = spawnSync(
      'unshare',
      ['--mount', '--propagation', 'private', '/bin/sh', '-c', BOOT, 'sh', join(this.dir, 'upper'), join(this.dir, 'work'), join(this.dir, 'merged'), this.shared],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs, env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' } },
    );
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
