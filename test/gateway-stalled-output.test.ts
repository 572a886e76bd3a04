// Regression (issue 16): a server output that stops reading. takd writes until the kernel's
// buffers and its own in-flight bound are full, then holds chats and markers in their lanes
// (and the durable queue); the read-idle check closes the connection. Events handed to the
// socket that the kernel had not taken go back to their lane and leave again on the next
// connection; what the kernel had taken is the at-most-once window, bounded and counted.
// Afterwards every chat and marker has arrived or is counted as lost in flight, none twice,
// and the queue depth gauge (takd_queue_depth) is back to 0.
//
// The 60 s stall at 100 events/s per class is shortened: a 1 s read-idle timeout and
// a burst of ~6 MB (events of ~2 KB), more than the kernel's socket buffers take.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CotEvent } from '../daemon/codec/event.js';
import { CotStreamDecoder } from '../daemon/codec/stream.js';
import { TransportComponent } from '../daemon/lifecycle/components.js';
import { Router } from '../daemon/routing/router.js';
import { DurableQueue } from '../daemon/routing/store/durable-queue.js';
import { encodeXmlString } from '../daemon/codec/xml/encode.js';
import { createTransport } from './support/transports.js';
import { makeEvent, waitUntil } from './support/routing.js';
import { eventually } from './support/wait.js';

const mesh = { id: 'mesh', role: 'mesh' } as const;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const REMARKS = `<remarks>${'x'.repeat(2_000)}</remarks>`;
const BURST = 3_000;
const ROUNDS = 40;
const PER_ROUND = 50;

test('a server output that stops reading: every chat and marker arrives or is counted, queue depth back to 0', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'takd-stall-'));
  const store = DurableQueue.open({ dir, fsync: { mode: 'never' } });
  // The server: on its first connection it says hello (so takd's read-idle check applies),
  // then never reads or writes again, and at the end drops what it never read. Later
  // connections read everything and say nothing.
  const arrivals: string[] = [];
  const sockets: Socket[] = [];
  let connections = 0;
  const server = createServer((socket) => {
    connections += 1;
    sockets.push(socket);
    socket.on('error', () => undefined);
    if (connections === 1) {
      socket.write(encodeXmlString(makeEvent('SERVER', 't-x-c-t', Date.now())));
      socket.pause();
      return;
    }
    const decoder = new CotStreamDecoder({ onEvent: (event) => {
        if (!event.type.startsWith('t-x-')) arrivals.push(event.uid); // takd's pings are not ours
      }, onError: () => undefined });
    socket.on('data', (chunk: Buffer) => decoder.push(chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const router = new Router({ outputs: [{ name: 'server', role: 'server', store }], pumpIntervalMs: 20 });
  const component = new TransportComponent(
    'server',
    'output',
    () =>
      createTransport(`tcp://127.0.0.1:${port}`, {
        name: 'server',
        backoff: { initialMs: 50, maxMs: 200, jitter: 0 },
        pingAfterMs: 300,
        idleTimeoutMs: 1_000,
        keepAliveMs: 0,
      }),
    router,
  );
  t.after(async () => {
    router.stop();
    await component.stop();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  await component.start();
  router.start();
  await waitUntil(() => component.status().state === 'connected', 'the output is up');

  const published: CotEvent[] = [];
  const publish = (count: number) => {
    for (let i = 0; i < count; i++) {
      const now = Date.now();
      const [type, how] = i % 2 === 0 ? ['b-t-f', 'h-g-i-g-o'] : ['a-h-G', 'h-g-i-g-o'];
      const event = makeEvent(`${type}-${published.length}`, type, now, { how, stale: now + 600_000, xmlDetail: REMARKS });
      published.push(event);
      router.publish(event, mesh);
    }
  };
  // More than the kernel's buffers can take (a send buffer grows to 4 MiB on Linux; the
  // server's receive buffer stays small while it does not read), so that takd's own
  // in-flight bytes fill up too, then a steady flow while the connection is idle.
  publish(BURST);
  for (let round = 0; round < ROUNDS && connections < 2; round++) {
    publish(PER_ROUND);
    await sleep(50);
  }
  await waitUntil(() => connections >= 2, 'takd closed the stalled connection (read idle) and connected again', 30_000);
  // The stalled server goes away with whatever the kernel had taken for it, unread.
  sockets[0]!.destroy();

  const counters = () => component.status().counters;
  const lostInFlight = () => counters().inFlightLost ?? 0;
  const arrived = () => new Set(arrivals).size;
  // Polled, not awaited with a deadline that throws: the figures below are printed either way.
  await eventually(() => arrived() + lostInFlight() >= published.length && router.status().outputs[0]!.pending === 0 && component.status().queueDepth === 0, 30_000);

  const counts = new Map<string, number>();
  for (const uid of arrivals) counts.set(uid, (counts.get(uid) ?? 0) + 1);
  const missing = published.filter((event) => !counts.has(event.uid)).length;
  const status = router.status().outputs[0]!;
  t.diagnostic(
    `published ${published.length}, arrived ${arrived()}, missing ${missing}, inFlightLost ${lostInFlight()}, ` +
      `returned ${counters().eventsReturned ?? 0}, stored ${status.counters.stored}, sent ${status.counters.sent}, ` +
      `overflow ${status.counters.overflow}, queueDepth ${component.status().queueDepth}`,
  );
  const twice = [...counts].filter(([, n]) => n > 1).map(([uid]) => uid);
  assert.deepEqual(twice, [], 'no event arrived twice');
  assert.ok(missing <= lostInFlight(), `${missing} missing, ${lostInFlight()} counted as lost in flight`);
  assert.equal(status.counters.overflow, 0, 'nothing dropped for lack of room (the durable queue took it)');
  assert.ok((counters().eventsReturned ?? 0) > 0, 'events the kernel had not taken came back to their lane');
  assert.equal(status.pending, 0);
  assert.equal(component.status().queueDepth, 0);
});
