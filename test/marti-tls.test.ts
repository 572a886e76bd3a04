// The data-package server over HTTPS with certificates made at test time: a phone with a
// certificate from the configured CA uploads and downloads; a client without a certificate,
// with one from another CA, or with an expired one is refused in the handshake and counted;
// HTTPS without client_ca is a configuration error unless the opt-out is explicit (warned).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestOptions } from 'node:https';
import type { Logger } from '../daemon/log.js';
import { silentLogger } from '../daemon/log.js';
import { makeTestPki, opensslUnavailableReason, type TestPki } from './support/certs.js';
import { atakUpload, fetchRaw, sha256, startTestMarti } from './support/marti.js';

const skip = opensslUnavailableReason();

function setup(t: { after(fn: () => void): void }): { pki: TestPki; dir: string } {
  const pki = makeTestPki();
  const dir = mkdtempSync(join(tmpdir(), 'takd-marti-tls-'));
  t.after(() => {
    pki.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });
  return { pki, dir };
}

function client(pki: TestPki, cert?: string, key?: string): RequestOptions {
  const options: RequestOptions = { ca: readFileSync(pki.caCert) };
  if (cert !== undefined && key !== undefined) {
    options.cert = readFileSync(cert);
    options.key = readFileSync(key);
  }
  return options;
}

test('https: a phone with a certificate from client_ca uploads and downloads; others are refused and counted', { skip }, async (t) => {
  const { pki, dir } = setup(t);
  const marti = await startTestMarti(dir, {
    listen: { scheme: 'https', host: '127.0.0.1', port: 0 },
    tls: { cert: pki.serverCert, key: pki.serverKey, clientCa: pki.caCert },
  });
  t.after(() => marti.stop());
  const base = `https://localhost:${marti.port}`;
  const phone = client(pki, pki.clientCert, pki.clientKey);
  const data = randomBytes(100_000);
  const hash = sha256(data);
  const answer = await atakUpload(base, data, { hash, filename: 'tls.zip', creatorUid: 'ANDROID-T' }, phone);
  assert.equal(answer.status, 200, answer.text);
  // The local address of the connection (localhost resolved to 127.0.0.1 or ::1), never 0.0.0.0.
  assert.match(answer.text.trim(), new RegExp(`^https://(127\\.0\\.0\\.1|\\[::1\\]):${marti.port}/Marti/sync/content\\?hash=${hash}$`));
  const download = await fetchRaw(`${base}/Marti/sync/content?hash=${hash}`, { tls: phone });
  assert.equal(sha256(download.body), hash);

  const refusedBefore = marti.counter('refused.tls-handshake');
  await assert.rejects(fetchRaw(`${base}/Marti/api/version`, { tls: client(pki) }), 'no client certificate');
  await assert.rejects(fetchRaw(`${base}/Marti/api/version`, { tls: client(pki, pki.wrongClientCert, pki.wrongClientKey) }), 'a certificate from another CA');
  await assert.rejects(fetchRaw(`${base}/Marti/api/version`, { tls: client(pki, pki.expiredClientCert, pki.expiredClientKey) }), 'an expired certificate');
  assert.equal(marti.counter('refused.tls-handshake') - refusedBefore, 3);
  assert.equal(marti.counter('uploads'), 1);
});

test('https without client_ca is a configuration error; require_client_cert = false opens it to anyone, with a warning', { skip }, async (t) => {
  const { pki, dir } = setup(t);
  await assert.rejects(
    startTestMarti(dir, { listen: { scheme: 'https', host: '127.0.0.1', port: 0 }, tls: { cert: pki.serverCert, key: pki.serverKey } }),
    /client_ca: https\+listen requires client certificates/,
  );
  const warnings: string[] = [];
  const logger: Logger = { ...silentLogger, warn: (_fields: object, message?: string) => void warnings.push(String(message)), child: () => logger };
  const open = await startTestMarti(dir, { listen: { scheme: 'https', host: '127.0.0.1', port: 0 }, tls: { cert: pki.serverCert, key: pki.serverKey }, requireClientCert: false }, { logger });
  t.after(() => open.stop());
  assert.ok(warnings.some((w) => /require_client_cert = false/.test(w)), warnings.join('; '));
  const version = await fetchRaw(`https://localhost:${open.port}/Marti/api/version`, { tls: client(pki) });
  assert.equal(version.status, 200);
});
