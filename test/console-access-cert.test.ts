// The console over HTTPS with the box's CA, against a real `takd run`: with client_ca (and
// the token asked, as off loopback) a client certificate from that CA gets in without the
// token, the token gets in without a certificate, a certificate from another CA is refused
// even with the token, and /health stays open; with client_cert = required only a
// certificate from the CA gets through the handshake. Each says so in the log at start.
// Half-finished handshakes meet the listeners' door (per-address cap, deadline, counted).
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeTestPki, opensslUnavailableReason, type TestPki } from './support/certs.js';
import { freePort } from './support/gpsfake.js';
import { TakdProcess, waitFor } from './support/daemon-process.js';

const skip = opensslUnavailableReason();
let pki: TestPki;

interface Client {
  cert?: string;
  key?: string;
  token?: string;
  localAddress?: string;
}

/** GET over HTTPS, trusting the test CA: the status code, or the error of a refused handshake. */
async function get(port: number, path: string, client: Client = {}): Promise<number | string> {
  const answer = await fetchOver(port, path, client);
  return typeof answer === 'string' ? answer : answer.status;
}

async function getText(port: number, path: string, client: Client): Promise<string> {
  const answer = await fetchOver(port, path, client);
  if (typeof answer === 'string') throw new Error(`GET ${path}: ${answer}`);
  return answer.body;
}

function fetchOver(port: number, path: string, client: Client): Promise<{ status: number; body: string } | string> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        localAddress: client.localAddress,
        port,
        path,
        ca: readFileSync(pki.caCert),
        cert: client.cert === undefined ? undefined : readFileSync(client.cert),
        key: client.key === undefined ? undefined : readFileSync(client.key),
        headers: client.token === undefined ? {} : { authorization: `Bearer ${client.token}` },
        // The test server certificate names localhost; the chain is what is checked here.
        checkServerIdentity: () => undefined,
        agent: false,
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (text: string) => (body += text));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end();
  });
}

describe('console access by client certificate', { skip }, () => {
  const daemons: TakdProcess[] = [];
  before(() => {
    pki = makeTestPki();
  });
  after(async () => {
    for (const daemon of daemons) await daemon.cleanup();
    pki?.cleanup();
  });

  async function start(extra: string): Promise<{ takd: TakdProcess; port: number }> {
    const takd = new TakdProcess();
    daemons.push(takd);
    const port = await freePort();
    takd.writeConfig(`[pli]\nenabled = no\n[status]\nhttp = 127.0.0.1:${port}\ncert = ${pki.serverCert}\nkey = ${pki.serverKey}\nclient_ca = ${pki.caCert}\ntoken_file = ${join(takd.dir, 'console.token')}\n${extra}`);
    takd.start();
    await waitFor('ready', () => (takd.status()?.ready === true ? true : undefined));
    return { takd, port };
  }

  it('client_cert = optional: a certificate from the CA or the token; another CA is refused', async () => {
    // require_token stands for a bind off loopback (the tests stay on loopback).
    const { takd, port } = await start('require_token = yes\n');
    await waitFor('the log says how to get in', () => /asks for a client certificate from .* or the bearer token/.test(takd.stdout) || undefined);
    const token = readFileSync(join(takd.dir, 'console.token'), 'utf8').trim();
    assert.equal(await get(port, '/api/links'), 401, 'neither certificate nor token');
    assert.equal(await get(port, '/api/links', { token: 'wrong' }), 401);
    assert.equal(await get(port, '/api/links', { token }), 200, 'the token alone');
    assert.equal(await get(port, '/api/links', { cert: pki.clientCert, key: pki.clientKey }), 200, 'a certificate from the CA alone');
    assert.equal(await get(port, '/api/tracks', { cert: pki.clientCert, key: pki.clientKey }), 200);
    assert.equal(await get(port, '/api/links', { cert: pki.wrongClientCert, key: pki.wrongClientKey, token }), 401, 'a certificate from another CA, even with the token');
    assert.equal(await get(port, '/api/links', { cert: pki.expiredClientCert, key: pki.expiredClientKey }), 401, 'an expired certificate');
    assert.equal(await get(port, '/health'), 200, '/health stays open for monitoring');
    assert.equal(await takd.stop(), 0);
  });

  it('client_cert = required: only a certificate from the CA gets through the handshake, no token', async () => {
    const { takd, port } = await start('client_cert = required\n');
    await waitFor('the log says how to get in', () => /asks for a client certificate from .*no token/.test(takd.stdout) || undefined);
    assert.equal(await get(port, '/api/links', { cert: pki.clientCert, key: pki.clientKey }), 200);
    assert.equal(typeof (await get(port, '/api/links')), 'string', 'no certificate: the handshake fails');
    assert.equal(typeof (await get(port, '/health', { cert: pki.wrongClientCert, key: pki.wrongClientKey })), 'string', 'another CA: the handshake fails');
    assert.equal(await takd.stop(), 0);
  });

  // Before the door, 10,000 half ClientHellos each held a socket for node's 120 s default.
  it('half-finished handshakes are capped per address, time out, and are counted; another address still gets in', async () => {
    const { takd, port } = await start('client_cert = required\n');
    const half: Socket[] = [];
    try {
      for (let i = 0; i < 20; i += 1) {
        const socket = connect({ host: '127.0.0.1', port }, () => socket.write(Buffer.from([0x16, 0x03, 0x01, 0x00, 0xc8, 0x01])));
        socket.on('error', () => undefined);
        half.push(socket);
      }
      const door = (): Record<string, number> => takd.status()?.http ?? {};
      await waitFor('12 handshakes refused', () => (door()['refused.handshakes'] === 12 ? true : undefined));
      const client = { cert: pki.clientCert, key: pki.clientKey, localAddress: '127.0.0.2' };
      assert.equal(await get(port, '/api/links', client), 200, 'another address gets in while 127.0.0.1 holds its 8');
      const metrics = await getText(port, '/metrics', client);
      assert.match(metrics, /^takd_http_refused_total\{reason="refused.handshakes"\} 12$/m);
      assert.doesNotMatch(metrics, /takd_http_refused_total\{reason="closed\./, 'the CoT listeners\' deadlines do not apply here');
      await waitFor('the 8 admitted handshakes time out', () => (door()['tlsRefused.handshakeTimeout'] === 8 ? true : undefined), 20_000);
      await waitFor('every half-open connection closed', () => (half.every((s) => s.destroyed || s.readableEnded) ? true : undefined));
      await waitFor('no connection held', () => (door().connections === 0 && door().handshaking === 0 ? true : undefined));
      assert.equal(await takd.stop(), 0);
    } finally {
      for (const socket of half) socket.destroy();
    }
  });

  it('refuses to start with client_ca but no certificate of its own, naming cert', async () => {
    const takd = new TakdProcess();
    daemons.push(takd);
    const port = await freePort();
    takd.writeConfig(`[pli]\nenabled = no\n[status]\nhttp = 127.0.0.1:${port}\nclient_ca = ${pki.caCert}\n`);
    const [code] = (await once(takd.start(), 'exit')) as [number | null];
    assert.notEqual(code, 0);
    assert.match(takd.stdout + takd.stderr, /cert/);
  });
});
