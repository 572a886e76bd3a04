// `takd user revoke` on the other TLS ports (the tls+listen hub is in pki-enrollment.test.ts):
// a wss+listen listener and the https data-package server refuse the revoked certificate,
// and close a connection it holds. Certificates from `takd ca init` and `takd package client`.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { request } from 'node:https';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import WebSocket from 'ws';
import { opensslUnavailableReason } from './support/certs.js';
import { TakdProcess } from './support/daemon-process.js';
import { takd } from './support/enrollment.js';
import { freePort } from './support/gpsfake.js';
import { waitUntil } from './support/wait.js';

const daemon = new TakdProcess();
after(async () => {
  await daemon.stop();
  await daemon.cleanup();
});

/** GET on the data-package server with the client certificate: the status, or the error's code. */
function martiGet(port: number, ca: Buffer, cert: Buffer, key: Buffer): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/Marti/api/version', ca, cert, key, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end();
  });
}

test('a revoked certificate is closed and refused on wss+listen and on the https data-package server', { skip: opensslUnavailableReason() }, async () => {
  const pki = join(daemon.dir, 'pki');
  const wssPort = await freePort();
  const martiPort = await freePort();
  const tls = `cert = ${pki}/server.pem\nkey = ${pki}/server.key\nclient_ca = ${pki}/ca.pem\n`;
  daemon.writeConfig(`[pli]\nenabled = no\n[pki]\ndir = ${pki}\n[input.ws]\nurl = wss+listen://127.0.0.1:${wssPort}/takproto/1\n${tls}[marti]\nurl = https+listen://127.0.0.1:${martiPort}\ndir = ${daemon.dir}/packages\n${tls}`);
  assert.equal(takd(['ca', 'init', '-c', daemon.configFile, '--ip', '127.0.0.1', '--name', 'localhost']).status, 0);
  const out = join(daemon.dir, 'out');
  mkdirSync(out);
  assert.equal(takd(['package', 'client', 'zoe', '-c', daemon.configFile, '--out', out, '--password', 'pw']).status, 0);
  const p12 = join(out, 'zoe.p12');
  writeFileSync(p12, unzipSync(readFileSync(join(out, 'zoe-itak.zip')))['clientCert.p12']);
  const cert = Buffer.from(execFileSync('openssl', ['pkcs12', '-legacy', '-in', p12, '-passin', 'pass:pw', '-nokeys', '-clcerts']));
  const key = Buffer.from(execFileSync('openssl', ['pkcs12', '-legacy', '-in', p12, '-passin', 'pass:pw', '-nocerts', '-nodes']));
  const ca = readFileSync(join(pki, 'ca.pem'));
  daemon.start();
  await daemon.waitForState('input.ws', 'connected');
  await daemon.waitForState('marti', 'connected');

  assert.equal(await martiGet(martiPort, ca, cert, key), 200);
  const ws = new WebSocket(`wss://127.0.0.1:${wssPort}/takproto/1`, { ca, cert, key });
  let closed = false;
  ws.on('close', () => (closed = true));
  ws.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });

  assert.equal(takd(['user', 'revoke', 'zoe', '-c', daemon.configFile]).status, 0);
  await waitUntil(() => closed, 'the live websocket of the revoked certificate is closed', 5_000);
  assert.notEqual(await martiGet(martiPort, ca, cert, key), 200, 'the data-package server refuses it');
  const again = new WebSocket(`wss://127.0.0.1:${wssPort}/takproto/1`, { ca, cert, key });
  const outcome = await new Promise<string>((resolve) => {
    again.once('open', () => resolve('open'));
    again.once('error', (error) => resolve(error.message));
    again.once('close', () => resolve('closed'));
  });
  assert.notEqual(outcome, 'open', 'wss+listen refuses it');
  await waitUntil(() => (daemon.component('input.ws')?.counters['tlsRefused.revoked'] ?? 0) >= 1, 'the refusal is counted as revoked');
  assert.equal(daemon.component('input.ws')?.counters['tlsRefused.badHandshake'], 0, 'not as a bad handshake');
  await waitUntil(() => (daemon.component('marti')?.counters['refused.revoked'] ?? 0) >= 1, 'the data-package server counts it as revoked');
});
