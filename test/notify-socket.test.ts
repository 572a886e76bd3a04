// systemd notification from takd's own PID through the native addon, to a fake
// NOTIFY_SOCKET made here: READY with STATUS, WATCHDOG, RELOADING/READY around SIGHUP,
// STOPPING; abstract socket names; and the systemd-notify fallback when the addon is absent.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { arch, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SystemdNotifier } from '../daemon/lifecycle/notify.js';
import type { Logger } from '../daemon/log.js';
import { silentLogger } from '../daemon/log.js';
import { ADDON_DIR, loadNativeAddon } from '../native/index.js';
import { commandAvailable } from './support/netns.js';
import { FakeNotifySocket, pythonAvailable } from './support/notify-socket.js';
import { TakdProcess } from './support/daemon-process.js';

/** Builds the addon for this machine if there is no build yet (CI starts from a clean tree). */
function ensureAddon(): string | undefined {
  if (loadNativeAddon().addon !== undefined) return undefined;
  const target = arch() === 'arm' ? 'armv7' : arch();
  const built = spawnSync('bash', [join(ADDON_DIR, 'prebuild.sh'), target], { encoding: 'utf8' });
  if (loadNativeAddon().addon === undefined) return `the native addon could not be built: ${built.stderr.trim()}`;
  return undefined;
}

const noPython = pythonAvailable() ? undefined : 'needs python3 for the fake notify socket';
let noAddon: string | undefined;
const processes: TakdProcess[] = [];
const sockets: FakeNotifySocket[] = [];
before(() => {
  noAddon = noPython ?? ensureAddon();
});
after(async () => {
  for (const p of processes) await p.cleanup();
  for (const s of sockets) s.close();
});

async function runWith(notifyPath: string, env: NodeJS.ProcessEnv = {}): Promise<{ takd: TakdProcess; socket: FakeNotifySocket }> {
  const takd = new TakdProcess();
  processes.push(takd);
  const socket = new FakeNotifySocket(notifyPath);
  sockets.push(socket);
  await socket.ready();
  takd.writeConfig(`[pli]\nenabled = no\n[output.file]\nurl = file://${join(takd.dir, 'out.cot')}\n`);
  takd.start(undefined, { NOTIFY_SOCKET: notifyPath, ...env });
  return { takd, socket };
}

describe('sd_notify through the native addon', { skip: noPython }, () => {
  it('READY, STATUS, WATCHDOG, RELOADING/READY, STOPPING — all from takd itself', async (t) => {
    if (noAddon !== undefined) return t.skip(noAddon);
    const { takd, socket } = await runWith(join(tmpdir(), `takd-notify-${randomBytes(4).toString('hex')}.sock`), { WATCHDOG_USEC: '200000' });
    const ready = await socket.waitFor(/^READY=1\nSTATUS=/);
    assert.match(ready.message, /STATUS=1\/1 outputs up, 0 sources, GPS none/);
    await socket.waitFor(/^WATCHDOG=1$/, socket.received.indexOf(ready) + 1);
    const beforeReload = socket.received.length;
    takd.child?.kill('SIGHUP');
    const reloading = await socket.waitFor(/^RELOADING=1\nMONOTONIC_USEC=\d+$/, beforeReload);
    await socket.waitFor(/^READY=1/, socket.received.indexOf(reloading) + 1);
    assert.equal(await takd.stop('SIGTERM'), 0);
    await socket.waitFor(/^STOPPING=1$/);
    const pids = new Set(socket.received.map((r) => r.pid));
    assert.deepEqual([...pids], [takd.child?.pid], 'every message from the main process');
    assert.doesNotMatch(takd.stdout, /systemd-notify command/);
  });

  it('abstract socket names (@…)', async (t) => {
    if (noAddon !== undefined) return t.skip(noAddon);
    const { takd, socket } = await runWith(`@takd-test-${randomBytes(4).toString('hex')}`);
    const ready = await socket.waitFor(/^READY=1/);
    assert.equal(ready.pid, takd.child?.pid);
    assert.equal(await takd.stop(), 0);
  });
});

describe('fallback to systemd-notify', { skip: noPython ?? (commandAvailable('systemd-notify') ? undefined : 'systemd-notify is not installed') }, () => {
  it('sends through the command and says so once in the log', async () => {
    const path = `${tmpdir()}/takd-notify-${randomBytes(4).toString('hex')}.sock`;
    const socket = new FakeNotifySocket(path);
    sockets.push(socket);
    await socket.ready();
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (_payload, message) => warnings.push(message ?? ''), child: () => logger };
    const notifier = new SystemdNotifier({ env: { NOTIFY_SOCKET: path }, logger, addon: null });
    assert.equal(notifier.mode, 'command');
    notifier.ready('fallback works');
    notifier.status('still working');
    await socket.waitFor(/READY=1\nSTATUS=fallback works/);
    await socket.waitFor(/STATUS=still working/);
    assert.equal(warnings.filter((w) => /systemd-notify command/.test(w)).length, 1);
  });

  it('without NOTIFY_SOCKET nothing is sent and nothing is loaded', () => {
    const notifier = new SystemdNotifier({ env: {}, logger: silentLogger });
    assert.equal(notifier.mode, 'off');
    notifier.ready('x');
  });
});
