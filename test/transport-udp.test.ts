// UDP unicast on loopback (multicast and broadcast are tested inside network namespaces,
// in transport-multicast.test.ts): mesh framing, per-datagram detection, bad datagrams.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import type { CotEvent } from '../daemon/codec/event.js';
import { encodeProtoMesh } from '../daemon/codec/proto/index.js';
import { encodeXml } from '../daemon/codec/xml/encode.js';
import { XmlEventDecoder } from '../daemon/codec/xml/decode.js';
import { decodeDatagram } from '../daemon/codec/datagram.js';
import { createTransport } from './support/transports.js';
import type { UdpTransport } from '../daemon/transports/udp.js';
import { pli, recordingLogger } from './support/transport-fixtures.js';
import { waitUntil } from './support/wait.js';

async function rawSocket(type: 'udp4' | 'udp6', host: string): Promise<{ socket: Socket; port: number; datagrams: Buffer[] }> {
  const socket = createSocket(type);
  const datagrams: Buffer[] = [];
  socket.on('message', (msg) => datagrams.push(msg));
  await new Promise<void>((resolve) => socket.bind(0, host, () => resolve()));
  return { socket, port: socket.address().port, datagrams };
}

async function receiver(url: string, received: CotEvent[], versions: number[] = []): Promise<UdpTransport> {
  const transport = createTransport(url, { onEvent: (event, origin) => { received.push(event); versions.push(origin.version); } }) as UdpTransport;
  transport.start();
  await waitUntil(() => transport.boundPort !== undefined && transport.boundPort > 0, 'bound');
  return transport;
}

for (const [family, host, bracketed, type] of [['IPv4', '127.0.0.1', '127.0.0.1', 'udp4'], ['IPv6', '::1', '[::1]', 'udp6']] as const) {
  test(`unicast XML and TAK protocol 1 datagrams, detected per datagram (${family})`, async () => {
    const received: CotEvent[] = [];
    const versions: number[] = [];
    const rx = await receiver(`udp+ro://${bracketed}:0`, received, versions);
    const xmlOut = createTransport(`udp+wo://${bracketed}:${rx.boundPort}`);
    const meshOut = createTransport(`udp+wo://${bracketed}:${rx.boundPort}`, { proto: 1 });
    const tap = await rawSocket(type, host);
    const meshTap = createTransport(`udp+wo://${bracketed}:${tap.port}`, { proto: 1 });
    try {
      for (const t of [xmlOut, meshOut, meshTap]) t.start();
      xmlOut.send(pli(1));
      await waitUntil(() => received.length === 1, 'XML datagram');
      meshOut.send(pli(2));
      await waitUntil(() => received.length === 2, 'v1 datagram');
      assert.deepEqual(received.map((e) => e.contact?.callsign), ['JULIET-1', 'JULIET-2']);
      assert.deepEqual(versions, [0, 1]);
      // Unicast uses mesh framing (BF 01 BF), not stream framing.
      meshTap.send(pli(3));
      await waitUntil(() => tap.datagrams.length === 1, 'raw datagram');
      assert.deepEqual([...(tap.datagrams[0] as Buffer).subarray(0, 3)], [0xbf, 0x01, 0xbf]);
      assert.equal(decodeDatagram(tap.datagrams[0] as Buffer, new XmlEventDecoder()).event?.uid, pli(3).uid);
    } finally {
      tap.socket.close();
      for (const t of [xmlOut, meshOut, meshTap, rx]) await t.close();
    }
  });
}

test('bad datagrams are counted, never fatal; good ones after them arrive', async () => {
  const received: CotEvent[] = [];
  const rx = await receiver('udp+ro://127.0.0.1:0', received);
  const sender = await rawSocket('udp4', '127.0.0.1');
  const send = (bytes: Buffer | string): Promise<void> => new Promise((resolve) => sender.socket.send(bytes, rx.boundPort, '127.0.0.1', () => resolve()));
  try {
    const garbage: (Buffer | string)[] = [
      Buffer.from([0xbf, 0x01, 0xbf, 0xff, 0xff, 0xff]),
      Buffer.from([0xbf, 0x02, 0xbf]),
      Buffer.from([0xbf]),
      Buffer.alloc(0),
      '<event uid="x"',
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><event/>',
      'plain text',
      Buffer.from(encodeXml(pli(4)).subarray(0, 100)),
    ];
    for (const g of garbage) await send(g);
    await send(encodeXml(pli(5)));
    await send(encodeProtoMesh(pli(6)));
    await waitUntil(() => received.length === 2, 'the two good datagrams');
    assert.deepEqual(received.map((e) => e.contact?.callsign), ['JULIET-5', 'JULIET-6']);
    assert.ok(rx.status().counters.decodeErrors >= garbage.length - 1, `errors: ${rx.status().counters.decodeErrors}`);
  } finally {
    sender.socket.close();
    await rx.close();
  }
});

test('an event too large for a datagram is dropped and counted; the transport lives on', async () => {
  const received: CotEvent[] = [];
  const rx = await receiver('udp+ro://127.0.0.1:0', received);
  const logger = recordingLogger();
  const out = createTransport(`udp+wo://127.0.0.1:${rx.boundPort}`, { logger });
  try {
    out.start();
    const huge = { ...pli(7), xmlDetail: `<remarks>${'z'.repeat(70_000)}</remarks>` };
    // Dropped at once: refused, so a router in front counts it as not sent.
    for (let i = 0; i < 100; i += 1) assert.equal(out.send(huge), false);
    out.send(pli(8));
    await out.flush();
    await waitUntil(() => received.length === 1, 'the normal event');
    assert.equal(received[0]?.contact?.callsign, 'JULIET-8');
    assert.equal(out.status().counters.eventsDropped, 100);
    assert.equal(logger.lines.filter((l) => l.msg === 'dropping events').length, 1, 'logged once, not per event');
  } finally {
    await out.close();
    await rx.close();
  }
});

test('udp:// unicast without +wo receives the replies sent back to its port', async () => {
  const peer = await rawSocket('udp4', '127.0.0.1');
  const received: CotEvent[] = [];
  peer.socket.on('message', (_msg, rinfo) => peer.socket.send(encodeXml(pli(9)), rinfo.port, rinfo.address));
  const both = createTransport(`udp://127.0.0.1:${peer.port}`, { onEvent: (event) => received.push(event) });
  try {
    both.start();
    both.send(pli(1));
    await waitUntil(() => received.length === 1, 'reply');
    assert.equal(received[0]?.contact?.callsign, 'JULIET-9');
  } finally {
    peer.socket.close();
    await both.close();
  }
});

test('interfaces on a unicast URL are a configuration error', () => {
  assert.throws(() => createTransport('udp://127.0.0.1:6969?interface=lo'), /interface: interfaces apply to multicast only/);
});
