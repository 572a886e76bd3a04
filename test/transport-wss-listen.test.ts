// wss+listen:// on loopback with certificates made at test time: takd's own wss:// client
// and a bare `ws` client as peers; the tls+listen CA rule (certificate required, refusals
// counted by reason), a wrong path, and bad messages (counted, the link lives on).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import type { CotEvent } from '../daemon/codec/event.js';
import { encodeProtoStream } from '../daemon/codec/proto/index.js';
import { Hub } from '../daemon/hub/hub.js';
import { TransportConfigError } from '../daemon/transports/index.js';
import { createTransport } from './support/transports.js';
import type { Transport } from '../daemon/transports/types.js';
import type { WssListener } from '../daemon/transports/wss/listener.js';
import { opensslUnavailableReason, withTestPki, type TestPki } from './support/certs.js';
import { pli } from './support/transport-fixtures.js';
import { waitUntil } from './support/wait.js';

const skip = opensslUnavailableReason();
let pki: TestPki;
withTestPki(skip, (made) => (pki = made));

async function withListener(body: (listener: WssListener, port: number, received: CotEvent[]) => Promise<void>): Promise<void> {
  const received: CotEvent[] = [];
  const listener = createTransport('wss+listen://127.0.0.1:0/takproto/1', {
    tls: { cert: pki.serverCert, key: pki.serverKey, clientCa: pki.caCert },
    onEvent: (event) => received.push(event),
  }) as WssListener;
  listener.start();
  try {
    await waitUntil(() => listener.port !== undefined && listener.status().state === 'connected', 'listening');
    await body(listener, listener.port as number, received);
  } finally {
    await listener.close();
  }
}

async function closing(client: Transport, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } finally {
    await client.close();
  }
}

test('a wss+listen listener without client_ca does not start (same rule as tls+listen)', { skip }, () => {
  const listener = createTransport('wss+listen://127.0.0.1:0', { tls: { cert: pki.serverCert, key: pki.serverKey } });
  assert.throws(() => listener.start(), (error: unknown) => error instanceof TransportConfigError && error.key === 'client_ca');
});

test("takd's wss:// client and wss+listen://: events both ways", { skip }, async () => {
  await withListener(async (listener, port, received) => {
    const fromListener: CotEvent[] = [];
    const client = createTransport(`wss://localhost:${port}/takproto/1`, { tls: { cert: pki.clientCert, key: pki.clientKey, ca: pki.caCert }, onEvent: (event) => fromListener.push(event) });
    await closing(client, async () => {
      client.start();
      await waitUntil(() => listener.clientCount === 1, 'the client joined');
      client.send(pli(1));
      await waitUntil(() => received.length === 1, 'the listener got the event');
      assert.equal(received[0]?.uid, pli(1).uid);
      listener.send({ ...pli(2), uid: 'to-clients' });
      await waitUntil(() => fromListener.length === 1, 'the client got the event');
      assert.equal(fromListener[0]?.uid, 'to-clients');
      assert.equal(listener.status().counters.connects, 1);
    });
  });
});

test('a client without a certificate is refused in TLS and counted; a wrong path gets 404', { skip }, async () => {
  await withListener(async (listener, port) => {
    const anonymous = createTransport(`wss://localhost:${port}/takproto/1`, { tls: { ca: pki.caCert }, backoff: { initialMs: 100, maxMs: 200 } });
    await closing(anonymous, async () => {
      anonymous.start();
      await waitUntil(() => (listener.status().counters['tlsRefused.noCertificate'] ?? 0) >= 1, 'refusal counted');
      assert.equal(listener.clientCount, 0);
    });
    const wrongPath = createTransport(`wss://localhost:${port}/elsewhere`, { tls: { cert: pki.clientCert, key: pki.clientKey, ca: pki.caCert }, backoff: { initialMs: 100, maxMs: 200 } });
    await closing(wrongPath, async () => {
      wrongPath.start();
      await waitUntil(() => /HTTP 404/.test(wrongPath.status().message), 'the client sees 404');
      assert.ok((listener.status().counters.badUpgrades ?? 0) >= 1);
    });
  });
});

test('bad messages from a client are counted once each and the link lives on', { skip }, async () => {
  await withListener(async (listener, port, received) => {
    const ws = new WebSocket(`wss://localhost:${port}/takproto/1`, { cert: readFileSync(pki.clientCert), key: readFileSync(pki.clientKey), ca: readFileSync(pki.caCert) });
    try {
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      });
      ws.send(Buffer.from([0xbf, 0x7f, 0x01]));
      ws.send(Buffer.from('not a frame'));
      ws.send('<event/>');
      ws.send(Buffer.concat([Buffer.from([0xbf, 0x80, 0x80, 0x04]), Buffer.alloc(65_536, 0x12)]));
      ws.send(encodeProtoStream({ ...pli(3), uid: 'after-the-junk' }));
      await waitUntil(() => received.length === 1, 'the good event after the junk');
      assert.equal(received[0]?.uid, 'after-the-junk');
      assert.equal(listener.status().counters.decodeErrors, 4);
      assert.equal(listener.clientCount, 1);
    } finally {
      ws.terminate();
    }
  });
});

test('websocket clients are hub members: one phone sees the other', { skip }, async () => {
  const hub = new Hub();
  const listener = createTransport('wss+listen://127.0.0.1:0/takproto/1', { tls: { cert: pki.serverCert, key: pki.serverKey, clientCa: pki.caCert }, hub: { hub, bindIdentity: false } }) as WssListener;
  listener.start();
  const tls = { cert: pki.clientCert, key: pki.clientKey, ca: pki.caCert };
  const seenByB: CotEvent[] = [];
  let a: Transport | undefined;
  let b: Transport | undefined;
  try {
    await waitUntil(() => listener.port !== undefined && listener.status().state === 'connected', 'listening');
    a = createTransport(`wss://localhost:${listener.port}/takproto/1`, { tls });
    b = createTransport(`wss://localhost:${listener.port}/takproto/1`, { tls, onEvent: (event) => seenByB.push(event) });
    a.start();
    b.start();
    await waitUntil(() => listener.clientCount === 2, 'both joined');
    a.send({ ...pli(1), uid: 'phone-a' });
    await waitUntil(() => seenByB.some((e) => e.uid === 'phone-a'), "b got a's position through the hub");
    assert.equal(hub.status().clients, 2);
  } finally {
    await a?.close();
    await b?.close();
    await listener.close();
  }
});
