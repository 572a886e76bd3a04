// Two real `takd run` boxes, each in a network namespace this file creates, on one Mesh SA
// multicast group (a veth pair between them), both bridging to one TAK Server (a relay that
// forwards every event to its other connections, as TAK Server does, and injects its own).
// A phone on each box (a client of its tcp+listen:// output) sends position reports.
// Every event reaches each phone exactly once, no phone hears its own events echoed, and
// traffic stops when the senders stop: no loop. Never multicasts from the machine's own
// namespace; skips with a reason when not root or `ip netns` is missing.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TAKD_MAIN, TakdProcess, waitFor } from './support/daemon-process.js';
import { daemonModule, startScript, type ScriptProcess, eventSender, relayServer } from './support/loop-scripts.js';
import { connect, NetNs, netnsUnavailableReason } from './support/netns.js';
import { settles, waitUntil } from './support/wait.js';

const notRunnable = netnsUnavailableReason();
const skip = notRunnable ?? false;
const SERVER_PORT = 18089;
const PHONE_PORT = 18087;

/** A phone: connected to its box's listener, sends PHONE-n, prints every uid it receives. */
const PHONE = `
  import { createConnection } from 'node:net';
  import { CotStreamDecoder } from ${daemonModule('codec/stream.js')};
  import { encodeXml } from ${daemonModule('codec/xml/encode.js')};
  const out = (obj) => process.stdout.write(JSON.stringify(obj) + '\\n');
  const name = process.env.PHONE;
  const socket = createConnection({ host: '127.0.0.1', port: ${PHONE_PORT} }, () => out({ ready: true }));
  socket.on('error', (error) => out({ error: String(error) }));
  const decoder = new CotStreamDecoder({ onEvent: (event) => out({ heard: event.uid }), onError: () => undefined });
  socket.on('data', (chunk) => decoder.push(chunk));
  ${eventSender('name', '[socket]')}
`;

const namespaces: NetNs[] = [];
const children: ChildProcess[] = [];
const boxes: TakdProcess[] = [];
const stateDirs: string[] = [];
after(async () => {
  for (const child of children) child.kill('SIGKILL');
  for (const box of boxes) await box.cleanup();
  for (const n of namespaces) n.delete();
  for (const dir of stateDirs) rmSync(dir, { recursive: true, force: true });
});

function start(where: NetNs, script: string, env: Record<string, string> = {}): ScriptProcess {
  return startScript(where, script, children, env);
}

/** `takd run` inside the namespace: mesh on its veth, the relay as server, a listener for its phone. */
function startBox(where: NetNs, name: string, iface: string): TakdProcess {
  const box = new TakdProcess();
  boxes.push(box);
  const stateDir = mkdtempSync(join(tmpdir(), 'takd-state-'));
  stateDirs.push(stateDir);
  box.writeConfig(
    [
      '[takd]',
      `callsign = BOX-${name}`,
      '[output.mesh]',
      'url = udp://239.2.3.1:6969',
      `interface = ${iface}`,
      '[output.server]',
      `url = tcp://10.79.0.1:${SERVER_PORT}`,
      'hello = false',
      '[output.phones]',
      `url = tcp+listen://127.0.0.1:${PHONE_PORT}`,
      '[log]',
      'level = warn',
    ].join('\n'),
  );
  box.start(['-c', box.configFile], { STATE_DIRECTORY: stateDir }, ['ip', 'netns', 'exec', where.name, process.execPath, TAKD_MAIN, 'run']);
  return box;
}

function counts(values: string[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const value of values) map.set(value, (map.get(value) ?? 0) + 1);
  return map;
}

test('two takd boxes on one multicast group, both bridging to one server: every event reaches each phone once, no echo, no loop', { skip, timeout: 60_000 }, async () => {
  const a = NetNs.create();
  namespaces.push(a);
  const b = NetNs.create();
  namespaces.push(b);
  connect(a, 'a0', '10.79.0.1/24', b, 'b0', '10.79.0.2/24');
  // A veth end gets its carrier a moment after `link set up`; until then Node does not list
  // its address (libuv skips interfaces not RUNNING) and takd's mesh output would wait for
  // its periodic interface re-check. Start the boxes once both ends are running.
  for (const [ns, iface] of [[a, 'a0'], [b, 'b0']] as const) {
    await waitFor(`${iface} running`, () => (ns.run('ip', 'link', 'show', iface).includes('LOWER_UP') ? true : undefined), 10_000);
  }

  const relay = start(a, relayServer('10.79.0.1', SERVER_PORT));
  await waitFor('relay listening', () => (relay.lines.some((l) => l.ready) ? true : undefined), 15_000);
  const boxA = startBox(a, 'A', 'a0');
  const boxB = startBox(b, 'B', 'b0');
  for (const box of [boxA, boxB]) {
    for (const id of ['output.mesh', 'output.server', 'output.phones']) await box.waitForState(id, 'connected', 20_000);
  }
  const phoneA = start(a, PHONE, { PHONE: 'PA' });
  const phoneB = start(b, PHONE, { PHONE: 'PB' });
  await waitFor('phones connected', () => (phoneA.lines.some((l) => l.ready) && phoneB.lines.some((l) => l.ready) ? true : undefined), 15_000);

  const senders = [relay, phoneA, phoneB];
  for (const child of senders) child.tell('go');
  await waitUntil(() => senders.every((child) => child.values('sent').length >= 25), 'traffic from both phones and the server');
  for (const child of senders) child.tell('stop');
  await waitUntil(() => senders.every((child) => child.stopped() !== undefined), 'all senders stopped');
  const sent = { PA: phoneA.stopped() as number, PB: phoneB.stopped() as number, SRV: relay.stopped() as number };
  assert.ok(sent.PA > 10 && sent.PB > 10, `events published: ${JSON.stringify(sent)}`);

  // Every event reaches the phones it is for; then traffic must stop (a loop would keep it going).
  const heardAll = (phone: ScriptProcess, other: 'PA' | 'PB'): boolean => {
    const heard = new Set(phone.values('heard'));
    const wanted = [...Array.from({ length: sent[other] }, (_, n) => `${other}-${n}`), ...Array.from({ length: sent.SRV }, (_, n) => `SRV-${n}`)];
    return wanted.every((uid) => heard.has(uid));
  };
  await waitUntil(() => heardAll(phoneA, 'PB') && heardAll(phoneB, 'PA'), 'each phone has the other phone\'s and the server\'s events', 20_000);
  const total = () => relay.lines.length + phoneA.lines.length + phoneB.lines.length;
  assert.ok(await settles(total, 1_000, 15_000), 'no traffic a second after the senders stopped');

  for (const [phone, own, other] of [[phoneA, 'PA', 'PB'], [phoneB, 'PB', 'PA']] as const) {
    const heard = counts(phone.values('heard'));
    for (const [uid, count] of heard) assert.equal(count, 1, `${uid} reached phone ${own} ${count} times`);
    assert.equal([...heard.keys()].filter((uid) => uid.startsWith(`${own}-`)).length, 0, `phone ${own} never hears its own events`);
    for (let n = 0; n < sent[other]; n++) assert.equal(heard.get(`${other}-${n}`), 1, `${other}-${n} reached phone ${own}`);
    for (let n = 0; n < sent.SRV; n++) assert.equal(heard.get(`SRV-${n}`), 1, `SRV-${n} reached phone ${own}`);
    const fromServer = [...heard.keys()].filter((uid) => uid.startsWith('SRV-')).length;
    assert.ok(fromServer > 10, `server events reached phone ${own} (${fromServer})`);
  }
  // The server hears each phone's event from its box and at most once more through the other
  // box's mesh bridge; never in a loop.
  for (const [uid, count] of counts(relay.values('received'))) assert.ok(count <= 2, `${uid} reached the server ${count} times`);
  // The boxes did de-duplicate: each heard the other's events over mesh and server
  // (status.json is rewritten once a second, hence the poll).
  for (const box of [boxA, boxB]) {
    const heardBoth = () => ((box.status()?.router.counters.duplicates ?? 0) > 0 ? true : undefined);
    await waitFor('duplicates counted', heardBoth, 5_000).catch(() => undefined);
    const meshes = [boxA, boxB].map((b) => b.component('output.mesh')?.counters);
    assert.ok(heardBoth(), `box ${box === boxA ? 'A' : 'B'}: no duplicates dropped, so mesh did not carry (mesh A, B: ${JSON.stringify(meshes)}) ${box.stdout.slice(-2000)}`);
  }
  for (const box of [boxA, boxB]) assert.equal(await box.stop(), 0);
});
