// wss:// client against a TAK-Server-like WebSocket endpoint on loopback (node:https + ws,
// test/support/wss-server.ts) with certificates made at test time: round trips each way
// with every client certificate form, handshake refusals, a server that never answers, a
// server that closes every connection (no CPU spin), a server that stops answering pings,
// and oversized, malformed and text messages (counted, the link lives on).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import type { CotEvent } from '../daemon/codec/event.js';
import { parseTransportUrl } from '../daemon/transports/index.js';
import { createTransport } from './support/transports.js';
import type { TlsSettings } from '../daemon/transports/tls-options.js';
import type { Transport } from '../daemon/transports/types.js';
import { opensslUnavailableReason, withTestPki, type TestPki } from './support/certs.js';
import { pli, recordingLogger, sleep } from './support/transport-fixtures.js';
import { waitUntil } from './support/wait.js';
import { WssTestServer, type WssTestServerOptions } from './support/wss-server.js';

const skip = opensslUnavailableReason();
let pki: TestPki;
withTestPki(skip, (made) => (pki = made));

function clientTls(): TlsSettings {
  return { cert: pki.clientCert, key: pki.clientKey, ca: pki.caCert };
}

async function withServer(options: WssTestServerOptions, body: (server: WssTestServer, url: string) => Promise<void>): Promise<void> {
  const server = new WssTestServer(pki, options);
  const port = await server.listen();
  try {
    await body(server, `wss://localhost:${port}/takproto/1`);
  } finally {
    await server.close();
  }
}

async function closing(client: Transport, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } finally {
    await client.close();
  }
}

test('wss:// URLs: default port 8443 and path /takproto/1, +wo/+ro, listener form', () => {
  assert.deepEqual(parseTransportUrl('wss://tak.example.org'), { kind: 'wss', host: 'tak.example.org', port: 8443, path: '/takproto/1', direction: 'both' });
  assert.deepEqual(parseTransportUrl('wss+wo://[::1]:9443/takproto/1'), { kind: 'wss', host: '::1', port: 9443, path: '/takproto/1', direction: 'send' });
  assert.deepEqual(parseTransportUrl('wss+listen://0.0.0.0:8446/'), { kind: 'wss-listen', host: '0.0.0.0', port: 8446, path: '/takproto/1', direction: 'both' });
  assert.throws(() => parseTransportUrl('wss+bogus://h'), /unknown modifier/);
  assert.throws(() => parseTransportUrl('wss://h/takproto/1?x=1'), /no query/);
});

for (const [form, tls] of [
  ['PEM pair', () => clientTls()],
  ['combined PEM', () => ({ cert: pki.clientCombined, ca: pki.caCert })],
  ['PKCS#12 with a password file', () => ({ cert: pki.clientP12, passwordFile: pki.p12PasswordFile, ca: pki.caCert })],
] as const) {
  test(`round trip each way, one frame per binary message (${form})`, { skip }, async () => {
    await withServer({}, async (server, url) => {
      const received: CotEvent[] = [];
      const client = createTransport(url, { tls: tls(), onEvent: (event) => received.push(event) });
      await closing(client, async () => {
        client.start();
        for (let i = 0; i < 5; i++) client.send(pli(i));
        await waitUntil(() => server.received.length === 5, 'the server got 5 events');
        assert.deepEqual(server.received.map((e) => e.uid), [0, 1, 2, 3, 4].map((i) => pli(i).uid));
        assert.equal(server.badMessages, 0, 'every message held exactly one frame');
        server.broadcast({ ...pli(77), uid: 'from-server' });
        await waitUntil(() => received.length === 1, 'the client got the server event');
        assert.equal(received[0]?.uid, 'from-server');
        const status = client.status();
        assert.equal(status.state, 'connected');
        assert.equal(status.protocol, 1);
        assert.equal(status.counters.eventsSent, 5);
        assert.equal(status.counters.eventsReceived, 1);
      });
    });
  });
}

test('a 403 on the handshake is a certificate problem, and no file is touched', { skip }, async () => {
  await withServer({}, async (_server, url) => {
    const logger = recordingLogger();
    // A certificate the server's CA did not sign: TLS goes through, the upgrade gets 403.
    const tls: TlsSettings = { cert: pki.wrongClientCert, key: pki.wrongClientKey, ca: pki.caCert };
    const before = readFileSync(pki.wrongClientCert);
    const client = createTransport(url, { tls, logger, backoff: { initialMs: 100, maxMs: 200 } });
    await closing(client, async () => {
      client.start();
      await waitUntil(() => client.status().state === 'retrying', 'the client backs off');
      assert.match(client.status().message, /HTTP 403.*client certificate/);
      assert.ok(logger.lines.some((l) => l.level === 'error' && l.msg === 'TLS certificate rejected'));
      assert.ok(existsSync(pki.wrongClientCert) && existsSync(pki.wrongClientKey));
      assert.deepEqual(readFileSync(pki.wrongClientCert), before);
    });
  });
});

test('a server certificate from another CA is refused (verification is on)', { skip }, async () => {
  await withServer({}, async (_server, url) => {
    const client = createTransport(url, { tls: { ...clientTls(), ca: pki.wrongCaCert }, backoff: { initialMs: 100, maxMs: 200 } });
    await closing(client, async () => {
      client.start();
      await waitUntil(() => client.status().state === 'retrying', 'the client backs off');
      assert.match(client.status().message, /not (signed by a trusted CA|trusted)|chain/);
      assert.equal(client.status().counters.connects, 0);
    });
  });
});

test('dont_verify connects to any server and warns at every connect', { skip }, async () => {
  await withServer({}, async (server, url) => {
    const logger = recordingLogger();
    const client = createTransport(url, { tls: { cert: pki.clientCert, key: pki.clientKey, dontVerify: true }, logger, backoff: { initialMs: 50, maxMs: 50 } });
    await closing(client, async () => {
      client.start();
      await waitUntil(() => client.status().state === 'connected', 'connected');
      for (const ws of server.clients) ws.terminate();
      await waitUntil(() => client.status().counters.connects === 2, 'reconnected');
      assert.equal(logger.lines.filter((l) => l.level === 'warn' && /NOT VERIFIED/.test(l.msg ?? '')).length, 2);
    });
  });
});

test('a server that never answers the upgrade: handshake timeout, then backoff', { skip }, async () => {
  await withServer({ behaviour: 'silent' }, async (server, url) => {
    const client = createTransport(url, { tls: clientTls(), connectTimeoutMs: 300, backoff: { initialMs: 100, maxMs: 200 } });
    await closing(client, async () => {
      client.start();
      await waitUntil(() => server.upgrades >= 2, 'a second attempt after the timeout');
      assert.equal(client.status().counters.connects, 0);
    });
  });
});

test('a server that closes every connection: no busy loop (CPU time stays low)', { skip }, async () => {
  await withServer({ behaviour: 'close' }, async (server, url) => {
    const client = createTransport(url, { tls: clientTls(), backoff: { initialMs: 100, maxMs: 1_000 } });
    await closing(client, async () => {
      client.start();
      const before = process.cpuUsage();
      await sleep(3_000);
      const used = process.cpuUsage(before);
      const cpuMs = (used.user + used.system) / 1000;
      // Backoff 100 ms doubling: about 5 attempts in 3 s; a busy loop would make thousands.
      assert.ok(server.upgrades <= 10, `upgrades: ${server.upgrades}`);
      assert.ok(cpuMs < 1_000, `CPU time over 3 s of downtime: ${cpuMs} ms`);
      assert.notEqual(client.status().state, 'connected');
    });
  });
});

test('a server that stops answering pings: the link is dropped and redialled', { skip }, async () => {
  await withServer({ behaviour: 'no-pong' }, async (server, url) => {
    const client = createTransport(url, { tls: clientTls(), pingAfterMs: 100, idleTimeoutMs: 600, backoff: { initialMs: 50, maxMs: 50 } });
    await closing(client, async () => {
      client.start();
      await waitUntil(() => client.status().counters.disconnects >= 1, 'dropped for silence');
      assert.ok(server.pings >= 1, 'pinged first');
      await waitUntil(() => client.status().counters.connects >= 2, 'redialled');
    });
  });
});

test('a server that answers pings keeps a quiet link up', { skip }, async () => {
  await withServer({}, async (server, url) => {
    const client = createTransport(url, { tls: clientTls(), pingAfterMs: 100, idleTimeoutMs: 600 });
    await closing(client, async () => {
      client.start();
      await waitUntil(() => server.pings >= 8, 'several pings answered');
      assert.equal(client.status().counters.disconnects, 0);
      assert.equal(client.status().state, 'connected');
    });
  });
});

test('oversized, malformed, partial and text messages are counted and the link lives on', { skip }, async () => {
  await withServer({}, async (server, url) => {
    const received: CotEvent[] = [];
    const client = createTransport(url, { tls: clientTls(), maxEventBytes: 4_096, onEvent: (event) => received.push(event) });
    await closing(client, async () => {
      client.start();
      await waitUntil(() => server.clients.size === 1, 'connected');
      const oversized = Buffer.concat([Buffer.from([0xbf, 0x80, 0x40]), Buffer.alloc(8_192, 0x41)]);
      server.sendRaw(oversized);
      server.sendRaw(Buffer.from([0xbf, 0x05, 0xff, 0xff, 0xff, 0xff, 0xff])); // not a TakMessage
      server.sendRaw(Buffer.from([0xbf, 0x7f, 0x01])); // ends mid-frame
      server.sendRaw(Buffer.from('garbage that is not a frame'));
      server.sendRaw('<event/>', false);
      server.broadcast({ ...pli(5), uid: 'after-the-junk' });
      await waitUntil(() => received.length === 1, 'the good event after the junk');
      assert.equal(received[0]?.uid, 'after-the-junk');
      const { counters, state } = client.status();
      assert.ok(counters.decodeErrors >= 5, `decodeErrors: ${counters.decodeErrors}`);
      assert.equal(state, 'connected');
      assert.equal(counters.disconnects, 0);
    });
  });
});

test('events queued while the server is down go out once it is reachable', { skip }, async () => {
  const server = new WssTestServer(pki);
  const port = await server.listen();
  await server.close();
  const client = createTransport(`wss://localhost:${port}/takproto/1`, { tls: clientTls(), backoff: { initialMs: 100, maxMs: 200 } });
  await closing(client, async () => {
    client.start();
    client.send(pli(1));
    await waitUntil(() => /ECONNREFUSED/.test(client.status().message), 'refused while down');
    const again = new WssTestServer(pki);
    try {
      await again.listenOn(port);
      await waitUntil(() => again.received.length === 1, 'the queued event arrives');
    } finally {
      await again.close();
    }
  });
});
