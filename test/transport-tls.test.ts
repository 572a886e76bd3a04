// TLS client and listener on loopback with certificates made at test time by openssl:
// every client certificate form, server-auth-only, verification failures and config errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { CotEvent } from '../daemon/codec/event.js';
import { encodeXmlString } from '../daemon/codec/xml/encode.js';
import { TransportConfigError } from '../daemon/transports/index.js';
import { createTransport } from './support/transports.js';
import type { StreamListener } from '../daemon/transports/stream-listener.js';
import type { TlsSettings } from '../daemon/transports/tls-options.js';
import { opensslUnavailableReason, withTestPki, type TestPki } from './support/certs.js';
import { pli, recordingLogger } from './support/transport-fixtures.js';
import { waitUntil } from './support/wait.js';

const skip = opensslUnavailableReason();
let pki: TestPki;
withTestPki(skip, (made) => (pki = made));

/** A TAK-Server-like TLS endpoint built on node:tls only: requires a client cert from our CA. */
async function mutualTlsServer(options: { requireClientCert?: boolean; cert?: string; key?: string } = {}): Promise<{ server: Server; port: number; received: () => string; peers: string[] }> {
  let received = '';
  const peers: string[] = [];
  const require = options.requireClientCert ?? true;
  const server = createServer(
    {
      cert: readFileSync(options.cert ?? pki.serverCert),
      key: readFileSync(options.key ?? pki.serverKey),
      ca: readFileSync(pki.caCert),
      requestCert: require,
      rejectUnauthorized: require,
    },
    (socket: TLSSocket) => {
      const cn = socket.getPeerCertificate().subject?.CN;
      peers.push(Array.isArray(cn) ? cn.join(',') : (cn ?? '(none)'));
      socket.on('data', (chunk) => (received += chunk.toString()));
      socket.on('error', () => undefined);
      socket.write(encodeXmlString({ ...pli(500), uid: 'from-server' }));
    },
  );
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, port: (server.address() as AddressInfo).port, received: () => received, peers };
}

async function roundTrip(tls: TlsSettings, url = 'tls://localhost'): Promise<void> {
  const { server, port, received, peers } = await mutualTlsServer();
  const events: CotEvent[] = [];
  const client = createTransport(`${url}:${port}`, { tls, onEvent: (event) => events.push(event) });
  try {
    client.start();
    client.send(pli(1));
    await waitUntil(() => received().includes('JULIET-1"') && events.length === 1, 'an event each way');
    assert.equal(events[0]?.uid, 'from-server');
    assert.deepEqual(peers, ['takd-test-client']);
  } finally {
    await client.close();
    await new Promise((resolve) => server.close(resolve));
  }
}

test('client certificate as PEM cert + key', { skip }, () => roundTrip({ cert: pki.clientCert, key: pki.clientKey, ca: pki.caCert }));
test('client certificate as one combined PEM', { skip }, () => roundTrip({ cert: pki.clientCombined, ca: pki.caCert }));
test('client certificate as PKCS#12 with a password', { skip }, () => roundTrip({ cert: pki.clientP12, password: pki.p12Password, ca: pki.caCert }));
test('client certificate as PKCS#12 with a password file; ssl:// alias; expected hostname for an IP', { skip }, () =>
  roundTrip({ cert: pki.clientP12, passwordFile: pki.p12PasswordFile, ca: pki.caCert, expectedHostname: 'localhost' }, 'ssl://127.0.0.1'));

test('server-auth-only TLS (no client certificate) works against a server that does not ask for one', { skip }, async () => {
  const { server, port, received } = await mutualTlsServer({ requireClientCert: false });
  const client = createTransport(`tls://127.0.0.1:${port}`, { tls: { ca: pki.caCert } });
  try {
    client.start();
    client.send(pli(2));
    await waitUntil(() => received().includes('JULIET-2"'), 'event at the server');
  } finally {
    await client.close();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('configuration mistakes fail fast at start() and name the key', { skip }, () => {
  const badPassFile = join(pki.dir, 'bad.pass');
  writeFileSync(badPassFile, 'nope\n');
  const cases: [TlsSettings, string, RegExp][] = [
    [{ cert: join(pki.dir, 'missing.pem'), ca: pki.caCert }, 'cert', /cannot read .*missing\.pem \(ENOENT\)/],
    [{ cert: pki.clientCert, key: pki.clientKey, ca: join(pki.dir, 'nope.pem') }, 'ca', /ENOENT/],
    [{ cert: pki.clientP12, password: 'wrong' }, 'password', /wrong password/],
    [{ cert: pki.clientP12, passwordFile: badPassFile }, 'password_file', /wrong password/],
    [{ cert: pki.clientCert }, 'key', /no private key/],
    [{ cert: pki.clientCert, key: pki.wrongClientKey }, 'key', /does not match/],
    [{ cert: pki.clientCert, key: pki.clientKey, ciphers: 'NO-SUCH-CIPHER' }, 'ciphers', /cipher/],
  ];
  for (const [tls, key, message] of cases) {
    const client = createTransport('tls://localhost:8089', { tls });
    assert.throws(() => client.start(), (error: unknown) => {
      assert.ok(error instanceof TransportConfigError, `${key}: ${String(error)}`);
      assert.equal(error.key, key);
      assert.match(error.message, message);
      return true;
    });
  }
});

test('a server certificate from an unknown CA: one clear error naming the cause, then a slow retry', { skip }, async () => {
  const { server, port } = await mutualTlsServer({ cert: pki.wrongServerCert, key: pki.wrongServerKey, requireClientCert: false });
  const logger = recordingLogger();
  const client = createTransport(`tls://localhost:${port}`, { tls: { ca: pki.caCert }, logger, backoff: { initialMs: 50, maxMs: 60_000 } });
  try {
    client.start();
    await waitUntil(() => client.status().state === 'retrying', 'refused');
    const status = client.status();
    assert.match(status.message, /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER/);
    assert.match(status.message, /CA/);
    const retryS = Number(/retrying in (\d+) s/.exec(status.message)?.[1]);
    assert.ok(retryS >= 48, `certificate failures wait the longest backoff, not ${retryS} s`);
    const errors = logger.lines.filter((l) => l.level === 'error');
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.msg, 'TLS certificate rejected');
  } finally {
    await client.close();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('the server refuses a client certificate from the wrong CA: classified as a certificate problem', { skip }, async () => {
  const { server, port } = await mutualTlsServer();
  const client = createTransport(`tls://localhost:${port}`, { tls: { cert: pki.wrongClientCert, key: pki.wrongClientKey, ca: pki.caCert }, backoff: { initialMs: 50, maxMs: 60_000 } });
  try {
    client.start();
    await waitUntil(() => client.status().state === 'retrying', 'refused');
    // Under TLS 1.3 a Node (or Java) server may close without an alert: either way, a slow retry.
    assert.match(client.status().message, /retrying in (4[89]|5\d|6\d|7\d) s: (ERR_SSL_|the server closed the connection right after the TLS handshake)/);
  } finally {
    await client.close();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('hostname mismatch is refused; dont_check_hostname and dont_verify accept it with a warning at each connect', { skip }, async () => {
  const { server, port } = await mutualTlsServer({ requireClientCert: false });
  try {
    // The certificate names localhost and 127.0.0.1, not tak.example.org.
    const strict = createTransport(`tls://127.0.0.1:${port}`, { tls: { ca: pki.caCert, expectedHostname: 'tak.example.org' } });
    strict.start();
    await waitUntil(() => strict.status().state === 'retrying', 'refused');
    assert.match(strict.status().message, /ERR_TLS_CERT_ALTNAME_INVALID/);
    await strict.close();
    const lenient: TlsSettings[] = [
      { ca: pki.caCert, expectedHostname: 'tak.example.org', dontCheckHostname: true },
      { expectedHostname: 'tak.example.org', dontVerify: true },
    ];
    for (const tls of lenient) {
      const logger = recordingLogger();
      const lax = createTransport(`tls://127.0.0.1:${port}`, { tls, logger });
      lax.start();
      await waitUntil(() => lax.status().state === 'connected', 'connected');
      assert.ok(logger.lines.some((l) => l.level === 'warn' && /NOT (VERIFIED|CHECKED)/.test(l.msg ?? '')));
      await lax.close();
    }
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test('tls+listen with a client CA: our client with a good certificate gets in, one from the wrong CA does not', { skip }, async () => {
  const received: CotEvent[] = [];
  const logger = recordingLogger();
  const listener = createTransport('tls+listen://127.0.0.1:0', {
    tls: { cert: pki.serverCert, key: pki.serverKey, clientCa: pki.caCert },
    onEvent: (event) => received.push(event),
    logger,
  }) as StreamListener;
  listener.start();
  await listener.listening();
  const good = createTransport(`tls://localhost:${listener.port}`, { tls: { cert: pki.clientP12, password: pki.p12Password, ca: pki.caCert } });
  const bad = createTransport(`tls://localhost:${listener.port}`, { tls: { cert: pki.wrongClientCert, key: pki.wrongClientKey, ca: pki.caCert }, backoff: { initialMs: 50, maxMs: 60_000 } });
  try {
    good.start();
    bad.start();
    good.send(pli(7));
    bad.send(pli(8));
    await waitUntil(() => received.length === 1 && bad.status().state === 'retrying', 'good in, bad refused');
    assert.equal(received[0]?.contact?.callsign, 'JULIET-7');
    assert.ok(logger.lines.some((l) => l.msg === 'TLS client refused'));
  } finally {
    await good.close();
    await bad.close();
    await listener.close();
  }
});

test('tls+listen needs a certificate: a configuration error naming cert', { skip }, () => {
  const listener = createTransport('tls+listen://127.0.0.1:0', {});
  assert.throws(() => listener.start(), (error: unknown) => error instanceof TransportConfigError && error.key === 'cert');
});
