// Two takd boxes on one Mesh SA multicast group, both bridging to one TAK Server (a relay
// that forwards every event to its other connections, as TAK Server does). Every event
// reaches each box's local users exactly once, and traffic stops when the sources stop:
// no loops. Runs in network namespaces this file creates (never multicast from the
// machine's own namespace); skips with a reason when not root or `ip netns` is missing.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { daemonModule, startScript, type ScriptProcess, relayServer } from './support/loop-scripts.js';
import { connect, NetNs, netnsUnavailableReason } from './support/netns.js';
import { settles, waitUntil } from './support/wait.js';

const notRunnable = netnsUnavailableReason();
const skip = notRunnable ?? false;
const SERVER_PORT = 18087;

/** A box: router with mesh, server and its local users (a recorder) as outputs, and its own PLI. */
const BOX = `
  import { Router } from ${daemonModule('routing/router.js')};
  import { openTransport } from ${daemonModule('transports/index.js')};
  const { name, iface } = JSON.parse(process.env.BOX);
  const out = (obj) => process.stdout.write(JSON.stringify(obj) + '\\n');
  let router;
  const publish = (id, role) => (event) => router.publish(event, { id, role });
  const mesh = await openTransport('udp://239.2.3.1:6969?interface=' + iface, { name: 'mesh', onEvent: publish('mesh', 'mesh') });
  const server = await openTransport('tcp://10.79.0.1:${SERVER_PORT}', { name: 'server', onEvent: publish('server', 'server'), backoff: { initialMs: 50, maxMs: 200 }, pingAfterMs: 0, idleTimeoutMs: 0 });
  const local = { name: 'local', isUp: () => true, send: (event) => { out({ local: event.uid }); return true; } };
  router = new Router({ outputs: [
    { target: mesh, role: 'mesh' },
    { target: server, role: 'server' },
    { target: local, role: 'peers' },
  ], pumpIntervalMs: 20 });
  mesh.start();
  server.start();
  router.start();
  const ready = setInterval(() => {
    if (mesh.status().state !== 'connected' || server.status().state !== 'connected') return;
    clearInterval(ready);
    out({ ready: true });
  }, 10);
  let n = 0;
  let timer;
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (text) => {
    if (text.includes('go')) timer = setInterval(() => {
      const now = Date.now();
      router.publish({ uid: name + '-' + n++, type: 'a-f-G-U-C', how: 'm-g', time: now, start: now, stale: now + 60000, point: { lat: 1, lon: 2, hae: 0, ce: 5, le: 9999999 }, contact: { callsign: name } }, { id: 'pli', role: 'self' });
    }, 40);
    if (text.includes('stop')) {
      clearInterval(timer);
      out({ stopped: n });
    }
    if (text.includes('status')) out({ status: router.status() });
  });
`;

const namespaces: NetNs[] = [];
const children: ChildProcess[] = [];
after(() => {
  for (const child of children) child.kill('SIGKILL');
  for (const n of namespaces) n.delete();
});

function start(where: NetNs, script: string, env: Record<string, string> = {}): ScriptProcess {
  return startScript(where, script, children, env);
}

function counts(values: string[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const value of values) map.set(value, (map.get(value) ?? 0) + 1);
  return map;
}

test('two boxes on one multicast group, both bridging to one server: every event reaches each box once, no loops', { skip }, async () => {
  const a = NetNs.create();
  namespaces.push(a);
  const b = NetNs.create();
  namespaces.push(b);
  connect(a, 'a0', '10.79.0.1/24', b, 'b0', '10.79.0.2/24');

  const relay = start(a, relayServer('10.79.0.1', SERVER_PORT));
  await waitUntil(() => relay.lines.some((l) => l.ready), 'relay listening');
  const boxA = start(a, BOX, { BOX: JSON.stringify({ name: 'A', iface: 'a0' }) });
  const boxB = start(b, BOX, { BOX: JSON.stringify({ name: 'B', iface: 'b0' }) });
  await waitUntil(() => boxA.lines.some((l) => l.ready) && boxB.lines.some((l) => l.ready), 'both boxes up');

  const own = (box: ScriptProcess, name: string): number => box.values('local').filter((u) => u.startsWith(`${name}-`)).length;
  for (const child of [relay, boxA, boxB]) child.tell('go');
  await waitUntil(() => own(boxA, 'A') >= 25 && own(boxB, 'B') >= 25 && relay.values('sent').length >= 25, 'traffic from both boxes and the server');
  for (const child of [relay, boxA, boxB]) child.tell('stop');
  await waitUntil(() => [relay, boxA, boxB].every((child) => child.stopped() !== undefined), 'all senders stopped');
  const published = { A: boxA.stopped() as number, B: boxB.stopped() as number, SRV: relay.stopped() as number };
  assert.ok(published.A > 10 && published.B > 10, `events published: ${JSON.stringify(published)}`);

  // Every event of each box reaches the other box's users; then traffic must stop (a loop would keep it going).
  const reachedOtherBox = (box: ScriptProcess, other: 'A' | 'B'): boolean => {
    const local = new Set(box.values('local'));
    return Array.from({ length: published[other] }, (_, n) => `${other}-${n}`).every((uid) => local.has(uid));
  };
  await waitUntil(() => reachedOtherBox(boxA, 'B') && reachedOtherBox(boxB, 'A'), 'each box has the other box\'s events');
  const total = () => relay.lines.length + boxA.lines.length + boxB.lines.length;
  assert.ok(await settles(total, 1_000, 15_000), 'no traffic a second after the sources stopped');

  for (const [box, other] of [[boxA, 'B'], [boxB, 'A']] as const) {
    const local = counts(box.values('local'));
    for (const [uid, count] of local) assert.equal(count, 1, `${uid} reached the box's users ${count} times`);
    for (let n = 0; n < published[other]; n++) assert.equal(local.get(`${other}-${n}`), 1, `${other}-${n} reached the other box`);
    const fromServer = [...local.keys()].filter((uid) => uid.startsWith('SRV-')).length;
    assert.ok(fromServer > 10, `server events reached the box (${fromServer})`);
  }
  // The server hears each box event from its box and at most once more through the other
  // box's mesh bridge; never in a loop.
  for (const [uid, count] of counts(relay.values('received'))) assert.ok(count <= 2, `${uid} reached the server ${count} times`);
});
