// TAK protocol negotiation on streams (tak-protocol.md §4.1) against hand-written servers
// that speak the wire format directly: one offers v1 and accepts, one offers nothing, one
// refuses, one never answers; and takd's own listener against takd's client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import type { CotEvent } from '../daemon/codec/event.js';
import { decodeTakMessage, ProtoStreamDeframer } from '../daemon/codec/proto/index.js';
import { VECTOR_STREAM_HEX } from './support/proto-fixtures.js';
import { createTransport } from './support/transports.js';
import type { StreamListener } from '../daemon/transports/stream-listener.js';
import { count, pli, RawServer, sleep } from './support/transport-fixtures.js';
import { waitUntil } from './support/wait.js';

const TIME = 'time="2024-05-01T12:00:00.000Z" start="2024-05-01T12:00:00.000Z" stale="2030-05-01T12:01:00.000Z"';
const POINT = '<point lat="0.0" lon="0.0" hae="0.0" ce="999999" le="999999"/>';

function advertise(uid: string, versions: number[]): string {
  const support = versions.map((v) => `<TakProtocolSupport version="${v}"/>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<event version="2.0" uid="${uid}" type="t-x-takp-v" how="m-g" ${TIME}>${POINT}<detail><TakControl>${support}<TakServerVersionInfo serverVersion="5.2-RELEASE-30"/></TakControl></detail></event>`;
}

function response(uid: string, status: boolean): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<event version="2.0" uid="${uid}" type="t-x-takp-r" how="m-g" ${TIME}>${POINT}<detail><TakControl><TakResponse status="${status}"/></TakControl></detail></event>`;
}

/** The reference TAK protocol v1 stream frame (an event with uid "a"), from the spec vectors. */
const VECTOR_FRAME = Buffer.from(VECTOR_STREAM_HEX.replace(/\s+/g, ''), 'hex');

/** Splits the bytes the client sent into what came before the request and after it. */
function afterRequest(received: Buffer): Buffer {
  const marker = received.indexOf('t-x-takp-q');
  assert.ok(marker >= 0, 'the client sent a request');
  return received.subarray(received.indexOf('</event>', marker) + '</event>'.length);
}

function decodeProtoStream(bytes: Buffer): CotEvent[] {
  const events: CotEvent[] = [];
  const deframer = new ProtoStreamDeframer();
  deframer.push(
    bytes,
    (payload) => {
      const { event } = decodeTakMessage(payload);
      if (event) events.push(event);
    },
    (error) => assert.fail(`not a clean v1 stream: ${error.message}`),
  );
  return events;
}

test('a server that offers v1 and accepts: the client switches both directions at the exact byte', async () => {
  const server = new RawServer();
  const port = await server.listen();
  let requestSeenAt = -1;
  let bytesDuringWait = 0;
  server.onConnection = (socket) => socket.write(advertise('protouid-1', [1]));
  server.onData = (socket: Socket) => {
    if (requestSeenAt < 0 && server.text.includes('t-x-takp-q') && server.text.indexOf('</event>', server.text.indexOf('t-x-takp-q')) > 0) {
      requestSeenAt = server.received.length;
      assert.match(server.text, /uid="protouid-1"[^>]*type="t-x-takp-q"|type="t-x-takp-q"[^>]*uid="protouid-1"/);
      assert.match(server.text, /<TakRequest version="1"\/>/);
      // Answer late: the client must hold its events back meanwhile.
      setTimeout(() => {
        bytesDuringWait = server.received.length - requestSeenAt;
        // The answer and a v1 frame in one write: the switch happens right after </event>.
        socket.write(Buffer.concat([Buffer.from(response('protouid-1', true)), VECTOR_FRAME]));
      }, 300);
    }
  };
  const received: CotEvent[] = [];
  const client = createTransport(`tcp://127.0.0.1:${port}`, { proto: 1, onEvent: (event) => received.push(event), pingAfterMs: 0 });
  try {
    client.start();
    await waitUntil(() => requestSeenAt >= 0, 'request');
    for (let i = 0; i < 5; i += 1) client.send(pli(i));
    await waitUntil(() => received.length === 1, 'the v1 event from the server');
    assert.equal(received[0]?.uid, 'a');
    await waitUntil(() => decodeProtoStream(afterRequest(server.received)).length === 5, 'five v1 frames from the client');
    assert.equal(bytesDuringWait, 0, 'no XML between the request and the response');
    assert.deepEqual(decodeProtoStream(afterRequest(server.received)).map((e) => e.uid), [0, 1, 2, 3, 4].map((i) => pli(i).uid));
    assert.equal(client.status().protocol, 1);
    assert.equal(count(server.text, '<event'), 1, 'only the request was XML');
  } finally {
    await client.close();
    await server.kill();
  }
});

test('a server that offers nothing (taky, FreeTAKServer style): XML throughout', async () => {
  const server = new RawServer();
  const port = await server.listen();
  const client = createTransport(`tcp://127.0.0.1:${port}`, { proto: 1 });
  try {
    client.start();
    for (let i = 0; i < 3; i += 1) client.send(pli(i));
    await waitUntil(() => count(server.text, '</event>') === 3, 'three XML events');
    assert.ok(!server.received.includes(0xbf));
    assert.equal(client.status().protocol, 0);
  } finally {
    await client.close();
    await server.kill();
  }
});

test('a server that offers only other versions, and one that refuses: XML goes on', async () => {
  for (const [offer, answer] of [[[2], undefined], [[1], false]] as const) {
    const server = new RawServer();
    const port = await server.listen();
    server.onConnection = (socket) => socket.write(advertise('protouid-2', [...offer]));
    server.onData = (socket) => {
      if (answer !== undefined && server.text.includes('t-x-takp-q') && !server.text.includes('answered')) {
        server.received = Buffer.concat([server.received, Buffer.from('<!--answered-->')]);
        socket.write(response('protouid-2', answer));
      }
    };
    const client = createTransport(`tcp://127.0.0.1:${port}`, { proto: 1 });
    try {
      client.start();
      await sleep(100);
      client.send(pli(1));
      await waitUntil(() => server.text.includes('JULIET-1"'), 'the event, in XML');
      assert.equal(client.status().protocol, 0);
      assert.equal(client.status().state, 'connected');
      assert.equal(server.text.includes('t-x-takp-q'), answer !== undefined, 'a request only for an offered version');
    } finally {
      await client.close();
      await server.kill();
    }
  }
});

test('a server that never answers the request: reconnect, and stay with XML on the next connection', async () => {
  const server = new RawServer();
  const port = await server.listen();
  server.onConnection = (socket) => socket.write(advertise('protouid-3', [1]));
  const client = createTransport(`tcp://127.0.0.1:${port}`, { proto: 1, negotiationTimeoutMs: 300, backoff: { initialMs: 50 }, pingAfterMs: 0 });
  try {
    client.start();
    client.send(pli(1));
    await waitUntil(() => server.connections === 2, 'reconnected after the timeout');
    await waitUntil(() => server.text.includes('JULIET-1"'), 'the held event, in XML on the second connection');
    assert.equal(count(server.text, 't-x-takp-q'), 1, 'no second request');
    assert.equal(client.status().protocol, 0);
  } finally {
    await client.close();
    await server.kill();
  }
});

test('takd listener with proto 1 and takd client with proto 1 settle on v1 and exchange events', async () => {
  const atListener: CotEvent[] = [];
  const atClient: CotEvent[] = [];
  const listener = createTransport('tcp+listen://127.0.0.1:0', { proto: 1, onEvent: (event, origin) => atListener.push({ ...event, opex: String(origin.version) }) }) as StreamListener;
  listener.start();
  await listener.listening();
  const client = createTransport(`tcp://127.0.0.1:${listener.port}`, { proto: 1, onEvent: (event, origin) => atClient.push({ ...event, opex: String(origin.version) }) });
  try {
    client.start();
    await waitUntil(() => client.status().protocol === 1, 'v1 negotiated');
    client.send(pli(1));
    await waitUntil(() => atListener.length === 1, 'event at the listener');
    listener.send(pli(2));
    await waitUntil(() => atClient.length === 1, 'event at the client');
    assert.equal(atListener[0]?.opex, '1');
    assert.equal(atClient[0]?.opex, '1');
    assert.equal(atClient[0]?.group?.name, 'White');
  } finally {
    await client.close();
    await listener.close();
  }
});

test('takd listener with proto 1 and a client that stays with XML: the listener keeps XML for it', async () => {
  const atListener: CotEvent[] = [];
  const listener = createTransport('tcp+listen://127.0.0.1:0', { proto: 1, onEvent: (event) => atListener.push(event) }) as StreamListener;
  listener.start();
  await listener.listening();
  const client = createTransport(`tcp://127.0.0.1:${listener.port}`, { proto: 0 });
  try {
    client.start();
    client.send(pli(1));
    await waitUntil(() => atListener.length === 1, 'XML event at the listener');
    assert.equal(client.status().protocol, 0);
  } finally {
    await client.close();
    await listener.close();
  }
});
