// Issue 16: chats and markers written to a server output stay with takd until a pong proves
// the server read them. A server that answers pings, reads part of the stream and dies with
// the rest unread: what no pong proved is sent again on the next connection (at-least-once;
// a repeat is possible only for events read after the last proving pong, and every one sent
// again is counted in eventsResent). taky answers pings, so it gives the proof too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CotEvent } from '../daemon/codec/event.js';
import { CotStreamDecoder } from '../daemon/codec/stream.js';
import { encodeXmlString } from '../daemon/codec/xml/encode.js';
import { TransportComponent } from '../daemon/lifecycle/components.js';
import { Router } from '../daemon/routing/router.js';
import { DurableQueue } from '../daemon/routing/store/durable-queue.js';
import { pongEvent } from '../daemon/transports/control-events.js';
import { createTransport } from './support/transports.js';
import type { StreamListener } from '../daemon/transports/stream-listener.js';
import { makeEvent, waitUntil } from './support/routing.js';
import { peersUnavailableReason } from './support/pytak-peer.js';
import { startTaky } from './support/taky-server.js';

const mesh = { id: 'mesh', role: 'mesh' } as const;
const REMARKS = `<remarks>${'x'.repeat(2_000)}</remarks>`;

function chatsAndMarkers(prefix: string, count: number): CotEvent[] {
  const now = Date.now();
  return Array.from({ length: count }, (_, i) => {
    const type = i % 2 === 0 ? 'b-t-f' : 'a-h-G';
    return makeEvent(`${prefix}-${type}-${i}`, type, now, { how: 'h-g-i-g-o', stale: now + 600_000, xmlDetail: REMARKS });
  });
}

async function outputTo(port: number, t: { after(fn: () => Promise<void>): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'takd-proof-'));
  const store = DurableQueue.open({ dir, fsync: { mode: 'never' } });
  const router = new Router({ outputs: [{ name: 'server', role: 'server', store }], pumpIntervalMs: 20 });
  const component = new TransportComponent(
    'server',
    'output',
    () => createTransport(`tcp://127.0.0.1:${port}`, { name: 'server', backoff: { initialMs: 50, maxMs: 200, jitter: 0 }, keepAliveMs: 0 }),
    router,
  );
  t.after(async () => {
    router.stop();
    await component.stop();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  await component.start();
  router.start();
  await waitUntil(() => component.status().state === 'connected', 'the output is up');
  return { router, component, store };
}

test('a server that dies after reading part of the stream: the unproven chats and markers arrive after reconnect', async (t) => {
  // Connection 1 reads and answers pings until told to stop, then reads nothing more and is
  // destroyed with what the kernel took for it unread. Later connections read everything.
  const arrivals: string[] = [];
  const sockets: Socket[] = [];
  let stopReading = false;
  const server = createServer((socket) => {
    const first = sockets.length === 0;
    sockets.push(socket);
    socket.on('error', () => undefined);
    const decoder = new CotStreamDecoder({
      onEvent: (event) => {
        if (event.type === 't-x-c-t') socket.write(encodeXmlString(pongEvent()));
        else if (!event.type.startsWith('t-x-')) arrivals.push(event.uid);
      },
      onError: () => undefined,
    });
    socket.on('data', (chunk: Buffer) => {
      if (first && stopReading) return;
      decoder.push(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  const { router, component } = await outputTo((server.address() as AddressInfo).port, t);
  const counters = () => component.status().counters;

  const before = chatsAndMarkers('read', 100);
  for (const event of before) router.publish(event, mesh);
  await waitUntil(() => (counters().eventsProven ?? 0) >= before.length, 'a pong proved the first 100 read', 20_000);
  stopReading = true;
  sockets[0]!.pause();

  const after = chatsAndMarkers('unread', 300);
  for (const event of after) router.publish(event, mesh);
  await waitUntil(() => counters().eventsSent >= before.length + 100, 'the kernel took events the server will never read');
  const takenUnread = counters().eventsSent - before.length;
  sockets[0]!.destroy();

  const published = [...before, ...after];
  const arrived = () => new Set(arrivals).size;
  await waitUntil(() => arrived() === published.length && router.status().outputs[0]!.pending === 0, 'every chat and marker arrived', 30_000);
  const repeats = arrivals.length - arrived();
  t.diagnostic(
    `published ${published.length}, arrived ${arrived()} (${repeats} twice), taken and unread ${takenUnread}, ` +
      `proven ${counters().eventsProven}, resent ${counters().eventsResent}, returned ${counters().eventsReturned}, inFlightLost ${counters().inFlightLost}, ` +
      `connections ${sockets.length}`,
  );
  assert.ok((counters().eventsResent ?? 0) >= takenUnread, 'every event the kernel took and the server never read was sent again');
  assert.ok(repeats <= (counters().eventsResent ?? 0), 'repeats only among those counted as resent');
  assert.equal(counters().inFlightLost, 0, 'nothing left in the at-most-once window');
  assert.equal(component.status().queueDepth, 0);
});

test('taky answers pings: its pongs prove chats and markers read', { skip: peersUnavailableReason(true) }, async (t) => {
  const taky = await startTaky();
  t.after(() => taky.stop());
  const { router, component } = await outputTo(taky.port, t);
  const events = chatsAndMarkers('taky', 50);
  for (const event of events) router.publish(event, mesh);
  await waitUntil(() => (component.status().counters.eventsProven ?? 0) >= events.length, 'a pong from taky proved all 50 read', 20_000);
  t.diagnostic(`proven ${component.status().counters.eventsProven}, resent ${component.status().counters.eventsResent}`);
  assert.equal(component.status().counters.eventsResent, 0);
});

test("takd's own listener answers pings: another takd's output gets the proof from it", async (t) => {
  const received: string[] = [];
  const listener = createTransport('tcp+listen://127.0.0.1:0', { name: 'phones', idleTimeoutMs: 0, onEvent: (event) => received.push(event.uid) }) as StreamListener;
  t.after(() => listener.close());
  listener.start();
  await listener.listening();
  const { router, component } = await outputTo(listener.port as number, t);
  const events = chatsAndMarkers('takd', 50);
  for (const event of events) router.publish(event, mesh);
  await waitUntil(() => (component.status().counters.eventsProven ?? 0) >= events.length, 'a pong from the listener proved all 50 read', 20_000);
  assert.equal(new Set(received).size, events.length);
});
