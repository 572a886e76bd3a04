// An enrolled output in the running daemon: `url = tak://…` (and PyTAK's COT_URL + 
// PYTAK_TLS_CERT_ENROLLMENT_* and TAK_URL) enrolls at start against a §4 server made here,
// then connects with that certificate to a TLS server that requires it; a restart reuses
// the stored certificate without contacting the enrollment server. Loopback only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createServer, type TLSSocket } from 'node:tls';
import { makeTestPki, opensslUnavailableReason, type TestPki } from './support/certs.js';
import { startEnrollServer, type EnrollServer } from './support/enroll-server.js';
import { TakdProcess, waitFor } from './support/daemon-process.js';

const skip = opensslUnavailableReason();

interface StreamingServer {
  port: number;
  /** Subject CN of each client certificate that connected. */
  clients: string[];
  close(): Promise<void>;
}

/** A TAK streaming port (8089) that requires a client certificate from the test CA. */
async function startStreamingServer(pki: TestPki): Promise<StreamingServer> {
  const sockets = new Set<TLSSocket>();
  const state: StreamingServer = { port: 0, clients: [], close: async () => undefined };
  const server = createServer({ cert: readFileSync(pki.serverCert), key: readFileSync(pki.serverKey), ca: readFileSync(pki.caCert), requestCert: true, rejectUnauthorized: true }, (socket) => {
    sockets.add(socket);
    state.clients.push(String(socket.getPeerCertificate().subject?.CN ?? ''));
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return state;
}

async function setup(body: (pki: TestPki, enrollment: EnrollServer, streaming: StreamingServer) => Promise<void>, options: { oneTime?: boolean; days?: number } = { oneTime: true }): Promise<void> {
  const pki = makeTestPki();
  const enrollment = await startEnrollServer({ serverCert: pki.serverCert, serverKey: pki.serverKey, caCert: pki.caCert, caKey: join(pki.dir, 'ca.key'), users: { truck7: 'one-time-token' }, ...options });
  const streaming = await startStreamingServer(pki);
  try {
    await body(pki, enrollment, streaming);
  } finally {
    await streaming.close();
    await enrollment.close();
    pki.cleanup();
  }
}

test('url = tak://… enrolls at start, connects with the certificate, and a restart reuses it without contacting the server', { skip }, async () => {
  await setup(async (pki, enrollment, streaming) => {
    const takd = new TakdProcess();
    try {
      takd.writeConfig([
        '[output.hq]',
        `url = tak://com.atakmap.app/enroll?host=127.0.0.1:${streaming.port}&username=truck7&token=one-time-token`,
        `ca = ${pki.caCert}`,
        `enroll_port = ${enrollment.port}`,
        '',
      ].join('\n'));
      takd.start();
      await takd.waitForState('output.hq', 'connected', 30_000);
      assert.deepEqual(streaming.clients, ['truck7']);
      assert.deepEqual(enrollment.requests, { config: 1, sign: 1, unauthorized: 0 });
      assert.ok(!takd.stdout.includes('one-time-token') && !takd.stderr.includes('one-time-token'), 'the token is never logged');
      assert.equal(await takd.stop(), 0);

      // The token was one-time: a second enrollment would be refused, so this start must use the stored certificate.
      takd.start();
      await takd.waitForState('output.hq', 'connected', 30_000);
      assert.deepEqual(streaming.clients, ['truck7', 'truck7']);
      assert.deepEqual(enrollment.requests, { config: 1, sign: 1, unauthorized: 0 }, 'the enrollment server was not contacted');
      assert.match(takd.stdout, /using the stored certificate for truck7@127\.0\.0\.1/);
      assert.equal(await takd.stop(), 0);
    } finally {
      await takd.cleanup();
    }
  });
});

test("PyTAK's COT_URL with PYTAK_TLS_CERT_ENROLLMENT_USERNAME/_PASSWORD enrolls, and TAK_URL does as COT_URL=tak://", { skip }, async () => {
  await setup(async (pki, enrollment, streaming) => {
    const pytak = new TakdProcess();
    try {
      pytak.writeConfig(`[output.cot_url]\nenroll_port = ${enrollment.port}\n`);
      pytak.start(['-c', pytak.configFile], {
        COT_URL: `tls://127.0.0.1:${streaming.port}`,
        PYTAK_TLS_CLIENT_CAFILE: pki.caCert,
        PYTAK_TLS_CERT_ENROLLMENT_USERNAME: 'truck7',
        PYTAK_TLS_CERT_ENROLLMENT_PASSWORD: 'one-time-token',
        PYTAK_TLS_CERT_ENROLLMENT_PASSPHRASE: 'key passphrase',
      });
      await pytak.waitForState('output.cot_url', 'connected', 30_000);
      assert.deepEqual(streaming.clients, ['truck7']);
      // The stored key is encrypted with the passphrase.
      assert.match(readFileSync(join(pytak.dir, 'enroll', '127.0.0.1-truck7', 'key.pem'), 'utf8'), /BEGIN ENCRYPTED PRIVATE KEY/);
      assert.equal(await pytak.stop(), 0);
    } finally {
      await pytak.cleanup();
    }
    const takUrl = new TakdProcess();
    try {
      takUrl.writeConfig(`[output.cot_url]\nenroll_port = ${enrollment.port}\nca = ${pki.caCert}\n`);
      // A fresh state directory and a used token: refused, with the reason, and takd does not start.
      takUrl.start(['-c', takUrl.configFile], { COT_URL: 'tcp://127.0.0.1:1', TAK_URL: `tak://com.atakmap.app/enroll?host=127.0.0.1:${streaming.port}&username=truck7&token=one-time-token` });
      const [code] = await (takUrl.exit as Promise<[number | null, unknown]>);
      assert.equal(code, 1);
      await waitFor('the reason', () => (/401, the server does not accept user 'truck7'.*a token works once/.test(takUrl.stdout + takUrl.stderr) ? true : undefined));
      assert.equal(enrollment.requests.unauthorized, 1, 'TAK_URL won over COT_URL');
    } finally {
      await takUrl.cleanup();
    }
  });
});

test('a tak:// output whose stored certificate is within 7 days of expiry re-enrolls at the next start', { skip }, async () => {
  await setup(
    async (pki, enrollment, streaming) => {
      const takd = new TakdProcess();
      try {
        takd.writeConfig(`[output.hq]\nurl = tak://com.atakmap.app/enroll?host=127.0.0.1:${streaming.port}&username=truck7&token=one-time-token\nca = ${pki.caCert}\nenroll_port = ${enrollment.port}\n`);
        takd.start();
        await takd.waitForState('output.hq', 'connected', 30_000);
        assert.equal(await takd.stop(), 0);
        const cert = join(takd.dir, 'enroll', '127.0.0.1-truck7', 'cert.pem');
        const first = readFileSync(cert, 'utf8');
        enrollment.days = 30;
        takd.start();
        await takd.waitForState('output.hq', 'connected', 30_000);
        assert.equal(enrollment.requests.sign, 2, 'enrolled again');
        assert.notEqual(readFileSync(cert, 'utf8'), first);
        assert.deepEqual(streaming.clients, ['truck7', 'truck7']);
        assert.equal(await takd.stop(), 0);
      } finally {
        await takd.cleanup();
      }
    },
    { days: 3 },
  );
});

test('a running tak:// output enrolls again and reconnects when its certificate enters the last 7 days', { skip }, async () => {
  await setup(
    async (pki, enrollment, streaming) => {
      // Signed to end 7 days and 15 s from now: good at start, inside the renewal window soon after.
      enrollment.endDate = new Date(Date.now() + 7 * 24 * 3600_000 + 15_000);
      const takd = new TakdProcess();
      try {
        takd.writeConfig(`[output.hq]\nurl = tak://com.atakmap.app/enroll?host=127.0.0.1:${streaming.port}&username=truck7&token=one-time-token\nca = ${pki.caCert}\nenroll_port = ${enrollment.port}\n`);
        takd.start();
        await takd.waitForState('output.hq', 'connected', 30_000);
        const cert = join(takd.dir, 'enroll', '127.0.0.1-truck7', 'cert.pem');
        const first = readFileSync(cert, 'utf8');
        assert.equal(enrollment.requests.sign, 1);
        enrollment.endDate = undefined;
        enrollment.days = 30;
        // No restart: the daemon's own timer renews.
        await waitFor('the renewal and a second connection', () => (enrollment.requests.sign === 2 && streaming.clients.length === 2 ? true : undefined), 60_000);
        assert.notEqual(readFileSync(cert, 'utf8'), first, 'the stored certificate was replaced');
        assert.deepEqual(streaming.clients, ['truck7', 'truck7']);
        await takd.waitForState('output.hq', 'connected', 30_000);
        assert.match(takd.stdout, /the certificate enters its last 7 days: enrolling again/);
        assert.equal(await takd.stop(), 0);
      } finally {
        await takd.cleanup();
      }
    },
    { oneTime: false },
  );
});
