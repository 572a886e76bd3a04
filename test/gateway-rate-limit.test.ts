// A 1,200 bytes/s link (a radio-grade backhaul) over a real TCP connection, flooded with
// PLI from 50 uids: it carries the newest position per uid, a chat overtakes the waiting
// PLI, and the bytes on the wire stay within the budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CotEvent } from '../daemon/codec/event.js';
import { encodeXml } from '../daemon/codec/xml/encode.js';
import { Router } from '../daemon/routing/router.js';
import { CapturingServer, makeEvent, waitUntil } from './support/routing.js';
import { createTransport } from './support/transports.js';

const BYTES_PER_SECOND = 1_200;

test('a 1,200 bytes/s link flooded with PLI from 50 uids: newest per uid, chat overtakes PLI', async (t) => {
  const server = new CapturingServer();
  const port = await server.listen();
  const client = createTransport(`tcp://127.0.0.1:${port}`, { name: 'radio', pingAfterMs: 0, idleTimeoutMs: 0 });
  const sample = makeEvent('x', 'a-f-G-U-C', 0);
  const declarationBytes = encodeXml(sample, { declaration: true }).length - encodeXml(sample).length;
  const router = new Router({
    outputs: [{ target: client, role: 'server', rate: { bytesPerSecond: BYTES_PER_SECOND }, framingBytes: declarationBytes }],
    pumpIntervalMs: 20,
  });
  t.after(async () => {
    router.stop();
    await client.close();
    await server.cut();
  });
  client.start();
  router.start();
  await waitUntil(() => client.status().state === 'connected', 'connected');

  const started = Date.now();
  const newest = new Map<string, CotEvent>();
  for (let round = 0; round < 5; round++) {
    for (let u = 0; u < 50; u++) {
      const event = makeEvent(`PLI-${u}`, 'a-f-G-U-C', Date.now() + round, { stale: Date.now() + 120_000 });
      newest.set(event.uid, event);
      router.publish(event, { id: 'mesh', role: 'mesh' });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const chat = makeEvent('CHAT-1', 'b-t-f', Date.now(), { stale: Date.now() + 86_400_000 });
  router.publish(chat, { id: 'mesh', role: 'mesh' });

  const arrivedNewest = () => {
    const times = new Set(server.arrivals.map((a) => `${a.event.uid}@${a.event.time}`));
    return [...newest.values()].every((event) => times.has(`${event.uid}@${event.time}`));
  };
  // A guard against hangs: if a newest position never arrives, this gives up and the test fails.
  await waitUntil(() => router.status().outputs[0].pending === 0 && arrivedNewest(), 'the newest position of every uid arrived', 50_000);
  const elapsedSeconds = (Date.now() - started) / 1000;

  const uids = server.uids();
  const chatIndex = uids.indexOf('CHAT-1');
  assert.ok(chatIndex >= 0, 'the chat arrived');
  const overtaken = server.arrivals.slice(chatIndex + 1).filter((a) => a.event.uid.startsWith('PLI-') && a.event.time < chat.time);
  assert.ok(overtaken.length >= 10, `the chat overtook ${overtaken.length} waiting position reports`);

  const lastArrived = new Map<string, number>();
  for (const { event } of server.arrivals) {
    if (!event.uid.startsWith('PLI-')) continue;
    const previous = lastArrived.get(event.uid);
    assert.ok(previous === undefined || event.time > previous, `${event.uid}: never an older position after a newer one`);
    lastArrived.set(event.uid, event.time);
  }
  for (const [uid, event] of newest) assert.equal(lastArrived.get(uid), event.time, `${uid}: the newest position arrived`);
  const pliArrivals = server.arrivals.length - 1;
  assert.ok(pliArrivals < 250 / 2, `${pliArrivals} of 250 position reports went; the rest were coalesced`);
  assert.ok(router.status().outputs[0].counters.coalesced >= 250 - pliArrivals - 50);

  // Within the budget: one burst (1 s) plus the sustained rate over the time taken.
  assert.ok(server.bytes <= BYTES_PER_SECOND * (1 + elapsedSeconds), `${server.bytes} bytes in ${elapsedSeconds.toFixed(1)} s`);
});
