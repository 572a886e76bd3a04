// Enrollment end to end (issue 18, server side): `takd ca init` and `takd user add` make
// the CA and a one-time token; PyTAK's own CertificateEnrollment enrolls on takd's 8446
// (PyTAK's port is fixed: takd listens on 8446 of a loopback address of its own, 127.x.y.z);
// a PyTAK TLS client with that certificate joins the hub and its events reach a phone that
// imported `takd package client`'s package; the token does not work twice; `takd user
// revoke` closes the live session and refuses the next. Bad input: wrong tokens (401 after
// the delay, counted, limited per address), garbage, oversized and wrong-user CSRs, an
// expired token.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { opensslUnavailableReason } from './support/certs.js';
import { TakdProcess } from './support/daemon-process.js';
import { addUser, enrollRequest, opensslCsr, pytakEnroll, takd, type EnrollRequest } from './support/enrollment.js';
import { freePort } from './support/gpsfake.js';
import { peersUnavailableReason, pliXml, PytakPeer } from './support/pytak-peer.js';
import { waitUntil } from './support/wait.js';

const DELAY_MS = 300;

/** A loopback address of this test's own whose 8446 is free (PyTAK always dials 8446). */
async function loopbackWith8446(): Promise<string | undefined> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const host = `127.${randomInt(1, 254)}.${randomInt(1, 254)}.${randomInt(2, 254)}`;
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(8446, host, () => server.close(() => resolve(true)));
    });
    if (free) return host;
  }
  return undefined;
}

const skip = peersUnavailableReason() ?? opensslUnavailableReason();

describe('enrollment server with PyTAK', { skip }, () => {
  const daemon = new TakdProcess();
  const peers: PytakPeer[] = [];
  let host = '';
  let hubPort = 0;
  let pkiDir = '';
  let ca: Buffer;
  const base = (): Pick<EnrollRequest, 'host' | 'port' | 'ca'> => ({ host, port: 8446, ca });

  before(async () => {
    const found = await loopbackWith8446();
    if (found === undefined) throw new Error('no loopback address with a free port 8446');
    host = found;
    hubPort = await freePort();
    pkiDir = join(daemon.dir, 'pki');
    daemon.writeConfig(
      [
        '[pli]', 'enabled = no',
        '[pki]', `dir = ${pkiDir}`,
        '[enrollment]', `url = https+listen://${host}:8446`, `failure_delay = ${DELAY_MS / 1000}`, 'max_failures = 70', 'max_clients_per_address = 64',
        '[output.phones]', `url = tls+listen://${host}:${hubPort}`, 'hello = no', `cert = ${pkiDir}/server.pem`, `key = ${pkiDir}/server.key`, `client_ca = ${pkiDir}/ca.pem`,
        '',
      ].join('\n'),
    );
    // Before `takd ca init`, takd run says which command makes the missing certificate.
    const early = takd(['run', '-c', daemon.configFile], { RUNTIME_DIRECTORY: daemon.dir, STATE_DIRECTORY: daemon.dir });
    assert.equal(early.status, 2, early.stderr);
    assert.match(early.stderr, /takd ca init/);
    const init = takd(['ca', 'init', '-c', daemon.configFile, '--ip', host, '--name', 'localhost']);
    assert.equal(init.status, 0, init.stderr);
    for (const key of ['ca.key', 'server.key']) assert.equal(execFileSync('stat', ['-c', '%a', join(pkiDir, key)], { encoding: 'utf8' }).trim(), '600');
    ca = readFileSync(join(pkiDir, 'ca.pem'));
    daemon.start();
    await daemon.waitForState('enrollment', 'connected', 20_000);
    await daemon.waitForState('output.phones', 'connected');
  });

  after(async () => {
    for (const peer of peers) await peer.close();
    await daemon.stop();
    await daemon.cleanup();
  });

  it('PyTAK enrolls with a token, joins the hub with the certificate, reaches a packaged phone; the token works once; revoke closes it', async () => {
    const { token, link } = addUser(daemon.configFile, 'alice', ['--team', 'Cyan', '--role', 'Team Member']);
    assert.match(link, new RegExp(`^tak://com\\.atakmap\\.app/enroll\\?host=${host.replace(/\./g, '\\.')}&username=alice&token=`));
    assert.ok(existsSync(join(pkiDir, 'enroll/alice.png')) && existsSync(join(pkiDir, 'enroll/alice.svg')));
    const out = join(daemon.dir, 'alice.p12');
    const enrolled = await pytakEnroll(host, 'alice', token, out, 'pytakpass');
    assert.ok(enrolled.written, `PyTAK wrote no certificate: ${enrolled.log.slice(-1500)}`);

    // openssl accepts the chain; the certificate is for alice, clientAuth, with PyTAK's uid as a SAN.
    const certPem = execFileSync('openssl', ['pkcs12', '-in', out, '-passin', 'pass:pytakpass', '-nokeys', '-clcerts'], { encoding: 'utf8' });
    const certFile = join(daemon.dir, 'alice.pem');
    execFileSync('sh', ['-c', `cat > ${certFile}`], { input: certPem });
    assert.match(execFileSync('openssl', ['verify', '-CAfile', join(pkiDir, 'ca.pem'), certFile], { encoding: 'utf8' }), /: OK/);
    const text = execFileSync('openssl', ['x509', '-in', certFile, '-noout', '-subject', '-ext', 'extendedKeyUsage,subjectAltName'], { encoding: 'utf8' });
    assert.match(text, /CN ?= ?alice/);
    assert.match(text, /TLS Web Client Authentication/);
    assert.match(text, /email:test/);

    // The token is spent: a second enrollment fails and writes nothing.
    const again = await pytakEnroll(host, 'alice', token, join(daemon.dir, 'again.p12'), 'x');
    assert.equal(again.written, false);

    // A phone that cannot scan: `takd package client`, opened with openssl -legacy, used by PyTAK.
    const pkgDir = join(daemon.dir, 'packages');
    mkdirSync(pkgDir);
    const made = takd(['package', 'client', 'bravo', '-c', daemon.configFile, '--password', 'pkgpass', '--out', pkgDir]);
    assert.equal(made.status, 0, made.stderr);
    const atak = unzipSync(readFileSync(join(pkgDir, 'bravo-atak.zip')));
    assert.deepEqual(Object.keys(atak).sort(), ['MANIFEST/manifest.xml', 'certs/caCert.p12', 'certs/clientCert.p12', 'certs/config.pref']);
    const itak = unzipSync(readFileSync(join(pkgDir, 'bravo-itak.zip')));
    assert.deepEqual(Object.keys(itak).sort(), ['MANIFEST/manifest.xml', 'caCert.p12', 'clientCert.p12', 'config.pref']);
    const pref = Buffer.from(atak['certs/config.pref']).toString('utf8');
    assert.match(pref, new RegExp(`key="connectString0"[^>]*>${host.replace(/\./g, '\\.')}:${hubPort}:ssl<`));
    assert.match(pref, /key="clientPassword0"[^>]*>pkgpass</);
    const p12File = join(pkgDir, 'bravo.p12');
    execFileSync('sh', ['-c', `cat > ${p12File}`], { input: Buffer.from(atak['certs/clientCert.p12']) });
    const info = execFileSync('openssl', ['pkcs12', '-legacy', '-in', p12File, '-passin', 'pass:pkgpass', '-info', '-noout'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    assert.ok(info !== undefined);
    const legacy = execFileSync('sh', ['-c', `openssl pkcs12 -legacy -in ${p12File} -passin pass:pkgpass -info -noout 2>&1`], { encoding: 'utf8' });
    assert.match(legacy, /pbeWithSHA1And3-KeyTripleDES-CBC/);
    assert.match(legacy, /MAC: sha1/);

    // Both join the hub: ALFA's position reaches BRAVO.
    const tlsEnv = (cert: string, password: string): NodeJS.ProcessEnv => ({ PYTAK_TLS_CLIENT_CERT: cert, PYTAK_TLS_CLIENT_PASSWORD: password, PYTAK_TLS_CLIENT_CAFILE: join(pkiDir, 'ca.pem') });
    const url = `tls://${host}:${hubPort}`;
    const alfa = new PytakPeer('ALFA', url, tlsEnv(out, 'pytakpass'));
    const bravo = new PytakPeer('BRAVO', url, tlsEnv(p12File, 'pkgpass'));
    peers.push(alfa, bravo);
    await Promise.all([alfa.ready(), bravo.ready()]);
    bravo.send(pliXml('BRAVO-uid', 'BRAVO', 'Red'));
    alfa.send(pliXml('ALFA-uid', 'ALFA', 'Cyan'));
    await waitUntil(() => bravo.has('ALFA-uid') && alfa.has('BRAVO-uid'), 'ALFA and BRAVO see each other through the hub');

    // Revoked: the live session is closed (generous deadline), and the next connection is refused.
    const revoked = takd(['user', 'revoke', 'alice', '-c', daemon.configFile]);
    assert.equal(revoked.status, 0, revoked.stderr);
    await waitUntil(() => alfa.error !== undefined || alfa.child.exitCode !== null, "alice's live session is closed after revoke", 5_000);
    const retry = new PytakPeer('ALFA2', url, tlsEnv(out, 'pytakpass'));
    peers.push(retry);
    // TLS 1.3: the client may think itself connected before takd checks its certificate; either way it is dropped.
    await waitUntil(() => retry.error !== undefined || retry.child.exitCode !== null, 'the revoked certificate is refused');
    await waitUntil(() => (daemon.component('output.phones')?.counters['tlsRefused.revoked'] ?? 0) >= 1, 'the refusal is counted as revoked');
    assert.equal(daemon.component('output.phones')?.counters['tlsRefused.badHandshake'], 0, 'not as a bad handshake');
    bravo.send(pliXml('BRAVO-uid', 'BRAVO', 'Red'));
    assert.ok(!bravo.has('ALFA2-uid'), 'nothing from the revoked certificate was routed');
    const list = takd(['user', 'list', '-c', daemon.configFile]);
    assert.match(list.stdout, /alice\s+Cyan\s+Team Member\s+revoked/);
  });

  it('answers JSON or XML by Accept, the legacy PKCS#12, and the profile package to an enrolled certificate', async () => {
    const { token } = addUser(daemon.configFile, 'carol', ['--team', 'Blue']);
    const config = await enrollRequest({ ...base(), method: 'GET', path: '/Marti/api/tls/config', user: 'carol', password: token });
    assert.equal(config.status, 200);
    assert.match(config.body.toString(), /<nameEntry name="O" value="takd"\/>/);
    const ou = /<nameEntry name="OU" value="([^"]*)"/.exec(config.body.toString())?.[1] ?? '';
    const { csr, key } = opensslCsr(daemon.dir, 'carol', `/CN=carol/O=takd/OU=${ou}`);
    const html = await enrollRequest({ ...base(), method: 'POST', path: '/Marti/api/tls/signClient/v2?clientUid=ANDROID-carol', user: 'carol', password: token, body: csr, accept: 'text/html' });
    assert.equal(html.status, 400);
    const xml = await enrollRequest({ ...base(), method: 'POST', path: '/Marti/api/tls/signClient/v2?clientUid=ANDROID-carol', user: 'carol', password: token, body: csr, accept: 'application/xml' });
    assert.equal(xml.status, 200, xml.body.toString());
    const signed = /<signedCert>([A-Za-z0-9+/=]+)<\/signedCert><ca>([A-Za-z0-9+/=]+)<\/ca>/.exec(xml.body.toString());
    assert.ok(signed, xml.body.toString());
    // The enrolled certificate fetches its profile: callsign and team.
    const certPem = `-----BEGIN CERTIFICATE-----\n${signed[1].match(/.{1,64}/g)?.join('\n')}\n-----END CERTIFICATE-----\n`;
    const profile = await enrollRequest({ ...base(), method: 'GET', path: '/Marti/api/tls/profile/enrollment?clientUid=ANDROID-carol', cert: Buffer.from(certPem), key: readFileSync(key) });
    assert.equal(profile.status, 200);
    const files = unzipSync(profile.body);
    const prefName = Object.keys(files).find((n) => n.endsWith('.pref')) ?? '';
    assert.match(Buffer.from(files[prefName]).toString(), /locationTeam[^>]*>Blue</);
    assert.ok('MANIFEST/manifest.xml' in files);
    // As ATAK asks it right after signing: with the token just spent (a few minutes only), not for the signature.
    const byToken = await enrollRequest({ ...base(), method: 'GET', path: '/Marti/api/tls/profile/enrollment?clientUid=ANDROID-carol', user: 'carol', password: token });
    assert.equal(byToken.status, 200);
    const resign = await enrollRequest({ ...base(), method: 'GET', path: '/Marti/api/tls/config', user: 'carol', password: token });
    assert.equal(resign.status, 401);
    const anonymous = await enrollRequest({ ...base(), method: 'GET', path: '/Marti/api/tls/profile/enrollment' });
    assert.equal(anonymous.status, 401);

    // Legacy signClient: a PKCS#12 (password atakatak) with the signed certificate and the CA.
    const legacy = addUser(daemon.configFile, 'dora');
    const dora = opensslCsr(daemon.dir, 'dora', `/CN=dora/O=takd/OU=${ou}`);
    const p12 = await enrollRequest({ ...base(), method: 'POST', path: '/Marti/api/tls/signClient?clientUid=x', user: 'dora', password: legacy.token, body: dora.csr });
    assert.equal(p12.status, 200);
    assert.equal(p12.headers['content-type'], 'application/x-pkcs12');
    const p12File = join(daemon.dir, 'dora.p12');
    execFileSync('sh', ['-c', `cat > ${p12File}`], { input: p12.body });
    const certs = execFileSync('openssl', ['pkcs12', '-legacy', '-in', p12File, '-passin', 'pass:atakatak', '-nokeys'], { encoding: 'utf8' });
    assert.equal((certs.match(/BEGIN CERTIFICATE/g) ?? []).length, 2);
    assert.match(certs, /subject=CN ?= ?dora/);
  });

  it('refuses bad CSRs with the reason, and an expired token', async () => {
    const { token } = addUser(daemon.configFile, 'erin');
    const ou = /OU ?= ?([^,\n]+)/.exec(execFileSync('openssl', ['x509', '-in', join(pkiDir, 'ca.pem'), '-noout', '-subject'], { encoding: 'utf8' }))?.[1]?.trim() ?? '';
    const sign = (body: string | Buffer): Promise<{ status: number; text: string }> =>
      enrollRequest({ ...base(), method: 'POST', path: '/Marti/api/tls/signClient/v2', user: 'erin', password: token, body }).then((a) => ({ status: a.status, text: a.body.toString() }));
    const garbage = await sign('this is not a certificate request');
    assert.equal(garbage.status, 400);
    assert.match(garbage.text, /^csr-not-pem-or-der:/);
    const notCsr = await sign(Buffer.from('MIIBAAAA', 'base64').toString('base64'));
    assert.equal(notCsr.status, 400);
    assert.match(notCsr.text, /^csr-(not-a-csr|not-pem-or-der):/);
    const huge = await sign(Buffer.alloc(64 * 1024, 0x41));
    assert.equal(huge.status, 413);
    assert.match(huge.text, /too-large/);
    const other = await sign(opensslCsr(daemon.dir, 'mallory', `/CN=mallory/O=takd/OU=${ou}`).csr);
    assert.equal(other.status, 400);
    assert.match(other.text, /^csr-wrong-user: .*mallory/);
    const extra = await sign(opensslCsr(daemon.dir, 'extra', `/CN=erin/O=takd/OU=${ou}/L=Somewhere`).csr);
    assert.equal(extra.status, 400);
    assert.match(extra.text, /^csr-bad-subject: the subject has 4 entries/);
    const multi = await sign(opensslCsr(daemon.dir, 'multi', `/CN=erin+L=x/O=takd/OU=${ou}`).csr);
    assert.equal(multi.status, 400);
    assert.match(multi.text, /^csr-bad-subject:/);
    const missing = await sign(opensslCsr(daemon.dir, 'missing', '/CN=erin/O=takd').csr);
    assert.equal(missing.status, 400);
    assert.match(missing.text, /^csr-bad-subject:/);
    // None of these spent the token.
    const good = await sign(opensslCsr(daemon.dir, 'erin', `/CN=erin/O=takd/OU=${ou}`).csr);
    assert.equal(good.status, 200, good.text);
    assert.ok((JSON.parse(good.text) as { signedCert?: string }).signedCert);

    // A token past its expiry is refused like a wrong one.
    const short = addUser(daemon.configFile, 'frank', ['--hours', '0.0001']);
    await new Promise((resolve) => setTimeout(resolve, 600));
    const expired = await enrollRequest({ ...base(), method: 'GET', path: '/Marti/api/tls/config', user: 'frank', password: short.token });
    assert.equal(expired.status, 401);
  });

  it('wrong tokens: 401 after the fixed delay, all 50 at once, counted; then 429 for that address', async () => {
    addUser(daemon.configFile, 'gina');
    const before = daemon.component('enrollment')?.counters['auth.failed'] ?? 0;
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => enrollRequest({ ...base(), method: 'GET', path: '/Marti/api/tls/config', user: 'gina', password: `wrong-${i}` })));
    for (const answer of answers) {
      assert.equal(answer.status, 401);
      assert.match(String(answer.headers['www-authenticate']), /^Basic/);
      // The delay is a floor the server keeps (a timer), not a speed.
      assert.ok(answer.ms >= DELAY_MS - 20, `answered after ${answer.ms} ms`);
    }
    await waitUntil(() => (daemon.component('enrollment')?.counters['auth.failed'] ?? 0) >= before + 50, 'the 50 failures are counted');
    // max_failures = 70 in 10 minutes: the address is then answered 429.
    let status = 0;
    for (let i = 0; i < 30 && status !== 429; i++) status = (await enrollRequest({ ...base(), method: 'GET', path: '/Marti/api/tls/config', user: 'gina', password: 'still wrong' })).status;
    assert.equal(status, 429);
    process.stdout.write(`# 50 parallel wrong tokens: slowest ${Math.max(...answers.map((a) => a.ms))} ms, fastest ${Math.min(...answers.map((a) => a.ms))} ms (delay ${DELAY_MS} ms)\n`);
  });
});
