// marti:// and marti+http:// clients against a TAK-Server-like REST endpoint on loopback
// (node:https/http, test/support/marti-rest.ts) with certificates made at test time:
// injection and polling round trips, de-duplication across overlapping windows, keep-alive,
// fatal certificate errors (403, wrong CA), retried network errors (500, silence, a server
// that closes every connection, with no CPU spin), oversized and malformed answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { CotEvent } from '../daemon/codec/event.js';
import { encodeXmlString } from '../daemon/codec/xml/encode.js';
import { parseTransportUrl } from '../daemon/transports/index.js';
import { createTransport } from './support/transports.js';
import type { TransportOptions } from '../daemon/transports/options.js';
import type { TlsSettings } from '../daemon/transports/tls-options.js';
import type { Transport } from '../daemon/transports/types.js';
import { opensslUnavailableReason, withTestPki, type TestPki } from './support/certs.js';
import { MartiRestServer, type MartiBehaviour } from './support/marti-rest.js';
import { pli, recordingLogger, sleep } from './support/transport-fixtures.js';
import { waitUntil } from './support/wait.js';

const skip = opensslUnavailableReason();
let pki: TestPki;
withTestPki(skip, (made) => (pki = made));

const clientTls = (): TlsSettings => ({ cert: pki.clientCert, key: pki.clientKey, ca: pki.caCert });
const fastPolls = { pollIntervalMs: 150, pollSecondsAgoMs: 30_000 };

async function scenario(secure: boolean, behaviour: MartiBehaviour, options: TransportOptions, body: (server: MartiRestServer, client: Transport) => Promise<void>, url?: (port: number) => string): Promise<void> {
  const server = new MartiRestServer(secure ? pki : undefined);
  server.behaviour = behaviour;
  const port = await server.listen();
  const client = createTransport(url ? url(port) : `${secure ? 'marti' : 'marti+http'}://localhost:${port}`, { tls: secure ? clientTls() : undefined, marti: fastPolls, ...options });
  try {
    await body(server, client);
  } finally {
    await client.close();
    await server.close();
  }
}

test('marti:// URLs: 8443 over HTTPS, marti+http:// 8080, +wo/+ro, no path', () => {
  assert.deepEqual(parseTransportUrl('marti://tak.example.org'), { kind: 'marti', secure: true, host: 'tak.example.org', port: 8443, direction: 'both' });
  assert.deepEqual(parseTransportUrl('marti+http+ro://10.0.0.1/'), { kind: 'marti', secure: false, host: '10.0.0.1', port: 8080, direction: 'receive' });
  assert.throws(() => parseTransportUrl('marti://h/Marti/api'), /no path/);
  assert.throws(() => parseTransportUrl('marti+ws://h'), /unknown modifier/);
});

for (const secure of [true, false]) {
  test(`${secure ? 'marti://' : 'marti+http://'} round trip each way; overlapping windows deliver each event once; one keep-alive connection`, { skip }, async () => {
    const received: CotEvent[] = [];
    await scenario(secure, 'normal', { marti: { ...fastPolls, cotUid: 'takd-test-injector' }, onEvent: (event) => received.push(event) }, async (server, client) => {
      const now = Date.now();
      server.sa.push({ at: now - 10_000, xml: encodeXmlString({ ...pli(1), uid: 'sa-1' }) }, { at: now - 5_000, xml: encodeXmlString({ ...pli(2), uid: 'sa-2' }) });
      client.start();
      for (let i = 0; i < 3; i++) client.send(pli(10 + i));
      await waitUntil(() => server.injected.length === 3, 'three injections');
      assert.deepEqual(server.injected.map((i) => i.uid), ['takd-test-injector', 'takd-test-injector', 'takd-test-injector']);
      assert.match(server.injected[0]?.toInject ?? '', new RegExp(`^<event[^>]*uid="${pli(10).uid}"`));
      await waitUntil(() => received.length === 2, 'both SA events');
      // An event every window returns: delivered once.
      server.everyPoll.push(encodeXmlString({ ...pli(3), uid: 'sa-3' }));
      await waitUntil(() => received.length === 3, 'the event every window returns');
      const polls = server.windows.length;
      await waitUntil(() => server.windows.length >= polls + 3, 'several more polls');
      assert.deepEqual(received.map((e) => e.uid).sort(), ['sa-1', 'sa-2', 'sa-3']);
      assert.ok((client.status().counters.duplicatesDropped ?? 0) >= 1, 'overlapping windows returned an event twice');
      const [first, second] = server.windows;
      assert.ok(first && second);
      assert.ok(first.end - first.start >= 29_000, 'the first window reaches 30 s back');
      assert.ok(second.start < first.end, 'the next window overlaps the previous one');
      assert.ok(server.connections <= 2, `connections: ${server.connections} (keep-alive)`);
      assert.equal(server.badRequests, 0);
      assert.equal(client.status().state, 'connected');
      await client.flush();
    });
  });
}

test('a 403 is a certificate problem: fatal, explained, and no file is touched', { skip }, async () => {
  const logger = recordingLogger();
  const before = readFileSync(pki.wrongClientCert);
  await scenario(true, 'normal', { logger, tls: { cert: pki.wrongClientCert, key: pki.wrongClientKey, ca: pki.caCert } }, async (server, client) => {
    client.start();
    client.send(pli(1));
    await waitUntil(() => client.status().state === 'failed', 'failed');
    assert.match(client.status().message, /HTTP 403.*client certificate/);
    await assert.rejects(client.flush());
    await sleep(200);
    const requests = server.requests;
    await sleep(500);
    assert.equal(server.requests, requests, 'no retries after a certificate refusal');
    assert.ok(logger.lines.some((l) => l.level === 'error' && /retrying cannot fix/.test(l.msg ?? '')));
    assert.deepEqual(readFileSync(pki.wrongClientCert), before);
  });
});

test('a server certificate from another CA is fatal (verification is on)', { skip }, async () => {
  await scenario(true, 'normal', { tls: { ...clientTls(), ca: pki.wrongCaCert } }, async (_server, client) => {
    client.start();
    await waitUntil(() => client.status().state === 'failed', 'failed');
    assert.match(client.status().message, /certificate errors are fatal/);
  });
});

test('a server that never answers: timeout, then retried with backoff', { skip }, async () => {
  await scenario(true, 'silent', { connectTimeoutMs: 300, backoff: { initialMs: 100, maxMs: 200 } }, async (server, client) => {
    client.start();
    await waitUntil(() => server.requests >= 2, 'a second request after the timeout');
    assert.notEqual(client.status().state, 'failed');
  });
});

test('a server that closes every connection: retried, no busy loop (CPU time stays low)', { skip }, async () => {
  await scenario(true, 'close', { backoff: { initialMs: 100, maxMs: 1_000 } }, async (server, client) => {
    client.start();
    client.send(pli(1));
    const before = process.cpuUsage();
    await sleep(3_000);
    const used = process.cpuUsage(before);
    const cpuMs = (used.user + used.system) / 1000;
    assert.ok(server.connections <= 20, `connections: ${server.connections}`);
    assert.ok(cpuMs < 1_000, `CPU time over 3 s of downtime: ${cpuMs} ms`);
    // Between attempts it is 'retrying'; a reading taken during an attempt says 'starting'.
    await waitUntil(() => client.status().state === 'retrying', 'the client waits between attempts');
  });
});

test('HTTP 500 is retried with backoff; queued events go out once the server recovers', { skip }, async () => {
  await scenario(false, 'error-500', { backoff: { initialMs: 100, maxMs: 200 } }, async (server, client) => {
    client.start();
    client.send(pli(1));
    client.send(pli(2));
    await waitUntil(() => /HTTP 500/.test(client.status().message), 'backing off on 500');
    server.behaviour = 'normal';
    await waitUntil(() => server.injected.length === 2, 'both events after recovery');
    await client.flush();
    assert.equal(client.status().counters.eventsSent, 2);
  });
});

for (const behaviour of ['oversize', 'malformed'] as const) {
  test(`a ${behaviour} poll answer is counted and polling goes on`, { skip }, async () => {
    const received: CotEvent[] = [];
    await scenario(false, behaviour, { onEvent: (event) => received.push(event) }, async (server, client) => {
      client.start();
      await waitUntil(() => client.status().counters.decodeErrors >= 2 && server.windows.length >= 2, 'two bad answers counted');
      assert.equal(client.status().state, 'connected');
      server.behaviour = 'normal';
      server.everyPoll.push(encodeXmlString({ ...pli(9), uid: 'after-the-junk' }));
      await waitUntil(() => received.length === 1, 'a good event afterwards');
      assert.equal(received[0]?.uid, 'after-the-junk');
    });
  });
}
