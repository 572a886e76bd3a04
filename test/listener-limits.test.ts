// The listener's door and deadlines (listener-limits.ts), tried as hostile clients would on
// loopback: a client that writes pings and never reads, one address holding every slot,
// idle and trickling connections, half-finished TLS handshakes and refused certificates.
// Each case is bounded in count and time, and a well-behaved client keeps working beside it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { CotEvent } from '../daemon/codec/event.js';
import { encodeXmlString } from '../daemon/codec/xml/encode.js';
import { createTransport } from './support/transports.js';
import { REVOKED_CODE, tlsRefusalReason, type ListenerLimits } from '../daemon/transports/listener-limits.js';
import type { StreamListener } from '../daemon/transports/stream-listener.js';
import type { Transport } from '../daemon/transports/types.js';
import { viewConfig } from '../config/view.js';
import { outputTransportOptions } from '../daemon/transports/output-settings.js';
import { makeTestPki } from './support/certs.js';
import { load, TempDir } from './support/config-fixtures.js';
import { pli, recordingLogger } from './support/transport-fixtures.js';
import { waitUntil } from './support/wait.js';

const PING = '<event version="2.0" uid="takPing" type="t-x-c-t" how="h-g-i-g-o" time="2026-01-01T00:00:00Z" start="2026-01-01T00:00:00Z" stale="2099-01-01T00:00:00Z"><point lat="0" lon="0" hae="0" ce="9999999" le="9999999"/><detail/></event>';

async function startListener(url: string, limits: Partial<ListenerLimits>, extra: object = {}): Promise<{ listener: StreamListener; received: CotEvent[] }> {
  const received: CotEvent[] = [];
  const listener = createTransport(url, { onEvent: (event) => received.push(event), limits, logger: recordingLogger(), ...extra }) as StreamListener;
  listener.start();
  await listener.listening();
  return { listener, received };
}

function counter(listener: StreamListener, name: string): number {
  return listener.status().counters[name] ?? 0;
}

function open(port: number, localAddress = '127.0.0.1'): Socket {
  const socket = connect({ port, host: '127.0.0.1', localAddress });
  socket.on('error', () => undefined);
  return socket;
}

const connected = (socket: Socket): Promise<void> => new Promise((resolve) => socket.once('connect', () => resolve()));

test('a client that sends pings and never reads is held back, then closed; another client is unaffected', async () => {
  const { listener, received } = await startListener('tcp+listen://127.0.0.1:0', { maxOutboundBytes: 64 * 1024, stallTimeoutMs: 500 });
  const flooder = open(listener.port as number);
  flooder.pause(); // never reads a pong
  const good = open(listener.port as number);
  const atGood: string[] = [];
  good.on('data', (chunk: Buffer) => atGood.push(chunk.toString('latin1')));
  try {
    await Promise.all([connected(flooder), connected(good)]);
    const burst = Buffer.from(PING.repeat(200));
    let written = 0;
    let blocked = false;
    // At most 40 MB of pings: takd must stop reading long before that.
    while (written < 40 * 1024 * 1024 && !flooder.destroyed) {
      if (!flooder.write(burst)) {
        blocked = true;
        break;
      }
      written += burst.length;
      if (written % (1024 * 1024) < burst.length) await new Promise((resolve) => setImmediate(resolve));
    }
    assert.ok(blocked, `the flooder's writes never blocked after ${written} bytes: takd kept reading without bound`);
    good.write(encodeXmlString(pli(1)));
    listener.send(pli(2));
    await waitUntil(() => received.some((e) => e.uid === pli(1).uid), 'the good client is still read');
    await waitUntil(() => atGood.join('').includes(pli(2).uid), 'the good client still gets events');
    await waitUntil(() => counter(listener, 'closed.slowReader') === 1, 'the flooder closed as a slow reader');
    await waitUntil(() => listener.clientCount === 1, 'only the good client left');
  } finally {
    flooder.destroy();
    good.destroy();
    await listener.close();
  }
});

test('one address cannot take every slot: per-address limit, then the reserve lets a new address in', async () => {
  const { listener, received } = await startListener('tcp+listen://127.0.0.1:0', { maxClients: 16, maxPerAddress: 12, reserve: 2, firstEventTimeoutMs: 0 });
  const sockets: Socket[] = [];
  try {
    for (let i = 0; i < 40; i += 1) sockets.push(open(listener.port as number, '127.0.0.1'));
    await waitUntil(() => counter(listener, 'refused.perAddress') + counter(listener, 'refused.reserve') === 28, '28 refused from one address');
    assert.equal(listener.clientCount, 12);
    // 127.0.0.2 and .3 are other addresses on loopback.
    for (let i = 0; i < 4; i += 1) sockets.push(open(listener.port as number, '127.0.0.2'));
    await waitUntil(() => listener.clientCount === 14 && counter(listener, 'refused.reserve') >= 2, 'the second address held to the reserve');
    const phone = open(listener.port as number, '127.0.0.3');
    sockets.push(phone);
    await connected(phone);
    phone.write(encodeXmlString(pli(3)));
    await waitUntil(() => received.length === 1, 'a phone from a new address gets in and is read');
    assert.equal(listener.clientCount, 15);
  } finally {
    for (const socket of sockets) socket.destroy();
    await listener.close();
  }
});

test('deadlines: no first event, an event that trickles in, and silence each close the client and are counted', async () => {
  // One listener per deadline, the others off, so a slow machine cannot turn one into another.
  const silentCase = await startListener('tcp+listen://127.0.0.1:0', { firstEventTimeoutMs: 300, eventTimeoutMs: 0, idleTimeoutMs: 0 });
  const trickleCase = await startListener('tcp+listen://127.0.0.1:0', { firstEventTimeoutMs: 0, eventTimeoutMs: 300, idleTimeoutMs: 0 });
  const quietCase = await startListener('tcp+listen://127.0.0.1:0', { firstEventTimeoutMs: 0, eventTimeoutMs: 0, idleTimeoutMs: 500 });
  const silent = open(silentCase.listener.port as number);
  const trickler = open(trickleCase.listener.port as number);
  const quiet = open(quietCase.listener.port as number);
  let trickle: NodeJS.Timeout | undefined;
  try {
    await Promise.all([connected(silent), connected(trickler), connected(quiet)]);
    quiet.write(encodeXmlString(pli(4)));
    trickler.write(encodeXmlString(pli(6)));
    await waitUntil(() => trickleCase.received.length === 1, "the trickler's first event");
    const xml = encodeXmlString(pli(5));
    const slow = Buffer.from(xml.slice(xml.indexOf('<event')));
    let at = 0;
    // One byte every 20 ms keeps the link busy, but the event cannot finish within 300 ms.
    trickle = setInterval(() => {
      if (at < slow.length && !trickler.destroyed) trickler.write(slow.subarray(at, (at += 1)));
    }, 20);
    await waitUntil(() => counter(silentCase.listener, 'closed.firstEventTimeout') === 1, 'the silent client closed');
    await waitUntil(() => counter(trickleCase.listener, 'closed.eventTimeout') === 1, 'the trickling client closed');
    await waitUntil(() => counter(quietCase.listener, 'closed.idle') === 1, 'the client that went quiet closed');
    assert.deepEqual(quietCase.received.map((e) => e.uid), [pli(4).uid]);
    assert.deepEqual(trickleCase.received.map((e) => e.uid), [pli(6).uid]);
    // A closed client leaves the count on its socket's 'close' event, a turn of the loop after the sweep counted it.
    await waitUntil(() => [silentCase, trickleCase, quietCase].every(({ listener }) => listener.clientCount === 0), 'the closed clients gone');
  } finally {
    clearInterval(trickle);
    for (const socket of [silent, trickler, quiet]) socket.destroy();
    for (const { listener } of [silentCase, trickleCase, quietCase]) await listener.close();
  }
});

test('a send-only listener keeps a consumer that never writes (no deadline applies to it)', async () => {
  const { listener } = await startListener('tcp+listen+wo://127.0.0.1:0', { firstEventTimeoutMs: 100, eventTimeoutMs: 100, idleTimeoutMs: 200 });
  const consumer = open(listener.port as number);
  let text = '';
  consumer.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  try {
    await connected(consumer);
    await waitUntil(() => listener.clientCount === 1, 'consumer connected');
    for (let i = 0; i < 8; i += 1) {
      listener.send(pli(100 + i));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await waitUntil(() => text.includes(pli(107).uid), 'every event reached the consumer');
    assert.equal(listener.clientCount, 1);
    assert.equal(counter(listener, 'closed.idle') + counter(listener, 'closed.firstEventTimeout'), 0);
  } finally {
    consumer.destroy();
    await listener.close();
  }
});

test('TLS: half-finished handshakes are capped per address and time out; refused certificates are counted by reason', async () => {
  const pki = makeTestPki();
  const tls = { cert: pki.serverCert, key: pki.serverKey, clientCa: pki.caCert };
  const { listener, received } = await startListener('tls+listen://127.0.0.1:0', { maxHandshakesPerAddress: 4, handshakeTimeoutMs: 2_000 }, { tls });
  const port = listener.port as number;
  const half: Socket[] = [];
  const clients: Transport[] = [];
  try {
    for (let i = 0; i < 20; i += 1) {
      const socket = open(port);
      socket.once('connect', () => socket.write(Buffer.from([0x16, 0x03, 0x01, 0x00, 0xc8, 0x01])));
      half.push(socket);
    }
    await waitUntil(() => counter(listener, 'refused.handshakes') === 16, '16 handshakes refused');
    await waitUntil(() => counter(listener, 'tlsRefused.handshakeTimeout') === 4, 'the 4 admitted handshakes timed out');
    await waitUntil(() => half.every((s) => s.destroyed || s.readableEnded), 'every half-open connection closed');

    const attempt = (cert: string | undefined, key: string | undefined): Promise<void> =>
      new Promise((resolve) => {
        const options = { port, host: '127.0.0.1', servername: 'localhost', ca: readFileSync(pki.caCert), ...(cert && key ? { cert: readFileSync(cert), key: readFileSync(key) } : {}) };
        const socket = tlsConnect(options, () => socket.write(encodeXmlString(pli(9))));
        socket.on('error', () => resolve());
        socket.on('close', () => resolve());
      });
    await attempt(undefined, undefined);
    await attempt(pki.wrongClientCert, pki.wrongClientKey);
    await attempt(pki.expiredClientCert, pki.expiredClientKey);
    await waitUntil(() => counter(listener, 'tlsRefused.noCertificate') === 1, 'no certificate counted');
    await waitUntil(() => counter(listener, 'tlsRefused.unknownCa') === 1, 'unknown CA counted');
    await waitUntil(() => counter(listener, 'tlsRefused.expired') === 1, 'expired counted');

    const good = createTransport(`tls://localhost:${port}`, { tls: { cert: pki.clientCert, key: pki.clientKey, ca: pki.caCert } });
    clients.push(good);
    good.start();
    good.send(pli(10));
    await waitUntil(() => received.some((e) => e.uid === pli(10).uid), 'a good client still gets in');
    assert.equal(received.length, 1, 'nothing from the refused clients was read');
  } finally {
    for (const socket of half) socket.destroy();
    for (const client of clients) await client.close();
    await listener.close();
    pki.cleanup();
  }
});

test('the limits come from the configuration file: [input.*] keys reach the listener', async () => {
  const dir = new TempDir();
  try {
    const file = dir.file('takd.ini', [
      '[input.phones]',
      'url = tcp+listen://127.0.0.1:0',
      'max_clients = 40',
      'max_clients_per_address = 2',
      'first_event_timeout = 0.5',
      'stall_timeout = 0',
      '[output.console]',
      'url = log://stdout',
    ].join('\n'));
    const config = viewConfig(load(['-c', file]));
    const input = config.inputs[0];
    assert.deepEqual(input?.limits, { maxClients: 40, maxPerAddress: 2, firstEventTimeoutMs: 500, stallTimeoutMs: 0 });
    const { listener } = await startListener('tcp+listen://127.0.0.1:0', {}, outputTransportOptions({ limits: input?.limits ?? {} }));
    const sockets = [0, 1, 2].map(() => open(listener.port as number));
    try {
      await waitUntil(() => counter(listener, 'refused.perAddress') === 1, 'the third connection from one address refused');
      await waitUntil(() => counter(listener, 'closed.firstEventTimeout') === 2, 'the two silent ones closed after 0.5 s');
    } finally {
      for (const socket of sockets) socket.destroy();
      await listener.close();
    }
  } finally {
    dir.remove();
  }
});

test('a client that never reads while large events flow: what waits for it is bounded in bytes, then it is closed', async () => {
  // Regression (issue 16): the per-connection queue was bounded in events only (100), so a
  // client that read nothing held 100 events of up to 64 KiB each (6.4 MB per connection).
  const { listener } = await startListener('tcp+wo+listen://127.0.0.1:0', { stallTimeoutMs: 5_000 }, { maxEventBytes: 65_536 });
  const idle = open(listener.port as number);
  idle.pause(); // never reads
  const reader = open(listener.port as number);
  let readBytes = 0;
  reader.on('data', (chunk: Buffer) => (readBytes += chunk.length));
  const EVENTS = 200;
  const remarks = `<remarks>${'x'.repeat(50_000)}</remarks>`;
  try {
    await Promise.all([connected(idle), connected(reader)]);
    await waitUntil(() => listener.clientCount === 2, 'both clients joined');
    const now = Date.now();
    const eventBytes = Buffer.byteLength(encodeXmlString({ ...pli(0), xmlDetail: remarks }));
    // Handed to the idle client and neither taken by the kernel nor dropped: what takd holds
    // for it (the reading client takes everything as it comes, in steps of 4).
    const heldForIdle = (sentSoFar: number) => {
      const { eventsSent, eventsDropped } = listener.status().counters;
      return 2 * sentSoFar - eventsSent - eventsDropped;
    };
    let most = 0;
    for (let i = 0; i < EVENTS; i += 4) {
      for (let j = i; j < i + 4; j++) listener.send({ ...pli(j), time: now, start: now, stale: now + 600_000, xmlDetail: remarks });
      await waitUntil(() => readBytes >= (i + 4) * eventBytes, 'the reading client got every event so far');
      most = Math.max(most, heldForIdle(i + 4));
    }
    const heldBytes = most * eventBytes;
    console.log(`idle client: at most ${most} events (${heldBytes} bytes) held by takd; ${listener.status().counters.eventsDropped} dropped`);
    assert.ok(heldBytes <= 2 * 1024 * 1024, `takd held ${heldBytes} bytes for a client that reads nothing`);
    await waitUntil(() => counter(listener, 'closed.slowReader') === 1, 'the idle client is closed as a slow reader');
  } finally {
    idle.destroy();
    reader.destroy();
    await listener.close();
  }
});

test('TLS refusal reasons: a revoked certificate has its own, whatever else the socket says', () => {
  assert.equal(tlsRefusalReason(REVOKED_CODE, null), 'revoked');
  assert.equal(tlsRefusalReason(REVOKED_CODE, undefined), 'revoked');
  assert.equal(tlsRefusalReason('ERR_TLS_CERT_REFUSED', null), 'badHandshake');
  assert.equal(tlsRefusalReason(undefined, 'CERT_HAS_EXPIRED'), 'expired');
  assert.equal(tlsRefusalReason('ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE', null), 'noCertificate');
});
