// The .deb: built once per version (uncompressed: the test checks contents, not size),
// installed into a throwaway root (this machine's root through an overlay, chroot, private
// mount namespace), then checked across an upgrade, a remove and a purge: files, the takd
// user in dialout, the enabled unit, and an edited conffile that survives the upgrade.
// Also: the unit passes systemd-analyze verify, and lintian is clean apart from the
// documented overrides. Booted under systemd-nspawn (a private network namespace): READY,
// the watchdog, restart on upgrade and stop on remove as systemd itself sees them.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildDeb, type BuiltDeb } from '../packaging/build/deb.js';
import { NODE_V8_FLAGS } from '../packaging/runtime/node-flags.js';
import { binaryUnavailableReason, commandWorks, mib, SIZE_BUDGET } from '../packaging/testing/binaries.js';
import { ThrowawayRoot } from '../packaging/testing/throwaway-root.js';
import { repoRoot } from './support/paths.js';

const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
const UPGRADE_VERSION = `${version}+upgrade1`;

const unavailable = binaryUnavailableReason('x64') ?? (commandWorks('dpkg-deb', ['--version']) ? undefined : 'needs dpkg-deb');
const noRoot = unavailable ?? ThrowawayRoot.unavailableReason();

/** Paths in the package, as installed (`/usr/bin/takd`). */
function packageFiles(deb: string): string[] {
  const listing = execFileSync('dpkg-deb', ['-c', deb], { encoding: 'utf8' });
  return listing.split('\n').filter(Boolean).map((line) => line.split(/\s+/).slice(5).join(' ').replace(/^\./, ''));
}

/** One file's bytes from inside the package. */
function packageFile(deb: string, path: string): Buffer {
  const result = spawnSync('sh', ['-c', 'dpkg-deb --fsys-tarfile "$1" | tar -xOf - ".$2"', 'sh', deb, path], { maxBuffer: 256 * 1024 * 1024 });
  assert.equal(result.status, 0, result.stderr.toString());
  return result.stdout;
}

/** The test packages are uncompressed to save build time; releases use xz. */
const LINTIAN_ARGS = ['--fail-on', 'error,warning', '--suppress-tags', 'uses-no-compression-for-control-tarball,uses-no-compression-for-data-tarball'];

/** Probed only where a throwaway root can be made: it starts a container. */
const noBoot = noRoot ?? ThrowawayRoot.bootUnavailableReason();

/** A oneshot after takd.service (which is Type=notify: after READY) that runs the probe. */
const PROBE_UNIT = '[Unit]\\nAfter=takd.service\\n[Service]\\nType=oneshot\\nExecStart=/usr/local/sbin/takd-probe\\n[Install]\\nWantedBy=multi-user.target\\n';

describe('takd .deb (amd64)', { skip: unavailable }, () => {
  const outDir = mkdtempSync(join(tmpdir(), 'takd-deb-'));
  let root: ThrowawayRoot | undefined;
  let first: BuiltDeb;
  let upgrade: BuiltDeb;

  before(async () => {
    first = await buildDeb({ repoRoot, arch: 'amd64', compression: 'none', outDir });
    upgrade = await buildDeb({ repoRoot, arch: 'amd64', compression: 'none', version: UPGRADE_VERSION, outDir });
  }, { timeout: 300_000 });
  after(() => {
    root?.remove();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('holds the binary, addons, unit, conffile and documentation', () => {
    const files = packageFiles(first.path);
    for (const path of [
      '/usr/bin/takd',
      '/usr/lib/takd/serialport.node',
      '/usr/lib/takd/takd-native.node',
      '/lib/systemd/system/takd.service',
      '/etc/takd/takd.ini',
      '/usr/share/doc/takd/copyright',
      '/usr/share/doc/takd/changelog.gz',
      '/usr/share/doc/takd/examples/demo.ini',
      '/usr/share/man/man1/takd.1.gz',
    ]) {
      assert.ok(files.includes(path), `${path} in the package`);
    }
    const fields = execFileSync('dpkg-deb', ['-f', first.path, 'Package', 'Version', 'Architecture', 'Depends'], { encoding: 'utf8' });
    assert.match(fields, new RegExp(`Version: ${version.replace(/\./g, '\\.')}\n`));
    assert.match(fields, /Architecture: amd64/);
    assert.match(fields, /Depends: .*\budev\b/);
    assert.equal(execFileSync('dpkg-deb', ['--info', first.path, 'conffiles'], { encoding: 'utf8' }).trim(), '/etc/takd/takd.ini');
  });

  describe('install, upgrade, remove, purge in a throwaway root', { skip: noRoot }, () => {
    before(() => {
      root = new ThrowawayRoot();
      copyFileSync(first.path, join(root.shared, 'first.deb'));
      copyFileSync(upgrade.path, join(root.shared, 'upgrade.deb'));
    });

    function inRoot(script: string): string {
      assert.ok(root);
      const result = root.run(script);
      assert.equal(result.status, 0, `${script}\n${result.stdout}\n${result.stderr}`);
      return result.stdout;
    }

    it('install: files, a system user takd in dialout, the unit enabled, a valid default config', () => {
      inRoot('dpkg -i /mnt/shared/first.deb </dev/null');
      assert.equal(inRoot('/usr/bin/takd --version'), `takd ${version}\n`);
      const [name, , uid, , , home, shell] = inRoot('getent passwd takd').trim().split(':');
      assert.equal(name, 'takd');
      assert.ok(Number(uid) < 1000, `system uid (${uid})`);
      assert.equal(home, '/var/lib/takd');
      assert.match(shell, /nologin|false/);
      assert.ok(inRoot('id -nG takd').trim().split(' ').includes('dialout'));
      inRoot('test -L /etc/systemd/system/multi-user.target.wants/takd.service');
      inRoot('test -f /usr/lib/takd/serialport.node && test -f /etc/takd/takd.ini');
      // Every key is there, commented; the file as shipped is a valid configuration.
      assert.match(inRoot('cat /etc/takd/takd.ini'), /^;callsign =/m);
      inRoot('takd config check -c /etc/takd/takd.ini');
    });

    it('systemd-analyze verify accepts the installed unit; security exposure recorded', (t) => {
      inRoot('systemd-analyze verify /lib/systemd/system/takd.service');
      const security = root?.run('systemd-analyze security --offline=true takd.service');
      const exposure = /Overall exposure level for takd\.service: ([\d.]+)/.exec(security?.stdout ?? '')?.[1];
      assert.ok(exposure !== undefined, `an exposure score (${security?.stderr})`);
      assert.ok(Number(exposure) <= 2.5, `exposure ${exposure} stays in the OK band`);
      t.diagnostic(`systemd-analyze security exposure: ${exposure}`);
    });

    it('upgrade to a newer version keeps an edited conffile without asking', () => {
      inRoot('printf "\\n[takd]\\ncallsign = EDITED-1\\n" >> /etc/takd/takd.ini');
      inRoot('dpkg -i /mnt/shared/upgrade.deb </dev/null');
      assert.equal(inRoot("dpkg-query -W -f '${Version}' takd"), UPGRADE_VERSION);
      assert.match(inRoot('cat /etc/takd/takd.ini'), /callsign = EDITED-1/);
      inRoot('test ! -e /etc/takd/takd.ini.dpkg-dist && test ! -e /etc/takd/takd.ini.dpkg-old');
      inRoot('getent passwd takd');
    });

    it('remove: program gone, conffile and user kept', () => {
      inRoot('dpkg -r takd </dev/null');
      inRoot('test ! -e /usr/bin/takd && test ! -e /lib/systemd/system/takd.service');
      assert.match(inRoot('cat /etc/takd/takd.ini'), /callsign = EDITED-1/);
      inRoot('getent passwd takd');
    });

    it('purge: conffile, state, user and enablement gone', () => {
      inRoot('dpkg -P takd </dev/null');
      inRoot('test ! -e /etc/takd && test ! -e /var/lib/takd');
      inRoot('! getent passwd takd && ! getent group takd');
      inRoot('test ! -e /etc/systemd/system/multi-user.target.wants/takd.service');
    });

  });

  describe('booted with systemd-nspawn: READY, watchdog, restart on upgrade, stop on remove', { skip: noBoot }, () => {
    it('systemd sees takd ready and pinging, restarts it on upgrade and stops it on remove', { timeout: 240_000 }, () => {
      const booted = new ThrowawayRoot();
      try {
        copyFileSync(first.path, join(booted.shared, 'first.deb'));
        copyFileSync(upgrade.path, join(booted.shared, 'upgrade.deb'));
        copyFileSync(join(repoRoot, 'packaging/testing/nspawn-probe.sh'), join(booted.shared, 'probe.sh'));
        // A container image's policy-rc.d (Docker's says "never start services") would veto
        // deb-systemd-invoke; a real machine has none, so the throwaway root has none either.
        const setup = booted.run(
          'rm -f /usr/sbin/policy-rc.d && ' +
            'dpkg -i /mnt/shared/first.deb </dev/null >/dev/null && install -m 755 /mnt/shared/probe.sh /usr/local/sbin/takd-probe && ' +
            `printf '${PROBE_UNIT}' > /etc/systemd/system/takd-probe.service && ` +
            'ln -s /etc/systemd/system/takd-probe.service /etc/systemd/system/multi-user.target.wants/takd-probe.service',
        );
        assert.equal(setup.status, 0, setup.stderr);
        const boot = booted.boot();
        const probePath = join(booted.shared, 'probe.txt');
        const probe = existsSync(probePath) ? readFileSync(probePath, 'utf8') : '';
        const journal = existsSync(`${probePath}.journal`) ? readFileSync(`${probePath}.journal`, 'utf8') : '';
        const context = `probe:\n${probe}\njournal:\n${journal}\nnspawn:\n${boot.stdout.slice(-2000)}\n${boot.stderr.slice(-1000)}`;
        assert.match(probe, /^done$/m, context);
        const seen = Object.fromEntries(probe.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
        // Type=notify: active/running means READY=1 arrived; a watchdog timestamp means WATCHDOG=1 did.
        assert.equal(seen['install.ActiveState'], 'active', context);
        assert.equal(seen['install.SubState'], 'running', context);
        assert.equal(seen['install.NRestarts'], '0', context);
        assert.notEqual(seen['install.WatchdogTimestampMonotonic'], '0', context);
        assert.notEqual(seen['install.StatusText'], '', context);
        assert.equal(seen['upgrade.ActiveState'], 'active', context);
        assert.notEqual(seen['upgrade.MainPID'], seen['install.MainPID'], `restarted on upgrade\n${context}`);
        assert.equal(seen['remove.ActiveState'], 'inactive', context);
      } finally {
        booted.remove();
      }
    });
  });

  it(`the release .deb (xz) fits the size budget of ${mib(SIZE_BUDGET.debBytes)}`, { timeout: 300_000 }, async (t) => {
    const release = await buildDeb({ repoRoot, arch: 'amd64', compression: 'xz', outDir: join(outDir, 'release') });
    const measured = `${release.path.replace(/.*\//, '')} ${mib(release.bytes)} (${release.bytes} bytes; uncompressed ${mib(first.bytes)}), budget ${mib(SIZE_BUDGET.debBytes)}`;
    t.diagnostic(measured);
    assert.ok(release.bytes <= SIZE_BUDGET.debBytes, measured);
  });

  it('lintian: clean apart from the documented overrides', { skip: commandWorks('lintian', ['--version']) ? undefined : 'needs lintian', timeout: 240_000 }, () => {
    const result = spawnSync('lintian', [...LINTIAN_ARGS, first.path], { encoding: 'utf8' });
    const problems = result.stdout.split('\n').filter((line) => /^[EW]:/.test(line));
    assert.deepEqual(problems, []);
    assert.equal(result.status, 0, result.stderr);
  });
});

describe('takd .deb (armhf): the bundle and a launcher for Debian nodejs', { skip: commandWorks('dpkg-deb', ['--version']) ? undefined : 'needs dpkg-deb' }, () => {
  const outDir = mkdtempSync(join(tmpdir(), 'takd-deb-armhf-'));
  let deb: BuiltDeb;
  before(async () => {
    deb = await buildDeb({ repoRoot, arch: 'armhf', compression: 'none', outDir });
  }, { timeout: 120_000 });
  after(() => rmSync(outDir, { recursive: true, force: true }));

  it('holds the launcher, the bundle, ARM addons and depends on nodejs', () => {
    const files = packageFiles(deb.path);
    for (const path of ['/usr/bin/takd', '/usr/lib/takd/takd.cjs', '/usr/lib/takd/serialport.node', '/lib/systemd/system/takd.service', '/etc/takd/takd.ini']) {
      assert.ok(files.includes(path), `${path} in the package`);
    }
    assert.match(execFileSync('dpkg-deb', ['-f', deb.path, 'Depends'], { encoding: 'utf8' }), /nodejs \(>= 18\)/);
    // Debian's node gets the same V8 flags the single binary embeds.
    const launcher = packageFile(deb.path, '/usr/bin/takd').toString().split('\n');
    assert.ok(launcher.includes(`exec /usr/bin/node ${NODE_V8_FLAGS.join(' ')} /usr/lib/takd/takd.cjs "$@"`), launcher.join('\n'));
    const addon = packageFile(deb.path, '/usr/lib/takd/serialport.node');
    // ELF header: 32-bit (class 1), machine 40 = ARM.
    assert.equal(addon[4], 1);
    assert.equal(addon.readUInt16LE(18), 40);
  });

  it('the bundle runs under this machine\'s node (it is architecture-independent)', () => {
    const bundle = packageFile(deb.path, '/usr/lib/takd/takd.cjs');
    const result = spawnSync(process.execPath, ['-', '--version'], { input: bundle, encoding: 'utf8' });
    assert.equal(result.stdout, `takd ${version}\n`, result.stderr);
  });

  it('lintian: clean', { skip: commandWorks('lintian', ['--version']) ? undefined : 'needs lintian', timeout: 120_000 }, () => {
    const result = spawnSync('lintian', [...LINTIAN_ARGS, deb.path], { encoding: 'utf8' });
    assert.deepEqual(result.stdout.split('\n').filter((line) => /^[EW]:/.test(line)), []);
  });
});
