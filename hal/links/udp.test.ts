import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createAisPipeline } from '../drivers/ais/pipeline.js';
import { UdpLinkProvider } from './udp.js';

// Datagrams as AIS-catcher sends them, to a loopback port (unicast only).
const SENTENCES = ['!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A', '!AIVDM,1,1,,A,16SteH0P00Jt63hHaa6SagvJ087r,0*42'];

async function freeUdpPort(): Promise<number> {
  const probe = createSocket('udp4');
  await new Promise<void>((resolve) => probe.bind(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  probe.close();
  return port;
}

test('udp link: datagrams on loopback become whole lines, decoded by the AIS pipeline', async () => {
  const port = await freeUdpPort();
  const link = await new UdpLinkProvider().open({ url: new URL(`udp://127.0.0.1:${port}`) });
  const sender = createSocket('udp4');
  // One without a line end, one with CRLF: neither may be joined to the other.
  sender.send(Buffer.from(SENTENCES[0]), port, '127.0.0.1');
  sender.send(Buffer.from(`${SENTENCES[1]}\r\n`), port, '127.0.0.1');
  const pipeline = createAisPipeline();
  const mmsis: number[] = [];
  for await (const chunk of link.chunks()) {
    pipeline.push(chunk, (message) => void mmsis.push((message.report as { mmsi: number }).mmsi));
    if (mmsis.length === 2) break;
  }
  assert.equal(mmsis.length, 2);
  assert.equal(pipeline.decoder.counters.badChecksum ?? 0, 0);
  await assert.rejects(link.write(Buffer.from('x')), /receive only/);
  sender.close();
  await link.close();
});

test('udp link: a port in use or a missing port fails to open with a clear error', async () => {
  const taken = createSocket('udp4');
  taken.bind(0, '127.0.0.1');
  await once(taken, 'listening');
  const { port } = taken.address() as AddressInfo;
  await assert.rejects(new UdpLinkProvider().open({ url: new URL('udp://127.0.0.1') }), /a port is required/);
  // reuseAddr lets two sockets share the port on Linux; binding a non-local address cannot work.
  await assert.rejects(new UdpLinkProvider().open({ url: new URL(`udp://192.0.2.1:${port}`) }), /udp 192\.0\.2\.1/);
  taken.close();
});

test('udp link: while nobody reads, datagrams beyond 1 MiB waiting are dropped and counted in link.dropped', async () => {
  const port = await freeUdpPort();
  const link = await new UdpLinkProvider().open({ url: new URL(`udp://127.0.0.1:${port}`) });
  const sender = createSocket('udp4');
  const datagram = Buffer.alloc(60_000, 0x41);
  try {
    // One at a time, letting the link take each from the kernel, until it has to drop (bounded: 4 MB sent at most).
    for (let sent = 0; sent < 70 && (link.dropped ?? 0) === 0; sent += 1) {
      await new Promise<void>((resolve, reject) => sender.send(datagram, port, '127.0.0.1', (error) => (error ? reject(error) : resolve())));
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.ok((link.dropped ?? 0) > 0, 'datagrams dropped while more than 1 MiB waited');
  } finally {
    sender.close();
    await link.close();
  }
});
