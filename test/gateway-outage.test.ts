// Fault injection with real sockets: the TAK Server output is cut while chat, markers,
// emergencies and PLI keep flowing; afterwards every chat and marker has arrived exactly
// once, the backlog in priority order, PLI only as the newest per uid, nothing stale.
//
// The 60 s outage is shortened to about 2 s here (stale times are scaled with it),
// so the test stays fast; the router does not depend on how long the outage is.
// The cut happens between bursts: bytes the kernel had already accepted when a connection
// dies are lost with it (TAK has no acknowledgements), which no router can help.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CotEvent } from '../daemon/codec/event.js';
import { classifyLane, LANE_PRIORITY, type Lane } from '../daemon/routing/lane.js';
import { Router } from '../daemon/routing/router.js';
import { DurableQueue } from '../daemon/routing/store/durable-queue.js';
import { CapturingServer, makeEvent, waitUntil } from './support/routing.js';
import { createTransport } from './support/transports.js';

const mesh = { id: 'mesh', role: 'mesh' } as const;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a server output cut while chat, markers and PLI flow', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'takd-outage-'));
  const server = new CapturingServer();
  const port = await server.listen();
  const store = DurableQueue.open({ dir, fsync: { mode: 'interval', intervalMs: 100 } });
  const client = createTransport(`tcp://127.0.0.1:${port}`, {
    name: 'server',
    backoff: { initialMs: 50, maxMs: 200, jitter: 0 },
    pingAfterMs: 0,
    idleTimeoutMs: 0,
  });
  const router = new Router({ outputs: [{ target: client, role: 'server', store }], pumpIntervalMs: 20 });
  t.after(async () => {
    router.stop();
    await client.close();
    await server.cut();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  client.start();
  router.start();
  await waitUntil(() => client.status().state === 'connected', 'client connected');

  const published: CotEvent[] = [];
  const outage: CotEvent[] = [];
  let seq = 0;
  const publish = (type: string, extra: Partial<CotEvent> = {}, uid = `${type}-${seq}`) => {
    const now = Date.now();
    const event = makeEvent(uid, type, now + seq, { stale: now + 86_400_000, ...extra });
    seq += 1;
    published.push(event);
    router.publish(event, mesh);
    return event;
  };
  const burst = (round: number) => {
    for (let u = 0; u < 10; u++) publish('a-f-G-U-C', { stale: Date.now() + 75_000 }, `PLI-${u}`);
    if (round % 4 === 0) publish('b-t-f');
    if (round % 3 === 0) publish('a-h-G', { how: 'h-g-i-g-o' });
    if (round % 7 === 0) publish('u-d-p', { how: 'h-e' });
  };

  // Up: a few rounds go straight through.
  for (let round = 0; round < 10; round++) burst(round);
  await waitUntil(() => server.arrivals.length === router.status().outputs[0].counters.sent, 'first rounds delivered');
  const beforeCut = server.arrivals.length;

  await server.cut();
  await waitUntil(() => client.status().state !== 'connected', 'the client noticed the cut');
  const firstOutageEvent = published.length;
  for (let round = 0; round < 40; round++) {
    burst(round);
    if (round === 5) publish('b-a-o-tbl', { how: 'h-e' }, 'SOS-1');
    if (round === 10) {
      // These go stale before the link comes back: they must never arrive.
      publish('b-t-f', { stale: Date.now() + 300 }, 'CHAT-SHORT');
      publish('a-h-G', { how: 'h-g-i-g-o', stale: Date.now() + 300 }, 'MARKER-SHORT');
      publish('a-f-G-U-C', { stale: Date.now() + 300 }, 'PLI-SHORT');
    }
    await sleep(50);
  }
  outage.push(...published.slice(firstOutageEvent));
  assert.ok(router.status().outputs[0].stored > 0, 'chat and markers went to the durable queue');

  await server.listen(port);
  const expectNonPli = published.filter((e) => classifyLane(e) !== 'pli' && !e.uid.endsWith('-SHORT'));
  const arrivedNonPli = () => server.arrivals.filter((a) => classifyLane(a.event) !== 'pli').length;
  await waitUntil(() => arrivedNonPli() >= expectNonPli.length && router.status().outputs[0].pending === 0, 'backlog delivered');
  await sleep(200);

  // Every chat, marker and emergency exactly once.
  const arrivedCounts = new Map<string, number>();
  for (const { event } of server.arrivals) arrivedCounts.set(event.uid, (arrivedCounts.get(event.uid) ?? 0) + 1);
  for (const event of expectNonPli) assert.equal(arrivedCounts.get(event.uid), 1, `${event.uid} exactly once`);
  assert.equal(arrivedNonPli(), expectNonPli.length, 'nothing else');

  // Nothing stale arrived.
  for (const name of ['CHAT-SHORT', 'MARKER-SHORT', 'PLI-SHORT']) assert.equal(arrivedCounts.get(name), undefined, `${name} never arrives`);
  for (const { event, receivedAt } of server.arrivals) assert.ok(event.stale > receivedAt, `${event.uid} arrived fresh`);
  assert.ok(router.status().outputs[0].counters.stale >= 3);

  // The backlog arrived on the new connection in priority order, each lane in publish order.
  const outageUids = new Set(outage.map((e) => e.uid));
  const backlog = server.arrivals.filter((a) => a.connection === 2 && outageUids.has(a.event.uid) && classifyLane(a.event) !== 'pli');
  const priorities = backlog.map((a) => LANE_PRIORITY[classifyLane(a.event) as Lane]);
  assert.deepEqual(priorities, [...priorities].sort((a, b) => a - b), 'emergency, then chat, then markers');
  assert.equal(backlog[0].event.uid, 'SOS-1');
  const order = new Map(published.map((e, i) => [e.uid, i]));
  for (let i = 1; i < backlog.length; i++) {
    if (priorities[i] === priorities[i - 1]) assert.ok((order.get(backlog[i].event.uid) ?? 0) > (order.get(backlog[i - 1].event.uid) ?? 0), 'lane order kept');
  }

  // PLI from the outage: only the newest per uid, after the stored lanes.
  const outagePli = server.arrivals.filter((a) => a.connection === 2 && a.event.uid.startsWith('PLI-') && a.event.time >= outage[0].time);
  const newestPerUid = new Map<string, number>();
  for (const event of outage) if (event.uid.startsWith('PLI-') && event.uid !== 'PLI-SHORT') newestPerUid.set(event.uid, event.time);
  assert.equal(outagePli.length, newestPerUid.size, 'one report per uid');
  for (const { event } of outagePli) assert.equal(event.time, newestPerUid.get(event.uid), `${event.uid}: the newest`);
  const firstPliIndex = server.arrivals.indexOf(outagePli[0]);
  assert.ok(server.arrivals.indexOf(backlog[backlog.length - 1]) < firstPliIndex, 'PLI after the stored lanes');

  assert.ok(beforeCut > 0);
  assert.equal(router.status().outputs[0].counters.coalesced > 300, true);
});
