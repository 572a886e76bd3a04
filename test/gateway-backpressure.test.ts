// A phone floods a tcp+listen input faster than the server link drains: the input stops
// reading (TCP back-pressure) instead of takd buffering or dropping, nothing is lost once
// the server reads again, and the events go out as the phone wrote them, byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { Router } from '../daemon/routing/router.js';
import { createTransport } from './support/transports.js';
import type { StreamListener } from '../daemon/transports/stream-listener.js';
import { atakPliCorpus } from './support/generators.js';
import { waitUntil } from './support/wait.js';

const EVENTS = 20_000;

test('a flood into a listener waits for a slow server link: inputs pause, nothing is dropped, bytes pass through unchanged', async (t) => {
  // The "server": accepts, then reads nothing until told to.
  let serverSide: Socket | undefined;
  const received: Buffer[] = [];
  const server = createServer((socket) => {
    serverSide = socket;
    socket.pause();
    socket.on('data', (chunk: Buffer) => received.push(chunk));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const output = createTransport(`tcp+wo://127.0.0.1:${(server.address() as AddressInfo).port}`, { name: 'server', pingAfterMs: 0, idleTimeoutMs: 0 });
  const router = new Router({ outputs: [{ target: output, role: 'server' }] });
  const input = createTransport('tcp+listen://127.0.0.1:0', {
    name: 'phones',
    idleTimeoutMs: 0,
    inboundGate: router.inboundGate,
    onEvent: (event) => router.publish(event, { id: 'phones', role: 'peers' }),
  }) as StreamListener;
  t.after(async () => {
    router.stop();
    await input.close();
    await output.close();
    serverSide?.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  output.start();
  input.start();
  router.start();
  await input.listening();
  await waitUntil(() => output.status().state === 'connected' && serverSide !== undefined, 'the server link is up');

  const events = atakPliCorpus(EVENTS, 3, Date.now());
  const phone = connect(input.port as number, '127.0.0.1');
  await once(phone, 'connect');
  phone.write(events.join(''));

  // While the server reads nothing, takd holds a bounded number of events and the rest
  // stays with the sender (its socket buffer fills).
  let mostWaiting = 0;
  await waitUntil(() => {
    mostWaiting = Math.max(mostWaiting, router.status().outputs[0]!.pending);
    return phone.writableLength > 0 && input.status().counters.eventsReceived > 0 && router.status().outputs[0]!.pending >= 1_000;
  }, 'the input stops reading while the server link is backed up');
  const receivedWhileBlocked = input.status().counters.eventsReceived;
  assert.ok(receivedWhileBlocked < EVENTS, `takd stopped reading after ${receivedWhileBlocked} of ${EVENTS} events`);

  serverSide!.resume();
  const text = (): string => Buffer.concat(received).toString('utf8');
  await waitUntil(() => (text().match(/<\/event>/g) ?? []).length >= EVENTS, 'every event reached the server', 60_000);
  mostWaiting = Math.max(mostWaiting, router.status().outputs[0]!.pending);

  const counters = router.status().outputs[0]!.counters;
  assert.equal(counters.overflow, 0, 'no position report was dropped for lack of room');
  assert.equal(counters.coalesced, 0);
  assert.equal(output.status().counters.eventsDropped, 0, 'the transport queue dropped nothing');
  assert.ok(mostWaiting < 2_000, `at most ${mostWaiting} events waited in takd (the gate closes at 1,000)`);
  // The sender's events byte for byte, in the sender's order (the framer leaves the XML
  // declaration between events behind): nothing was encoded again.
  const sent = events.map((xml) => xml.slice(xml.indexOf('<event'))).join('');
  assert.ok(text() === sent, 'the server received exactly the events the phone wrote');
});
