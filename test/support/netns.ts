// Network namespaces for tests that send multicast or broadcast: such traffic must never
// leave from the machine's own namespace. Each test makes its own namespaces (named
// takd-test-<random>), joins them with veth pairs, and deletes them afterwards.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/** Why namespace tests cannot run here, or undefined when they can. */
export function netnsUnavailableReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root to create network namespaces (runs in CI as root)';
  try {
    execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
  } catch {
    return "'ip netns' is not available (install iproute2)";
  }
  // Root in a container may still lack the kernel features: try them once.
  const probe = `takd-test-probe-${randomBytes(4).toString('hex')}`;
  try {
    execFileSync('ip', ['netns', 'add', probe], { stdio: 'ignore' });
    execFileSync('ip', ['-n', probe, 'link', 'add', 'p0', 'type', 'veth', 'peer', 'name', 'p1'], { stdio: 'ignore' });
    execFileSync('ip', ['-n', probe, 'link', 'add', 'pbr', 'type', 'bridge'], { stdio: 'ignore' });
  } catch {
    return 'this kernel or container cannot create namespaces with veth pairs and bridges';
  } finally {
    try {
      execFileSync('ip', ['netns', 'del', probe], { stdio: 'ignore' });
    } catch {
      // the namespace was never created
    }
  }
  return undefined;
}

export function commandAvailable(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export class NetNs {
  private constructor(readonly name: string) {}

  static create(): NetNs {
    const ns = new NetNs(`takd-test-${randomBytes(4).toString('hex')}`);
    execFileSync('ip', ['netns', 'add', ns.name]);
    ns.run('ip', 'link', 'set', 'lo', 'up');
    return ns;
  }

  /** Runs a command inside the namespace and returns its stdout. */
  run(command: string, ...args: string[]): string {
    return execFileSync('ip', ['netns', 'exec', this.name, command, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  spawn(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
    return spawn('ip', ['netns', 'exec', this.name, command, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  }

  delete(): void {
    try {
      // Any process still inside is killed first, or the namespace would linger.
      const pids = execFileSync('ip', ['netns', 'pids', this.name], { encoding: 'utf8' }).split(/\s+/).filter((p) => p !== '');
      for (const pid of pids) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // already gone
        }
      }
    } catch {
      // the namespace may already be gone
    }
    try {
      execFileSync('ip', ['netns', 'del', this.name], { stdio: 'ignore' });
    } catch {
      // already deleted
    }
  }
}

/** A veth pair with one end in each namespace, addressed and up (addresses in CIDR form). */
export function connect(a: NetNs, aIf: string, aAddr: string, b: NetNs, bIf: string, bAddr: string): void {
  execFileSync('ip', ['link', 'add', aIf, 'netns', a.name, 'type', 'veth', 'peer', 'name', bIf, 'netns', b.name]);
  a.run('ip', 'addr', 'add', aAddr, 'dev', aIf);
  b.run('ip', 'addr', 'add', bAddr, 'dev', bIf);
  a.run('ip', 'link', 'set', aIf, 'up');
  b.run('ip', 'link', 'set', bIf, 'up');
}
