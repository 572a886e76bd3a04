// `takd enroll`: takd's enrollment client against a small §4 server made here (Basic auth,
// tls/config, signClient/v2 signing with the test CA), on loopback with certificates made at
// test time. The cross test against takd's own server is enroll-cross.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTestPki, opensslUnavailableReason, type TestPki } from './support/certs.js';
import { startEnrollServer, type EnrollServer } from './support/enroll-server.js';

const takd = fileURLToPath(new URL('../daemon/main.js', import.meta.url));
const skip = opensslUnavailableReason();

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [takd, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const link = (token: string, user = 'truck7'): string => `tak://com.atakmap.app/enroll?host=127.0.0.1&username=${user}&token=${token}`;

async function withServer(options: { days?: number; wrongServer?: boolean; oneTime?: boolean; tamper?: 'garbage' | 'other-key' | 'other-ca' }, body: (pki: TestPki, server: EnrollServer, state: string) => Promise<void>): Promise<void> {
  const pki = makeTestPki();
  const state = mkdtempSync(join(tmpdir(), 'takd-enroll-'));
  const server = await startEnrollServer({
    serverCert: options.wrongServer ? pki.wrongServerCert : pki.serverCert,
    serverKey: options.wrongServer ? pki.wrongServerKey : pki.serverKey,
    caCert: pki.caCert,
    caKey: join(pki.dir, 'ca.key'),
    users: { truck7: 'one-time-token' },
    oneTime: options.oneTime,
    days: options.days,
    tamper: options.tamper,
    otherCert: pki.clientCert,
    otherCaCert: pki.wrongCaCert,
    otherCaKey: join(pki.dir, 'wrong-ca.key'),
  });
  try {
    await body(pki, server, state);
  } finally {
    await server.close();
    pki.cleanup();
    rmSync(state, { recursive: true, force: true });
  }
}

function notAfter(file: string): string {
  return spawnSync('openssl', ['x509', '-in', file, '-noout', '-enddate'], { encoding: 'utf8' }).stdout.trim();
}

test('takd enroll stores certificate, key and chain 0600, openssl verify accepts the chain, and a second run reuses them without asking the server', { skip }, async () => {
  await withServer({}, async (pki, server, state) => {
    const args = ['enroll', link('one-time-token'), '--ca', pki.caCert, '--port', String(server.port), '--uid', 'takd-test-box', '--name', 'hq'];
    const first = await run(args, { STATE_DIRECTORY: state });
    assert.equal(first.status, 0, first.stderr);
    const home = join(state, 'enroll', '127.0.0.1-truck7');
    for (const name of ['cert.pem', 'key.pem', 'chain.pem']) assert.equal(statSync(join(home, name)).mode & 0o777, 0o600, name);
    assert.equal(statSync(home).mode & 0o777, 0o700);
    const verify = spawnSync('openssl', ['verify', '-CAfile', join(home, 'chain.pem'), join(home, 'cert.pem')], { encoding: 'utf8' });
    assert.match(verify.stdout, /cert\.pem: OK/);
    const subject = spawnSync('openssl', ['x509', '-in', join(home, 'cert.pem'), '-noout', '-subject', '-nameopt', 'sep_multiline'], { encoding: 'utf8' }).stdout;
    assert.match(subject, /CN=truck7/);
    assert.match(subject, /O=Test Org/);
    assert.equal(first.stdout, ['[output.hq]', 'url = tls://127.0.0.1:8089', `cert = ${join(home, 'cert.pem')}`, `key = ${join(home, 'key.pem')}`, `ca = ${pki.caCert}`, ''].join('\n'));
    assert.ok(!first.stderr.includes('one-time-token'), 'the token is never printed');
    assert.deepEqual(server.requests, { config: 1, sign: 1, unauthorized: 0 });

    const before = readFileSync(join(home, 'cert.pem'), 'utf8');
    const second = await run(args, { STATE_DIRECTORY: state });
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stderr, /the stored certificate is still good/);
    assert.deepEqual(server.requests, { config: 1, sign: 1, unauthorized: 0 }, 'the server was not contacted');
    assert.equal(readFileSync(join(home, 'cert.pem'), 'utf8'), before);
  });
});

test('takd enroll re-enrolls a certificate within 7 days of expiry', { skip }, async () => {
  await withServer({ days: 3 }, async (pki, server, state) => {
    const args = ['enroll', link('one-time-token'), '--ca', pki.caCert, '--port', String(server.port)];
    assert.equal((await run(args, { STATE_DIRECTORY: state })).status, 0);
    const cert = join(state, 'enroll', '127.0.0.1-truck7', 'cert.pem');
    const first = readFileSync(cert, 'utf8');
    server.days = 30;
    const again = await run(args, { STATE_DIRECTORY: state });
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stderr, /enrolled/);
    assert.equal(server.requests.sign, 2);
    assert.notEqual(readFileSync(cert, 'utf8'), first);
    assert.notEqual(notAfter(cert), '');
  });
});

test('takd enroll refuses a server whose certificate is not from the given CA, says why, and touches no file', { skip }, async () => {
  await withServer({ wrongServer: true }, async (pki, server, state) => {
    const result = await run(['enroll', link('one-time-token'), '--ca', pki.caCert, '--port', String(server.port)], { STATE_DIRECTORY: state });
    assert.equal(result.status, 1);
    assert.match(result.stderr, new RegExp(`refusing 127\\.0\\.0\\.1:${server.port}: its certificate is not from the CA in ${pki.caCert.replace(/[.]/g, '\\.')}`));
    assert.equal(existsSync(join(state, 'enroll')), false, 'no file touched');
    assert.deepEqual(server.requests, { config: 0, sign: 0, unauthorized: 0 }, 'the token never reached it');
    // Without --ca, the system store does not know the test CA either.
    const system = await run(['enroll', link('one-time-token'), '--port', String(server.port)], { STATE_DIRECTORY: state });
    assert.equal(system.status, 1);
    assert.match(system.stderr, /not from a CA in the system's store/);
  });
});

test('takd enroll says why a wrong token is refused (401) and a used one-time token too', { skip }, async () => {
  await withServer({ oneTime: true }, async (pki, server, state) => {
    const wrong = await run(['enroll', link('guess'), '--ca', pki.caCert, '--port', String(server.port)], { STATE_DIRECTORY: state });
    assert.equal(wrong.status, 1);
    assert.match(wrong.stderr, /401, the server does not accept user 'truck7' with this password or token/);
    assert.ok(!wrong.stderr.includes('guess'));
    assert.equal(existsSync(join(state, 'enroll')), false);
    const other = mkdtempSync(join(tmpdir(), 'takd-enroll-other-'));
    try {
      assert.equal((await run(['enroll', link('one-time-token'), '--ca', pki.caCert, '--port', String(server.port)], { STATE_DIRECTORY: state })).status, 0);
      const reused = await run(['enroll', link('one-time-token'), '--ca', pki.caCert, '--port', String(server.port)], { STATE_DIRECTORY: other });
      assert.equal(reused.status, 1);
      assert.match(reused.stderr, /a token works once/);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});

test('takd enroll --dont-verify works against an unknown server and warns', { skip }, async () => {
  await withServer({ wrongServer: true }, async (_pki, server, state) => {
    const result = await run(['enroll', link('one-time-token'), '--dont-verify', '--port', String(server.port)], { STATE_DIRECTORY: state });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /WARNING: .*NOT VERIFIED/);
    assert.match(result.stdout, /dont_verify = true/);
  });
});

test('takd enroll refuses a malformed link with exit status 2', async () => {
  for (const bad of ['tak://com.atakmap.app/enroll?host=x', 'tak://com.atakmap.app/other?host=a&username=b&token=c', 'tak://com.atakmap.app/enroll?host=a b&username=u&token=t', 'http://x']) {
    const result = await run(['enroll', bad]);
    assert.equal(result.status, 2, bad);
    assert.match(result.stderr, /takd enroll: /);
  }
});

for (const [tamper, reason] of [
  ['garbage', /signClient\/v2 answer is not JSON/],
  ['other-key', /the certificate the server signed is not for our key/],
  ['other-ca', /does not chain to a CA it sent \(ca0…\) or the CA given/],
] as const) {
  test(`takd enroll refuses a bad signClient answer (${tamper}) with the reason, and writes nothing`, { skip }, async () => {
    await withServer({ tamper }, async (pki, server, state) => {
      const result = await run(['enroll', link('one-time-token'), '--ca', pki.caCert, '--port', String(server.port)], { STATE_DIRECTORY: state });
      assert.equal(result.status, 1, result.stderr);
      assert.match(result.stderr, reason);
      assert.equal(existsSync(join(state, 'enroll')), false);
    });
  });
}
