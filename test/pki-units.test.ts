// The PKI's parts in-process: CSR checks on well-formed and malformed requests (PEM, bare
// base64, DER, EC keys, small keys, tampered signatures, case of the CN), the enrollment
// answers' headers, the user database's one-time tokens, and the revocation list closing
// a live socket. Keys are made at test time (forge, RSA 2048, for speed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { checkCsr, csrDer, CsrError } from '../daemon/pki/csr.js';
import { answerFormat, basicCredentials, cleanClientUid, signedAnswer, tlsConfigXml } from '../daemon/pki/enrollment-answers.js';
import { pkiPaths } from '../daemon/pki/paths.js';
import { UserDb } from '../daemon/pki/users.js';
import { peerRevoked, setRevokedFingerprints } from '../daemon/transports/revocation.js';
import { opensslUnavailableReason } from './support/certs.js';

const ENTRIES = [
  { name: 'O', value: 'takd' },
  { name: 'OU', value: 'unit' },
];
const keys = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });

function csrFor(subject: { shortName: string; value: string }[], key = keys): forge.pki.CertificateSigningRequest {
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = key.publicKey;
  csr.setSubject(subject);
  csr.sign(key.privateKey, forge.md.sha256.create());
  return csr;
}

const der = (csr: forge.pki.CertificateSigningRequest): Buffer => Buffer.from(forge.asn1.toDer(forge.pki.certificationRequestToAsn1(csr)).getBytes(), 'binary');
const good = csrFor([{ shortName: 'CN', value: 'Alice' }, { shortName: 'O', value: 'takd' }, { shortName: 'OU', value: 'unit' }]);

async function reason(body: Buffer, user = 'alice'): Promise<string> {
  try {
    await checkCsr(body, user, ENTRIES);
    return 'accepted';
  } catch (error) {
    assert.ok(error instanceof CsrError, String(error));
    return error.reason;
  }
}

test('a CSR is accepted as PEM, bare base64 (TAK Server) and DER; the CN matches the user without case', async () => {
  assert.equal(await reason(Buffer.from(forge.pki.certificationRequestToPem(good))), 'accepted');
  assert.equal(await reason(Buffer.from(der(good).toString('base64'))), 'accepted');
  assert.equal(await reason(Buffer.from(der(good).toString('base64').replace(/(.{64})/g, '$1\r\n'))), 'accepted');
  assert.equal(await reason(der(good)), 'accepted');
  assert.equal(await reason(der(good), 'ALICE'), 'accepted');
});

test('malformed and wrong CSRs are refused with their reason', async () => {
  assert.equal(await reason(Buffer.from('')), 'not-pem-or-der');
  assert.equal(await reason(Buffer.from('%%% not base64 %%%')), 'not-pem-or-der');
  assert.equal(await reason(Buffer.from('-----BEGIN CERTIFICATE REQUEST-----\n!!\n-----END CERTIFICATE REQUEST-----')), 'not-pem-or-der');
  assert.equal(await reason(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00])), 'not-a-csr');
  assert.equal(await reason(Buffer.concat([der(good), Buffer.from([0])])), 'not-a-csr');
  assert.equal(await reason(der(good).subarray(0, 200)), 'not-a-csr');
  assert.equal(await reason(Buffer.alloc(20_000, 0x41)), 'too-large');
  const tampered = der(good);
  tampered[tampered.length - 5] ^= 0xff;
  assert.equal(await reason(tampered), 'bad-signature');
  assert.equal(await reason(der(good), 'bob'), 'wrong-user');
  assert.equal(await reason(der(csrFor([{ shortName: 'CN', value: 'alice' }, { shortName: 'O', value: 'takd' }]))), 'bad-subject');
  assert.equal(await reason(der(csrFor([{ shortName: 'CN', value: 'alice' }, { shortName: 'O', value: 'other' }, { shortName: 'OU', value: 'unit' }]))), 'bad-subject');
  assert.equal(await reason(der(csrFor([{ shortName: 'CN', value: 'alice' }, { shortName: 'O', value: 'takd' }, { shortName: 'OU', value: 'unit' }, { shortName: 'L', value: 'x' }]))), 'bad-subject');
  assert.equal(await reason(der(csrFor([{ shortName: 'O', value: 'takd' }, { shortName: 'OU', value: 'unit' }]))), 'bad-subject');
  const small = forge.pki.rsa.generateKeyPair({ bits: 1024, e: 0x10001 });
  assert.equal(await reason(der(csrFor([{ shortName: 'CN', value: 'alice' }, { shortName: 'O', value: 'takd' }, { shortName: 'OU', value: 'unit' }], small))), 'bad-key');
  assert.throws(() => csrDer(Buffer.alloc(10), 5), CsrError);
});

test('an EC CSR is refused as bad-key', { skip: opensslUnavailableReason() }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'takd-csr-'));
  try {
    execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'k'), '-out', join(dir, 'c'), '-subj', '/CN=alice/O=takd/OU=unit'], { stdio: 'ignore' });
    assert.equal(await reason(readFileSync(join(dir, 'c'))), 'bad-key');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Accept picks JSON or XML; Basic credentials are parsed strictly; the answers carry base64 DER', () => {
  assert.equal(answerFormat(undefined), 'json');
  assert.equal(answerFormat(''), 'json');
  assert.equal(answerFormat('*/*'), 'json');
  assert.equal(answerFormat('application/json'), 'json');
  assert.equal(answerFormat('application/xml'), 'xml');
  assert.equal(answerFormat('text/html, application/xml;q=0.9'), 'xml');
  assert.equal(answerFormat('text/html'), undefined);
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  assert.deepEqual(basicCredentials(`Basic ${b64('alice:tok:en')}`), { user: 'alice', password: 'tok:en' });
  assert.equal(basicCredentials(undefined), undefined);
  assert.equal(basicCredentials('Bearer abc'), undefined);
  assert.equal(basicCredentials(`Basic ${b64('nocolon')}`), undefined);
  assert.equal(basicCredentials(`Basic ${b64(':empty-user')}`), undefined);
  assert.equal(basicCredentials(`Basic ${b64('a\nb:c')}`), undefined);
  assert.equal(basicCredentials(`Basic ${'A'.repeat(2000)}`), undefined);
  assert.equal(cleanClientUid('ANDROID-1234'), 'ANDROID-1234');
  assert.equal(cleanClientUid('has space'), undefined);
  assert.equal(cleanClientUid('x'.repeat(129)), undefined);
  const json = JSON.parse(signedAnswer('json', Buffer.from('cert'), [Buffer.from('ca')])) as Record<string, string>;
  assert.deepEqual(json, { signedCert: Buffer.from('cert').toString('base64'), ca0: Buffer.from('ca').toString('base64') });
  assert.match(signedAnswer('xml', Buffer.from('cert'), [Buffer.from('ca')]), /<enrollment><signedCert>Y2VydA==<\/signedCert><ca>Y2E=<\/ca><\/enrollment>/);
  const xml = tlsConfigXml([{ name: 'O', value: 'a"<b' }], 365);
  assert.match(xml, /<ns2:certificateConfig [^>]*xmlns:ns2="com\.bbn\.marti\.config"/);
  assert.match(xml, /<nameEntry name="O" value="a&#34;&#60;b"\/>/);
});

test('a token works once, expires, is stored only as a hash (users.json 0600), and revocation ends it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'takd-users-'));
  try {
    const paths = pkiPaths(dir);
    const token = UserDb.update(paths, (db) => {
      assert.throws(() => db.add('../etc', {}), /not a user name/);
      return db.add('alice', { team: 'Cyan', tokenHours: 1, now: 1_000_000 });
    });
    assert.equal(existsSync(`${paths.users}.lock`), false, 'the lock is released');
    assert.equal(statSync(paths.users).mode & 0o777, 0o600);
    assert.ok(!readFileSync(paths.users, 'utf8').includes(token), 'the token itself is not stored');
    const loaded = UserDb.load(paths);
    assert.equal(loaded.verify('alice', token, 1_000_001), 'ok');
    assert.equal(loaded.verify('ALICE', token, 1_000_001), 'ok');
    assert.equal(loaded.verify('alice', `${token}x`, 1_000_001), 'wrong-token');
    assert.equal(loaded.verify('bob', token, 1_000_001), 'unknown-user');
    assert.equal(loaded.verify('alice', token, 1_000_000 + 3_600_000), 'expired');
    loaded.consume('alice', { serial: '01', fingerprint256: 'AA:BB', notAfter: '2030-01-01T00:00:00Z', issuedAt: new Date(1_000_002).toISOString() });
    assert.equal(loaded.verify('alice', token, 1_000_003), 'no-token');
    loaded.revoke('alice', 1_000_004);
    assert.equal(loaded.verify('alice', token, 1_000_005), 'revoked');
    assert.deepEqual(loaded.revokedEntries([]).map((e) => e.fingerprint256), ['AA:BB']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a revoked fingerprint refuses the next handshake and closes a live connection', () => {
  class FakeTlsSocket extends EventEmitter {
    destroyed = false;
    constructor(readonly fingerprint: string) {
      super();
    }
    getPeerCertificate(): { fingerprint256: string } {
      return { fingerprint256: this.fingerprint };
    }
    destroy(): void {
      this.destroyed = true;
      this.emit('close');
    }
  }
  setRevokedFingerprints([]);
  const live = new FakeTlsSocket('AB:CD:EF');
  const other = new FakeTlsSocket('01:02:03');
  assert.equal(peerRevoked(live), false);
  assert.equal(peerRevoked(other), false);
  assert.equal(setRevokedFingerprints(['abcdef']), 1);
  assert.ok(live.destroyed && !other.destroyed);
  assert.equal(peerRevoked(new FakeTlsSocket('AB:CD:EF')), true);
  setRevokedFingerprints([]);
});

test('the client-side API: a CSR from createCsrPem passes the server check; readPkcs12 opens what pkcs12 wrote, and refuses a wrong password', async () => {
  const { createCsrPem, newRsaKeyPem, pkcs12, readPkcs12, Pkcs12Error } = await import('../daemon/pki/index.js');
  const keyPem = await newRsaKeyPem(2048);
  const csr = await createCsrPem(keyPem, 'zed', ENTRIES);
  const checked = await checkCsr(Buffer.from(csr), 'zed', ENTRIES);
  assert.equal(checked.subject.length, 3);
  const key = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date();
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  cert.setSubject([{ shortName: 'CN', value: 'zed' }]);
  cert.setIssuer([{ shortName: 'CN', value: 'zed' }]);
  cert.sign(key, forge.md.sha256.create());
  const bytes = await pkcs12(key, [cert], 's3cret');
  const read = await readPkcs12(bytes, 's3cret');
  assert.equal(read.certPems.length, 1);
  assert.match(read.keyPem ?? '', /BEGIN RSA PRIVATE KEY/);
  await assert.rejects(readPkcs12(bytes, 'wrong'), Pkcs12Error);
  await assert.rejects(readPkcs12(Buffer.from('garbage'), 'x'), Pkcs12Error);
});

// The CLI (`takd user add`) and the daemon's enrollment server both rewrite users.json.
test('users.json changed by two processes at once loses no change (its lock)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'takd-users-lock-'));
  try {
    const paths = pkiPaths(dir);
    const users = fileURLToPath(new URL('../daemon/pki/users.js', import.meta.url));
    const pathsModule = fileURLToPath(new URL('../daemon/pki/paths.js', import.meta.url));
    const writer = (tag: string): Promise<unknown> => {
      const script = `import { UserDb } from ${JSON.stringify(users)}; import { pkiPaths } from ${JSON.stringify(pathsModule)};
        const paths = pkiPaths(${JSON.stringify(dir)});
        for (let i = 0; i < 150; i += 1) UserDb.update(paths, (db) => db.add('${tag}' + i, {}));`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'inherit'] });
      return once(child, 'exit');
    };
    const exits = await Promise.all([writer('a'), writer('b'), writer('c')]);
    assert.deepEqual(exits, [[0, null], [0, null], [0, null]]);
    assert.equal(UserDb.load(paths).all().length, 450);
    assert.equal(existsSync(`${paths.users}.lock`), false);

    // A lock left by a process that is gone is taken over, not waited on.
    writeFileSync(`${paths.users}.lock`, '999999999\n');
    UserDb.update(paths, (db) => db.add('after', {}));
    assert.equal(UserDb.load(paths).all().length, 451);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
