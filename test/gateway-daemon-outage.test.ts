// Store-and-forward through a real `takd run`: phones feed chat, markers, an emergency and
// position reports into a tcp+listen:// input while the TAK Server output is cut. When the
// server is back, every chat, marker and emergency arrives exactly once, in priority order,
// position reports only as the newest per uid, and nothing that went stale meanwhile.
// The second test kills takd with SIGKILL during the outage and starts it again on the same
// state directory: what was stored still arrives. Loopback only.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createConnection, createServer, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CotEvent } from '../daemon/codec/event.js';
import { encodeXml } from '../daemon/codec/xml/encode.js';
import type { OutputStatus } from '../daemon/routing/router.js';
import { CapturingServer, makeEvent } from './support/routing.js';
import { TakdProcess, waitFor } from './support/daemon-process.js';

const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Gateway {
  takd: TakdProcess;
  server: CapturingServer;
  serverPort: number;
  inputPort: number;
  stateDir: string;
}

async function gateway(): Promise<Gateway> {
  const stateDir = mkdtempSync(join(tmpdir(), 'takd-state-'));
  cleanups.push(() => rmSync(stateDir, { recursive: true, force: true }));
  const server = new CapturingServer();
  const serverPort = await server.listen();
  cleanups.push(() => server.cut());
  const inputPort = await freePort();
  const takd = new TakdProcess();
  cleanups.push(() => takd.cleanup());
  takd.writeConfig(
    [
      '[takd]',
      'callsign = GW-1',
      '[input.phones]',
      `url = tcp+listen://127.0.0.1:${inputPort}`,
      '[output.server]',
      `url = tcp://127.0.0.1:${serverPort}`,
      'hello = false',
      // every event synced at once: the SIGKILL test must not depend on a sync interval
      'fsync = always',
      '[log]',
      'level = warn',
    ].join('\n'),
  );
  return { takd, server, serverPort, inputPort, stateDir };
}

function launch(g: Gateway): void {
  g.takd.start(['-c', g.takd.configFile], { STATE_DIRECTORY: g.stateDir });
}

async function phone(port: number): Promise<Socket> {
  const socket = createConnection({ host: '127.0.0.1', port });
  await once(socket, 'connect');
  cleanups.push(() => void socket.destroy());
  return socket;
}

function serverOutput(takd: TakdProcess): OutputStatus | undefined {
  return takd.status()?.router.outputs.find((o) => o.name === 'output.server');
}

interface Traffic {
  emergencies: CotEvent[];
  chats: CotEvent[];
  markers: CotEvent[];
  /** Stale before the server comes back: must never arrive. */
  shortLived: CotEvent[];
  /** Five versions per uid, oldest first. */
  positions: CotEvent[][];
}

function traffic(now: number): Traffic {
  const person = { how: 'h-g-i-g-o', point: { lat: 0, lon: 0, hae: 0, ce: 9999999, le: 9999999 } };
  return {
    emergencies: [makeEvent('EMERG-0', 'b-a-o-tbl', now, { how: 'h-e' })],
    chats: Array.from({ length: 8 }, (_, i) => makeEvent(`GeoChat.ALPHA.All.${i}`, 'b-t-f', now + i, person)),
    markers: Array.from({ length: 6 }, (_, i) => makeEvent(`marker-${i}`, 'a-h-G', now + i, { how: 'h-g-i-g-o' })),
    shortLived: [makeEvent('GeoChat.ALPHA.All.short', 'b-t-f', now, { ...person, stale: now + 1_500 })],
    positions: Array.from({ length: 4 }, (_, u) => Array.from({ length: 5 }, (_, v) => makeEvent(`phone-${u}`, 'a-f-G-U-C', now + v * 100, { how: 'm-g' }))),
  };
}

/** Interleaved as a busy net would send them: low priority first, so priority order is the router's doing. */
function sendAll(socket: Socket, t: Traffic): void {
  const order: CotEvent[] = [];
  for (let v = 0; v < 5; v++) for (const versions of t.positions) order.push(versions[v] as CotEvent);
  order.push(...t.markers, ...t.shortLived, ...t.chats, ...t.emergencies);
  for (const event of order) socket.write(encodeXml(event, { declaration: true }));
}

const storedCount = (t: Traffic): number => t.emergencies.length + t.chats.length + t.markers.length + t.shortLived.length;

/** The events that arrived on connections after the first, as the server saw them. */
function afterOutage(server: CapturingServer): CotEvent[] {
  return server.arrivals.filter((a) => a.connection > 1).map((a) => a.event);
}

function checkDelivery(delivered: CotEvent[], t: Traffic, positionsExpected: boolean): void {
  const uids = delivered.map((e) => e.uid);
  const stored = [...t.emergencies, ...t.chats, ...t.markers].map((e) => e.uid);
  // Exactly once each, in priority order (emergency > chat > markers), each lane in its order.
  assert.deepEqual(uids.slice(0, stored.length), stored, 'stored events in priority order, once each');
  assert.ok(!uids.includes('GeoChat.ALPHA.All.short'), 'the event that went stale was not sent');
  for (const uid of stored) assert.equal(uids.filter((u) => u === uid).length, 1, `${uid} once`);
  const positions = delivered.slice(stored.length);
  for (const event of positions) assert.equal(event.type, 'a-f-G-U-C', `after the stored events only positions, got ${event.uid}`);
  if (positionsExpected) {
    // Only the newest per uid: one each, with the last version's time.
    assert.deepEqual(positions.map((e) => e.uid).sort(), t.positions.map((v) => (v[0] as CotEvent).uid).sort());
    for (const event of positions) {
      const newest = t.positions.find((v) => (v[0] as CotEvent).uid === event.uid)?.[4] as CotEvent;
      assert.equal(event.time, newest.time, `${event.uid}: the newest position only`);
    }
  }
}

/** Nothing arrived past its stale time. */
function checkNothingStale(server: CapturingServer): void {
  for (const { event, receivedAt } of server.arrivals) assert.ok(event.stale > receivedAt, `${event.uid} arrived stale`);
}

/** takd run up with a phone connected; then the server goes away and the phone's traffic is stored. */
async function outageWithTrafficStored() {
  const g = await gateway();
  launch(g);
  await g.takd.waitForState('output.server', 'connected', 15_000);
  await g.takd.waitForState('input.phones', 'connected', 15_000);
  const feed = await phone(g.inputPort);

  await g.server.cut();
  await g.takd.waitForState('output.server', 'retrying', 15_000);
  const t = traffic(Date.now());
  sendAll(feed, t);
  await waitFor('stored in the durable queue', () => ((serverOutput(g.takd)?.counters.stored ?? 0) >= storedCount(t) ? true : undefined), 15_000);
  return { g, feed, t };
}

test('takd run: a server outage while chat, markers and PLI flow, then the server returns', async () => {
  const { g, t } = await outageWithTrafficStored();
  const during = serverOutput(g.takd);
  assert.ok((during?.counters.coalesced ?? 0) >= 16, `positions coalesced while down: ${JSON.stringify(during?.counters)}`);
  // Outlive the short-lived chat, then bring the server back on the same port.
  await waitFor('the short-lived chat is stale', () => (Date.now() > (t.shortLived[0] as CotEvent).stale ? true : undefined), 5_000);
  await g.server.listen(g.serverPort);
  const expected = t.emergencies.length + t.chats.length + t.markers.length + t.positions.length;
  await waitFor('delivery after the outage', () => (afterOutage(g.server).length >= expected ? true : undefined), 30_000);
  await waitFor('the queue drained', () => (serverOutput(g.takd)?.stored === 0 ? true : undefined), 5_000);

  checkDelivery(afterOutage(g.server), t, true);
  checkNothingStale(g.server);
  const output = serverOutput(g.takd);
  assert.equal(output?.counters.replayed, storedCount(t) - 1, 'every stored event but the stale one replayed');
  assert.ok((output?.counters.stale ?? 0) >= 1, 'the stale event was counted');
  assert.equal(await g.takd.stop(), 0);
  assert.equal(afterOutage(g.server).length, expected, 'nothing more arrived at shutdown');
});

test('takd run: killed with SIGKILL during the outage and restarted on the same state directory', async () => {
  const { g, feed, t } = await outageWithTrafficStored();
  assert.equal(await g.takd.stop('SIGKILL'), null);
  feed.destroy();

  // Same configuration and state directory; the server stays down until takd has recovered.
  launch(g);
  await waitFor('the queue recovered', () => (serverOutput(g.takd)?.stored === storedCount(t) ? true : undefined), 15_000);
  await waitFor('the short-lived chat is stale', () => (Date.now() > (t.shortLived[0] as CotEvent).stale ? true : undefined), 5_000);
  await g.server.listen(g.serverPort);
  const expected = t.emergencies.length + t.chats.length + t.markers.length;
  await waitFor('delivery after the restart', () => (afterOutage(g.server).length >= expected ? true : undefined), 30_000);
  await waitFor('the queue drained', () => (serverOutput(g.takd)?.stored === 0 ? true : undefined), 5_000);

  // Position reports waited in memory only: after a crash the newest comes with the next report.
  checkDelivery(afterOutage(g.server), t, false);
  checkNothingStale(g.server);
  assert.equal(afterOutage(g.server).length, expected);
  assert.equal(await g.takd.stop(), 0);
});
