// takd send and takd listen with wss:// and marti:// (marti+http://), as a user runs them:
// child processes against the test servers of the transport tests, exit codes, PyTAK's
// MARTI_* environment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { encodeXmlString } from '../daemon/codec/xml/encode.js';
import { opensslUnavailableReason, withTestPki, type TestPki } from './support/certs.js';
import { MartiRestServer } from './support/marti-rest.js';
import { pli } from './support/transport-fixtures.js';
import { waitUntil } from './support/wait.js';
import { runTakd } from './support/takd-cli.js';
import { WssTestServer } from './support/wss-server.js';

const skip = opensslUnavailableReason();
let pki: TestPki;
withTestPki(skip, (made) => (pki = made));

const run = runTakd;

const input = Array.from({ length: 25 }, (_, i) => encodeXmlString(pli(i))).join('\n');
const certFlags = (): string[] => ['--cert', pki.clientCert, '--key', pki.clientKey, '--ca', pki.caCert];

test('takd send wss:// delivers every event and exits 0', { skip }, async () => {
  const server = new WssTestServer(pki);
  const port = await server.listen();
  try {
    const result = await run(['send', `wss://localhost:${port}/takproto/1`, ...certFlags()], input);
    assert.equal(result.status, 0, result.stderr);
    await waitUntil(() => server.received.length === 25, 'all 25 events');
    assert.equal(server.badMessages, 0);
  } finally {
    await server.close();
  }
});

test('takd send wss:// refused with 403 exits 1 and leaves the certificate in place', { skip }, async () => {
  const server = new WssTestServer(pki);
  const port = await server.listen();
  try {
    const result = await run(['send', `wss://localhost:${port}/takproto/1`, '--cert', pki.wrongClientCert, '--key', pki.wrongClientKey, '--ca', pki.caCert, '--retries', '1'], input);
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, /403/);
    assert.ok(existsSync(pki.wrongClientCert));
  } finally {
    await server.close();
  }
});

test('takd listen wss:// --json --count 2', { skip }, async () => {
  const server = new WssTestServer(pki);
  const port = await server.listen();
  try {
    const child = run(['listen', `wss://localhost:${port}/takproto/1`, ...certFlags(), '--json', '--count', '2']);
    await waitUntil(() => server.clients.size === 1, 'the listener connected');
    server.broadcast({ ...pli(1), uid: 'one' });
    server.broadcast({ ...pli(2), uid: 'two' });
    const result = await child;
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(result.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { uid: string }).uid), ['one', 'two']);
  } finally {
    await server.close();
  }
});

test('takd send marti+http:// injects every event with MARTI_COT_UID and exits 0', async () => {
  const server = new MartiRestServer(undefined);
  const port = await server.listen();
  try {
    const result = await run(['send', `marti+http+wo://127.0.0.1:${port}`], input, { MARTI_COT_UID: 'gateway-7' });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(server.injected.length, 25);
    assert.ok(server.injected.every((i) => i.uid === 'gateway-7'));
  } finally {
    await server.close();
  }
});

test('takd listen marti:// polls at MARTI_POLL_INTERVAL and prints each event once', { skip }, async () => {
  const server = new MartiRestServer(pki);
  const port = await server.listen();
  server.everyPoll.push(encodeXmlString({ ...pli(1), uid: 'polled' }));
  server.sa.push({ at: Date.now() - 20_000, xml: encodeXmlString({ ...pli(2), uid: 'twenty-seconds-ago' }) });
  try {
    const result = await run(['listen', `marti://localhost:${port}`, ...certFlags(), '--json', '--count', '2'], '', { MARTI_POLL_INTERVAL: '0.2', MARTI_POLL_SECONDS_AGO: '30' });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(result.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { uid: string }).uid).sort(), ['polled', 'twenty-seconds-ago']);
  } finally {
    await server.close();
  }
});
