// Test PKI made at test time with the openssl CLI: a CA, a server certificate for
// localhost/127.0.0.1/::1, a client certificate (PEM pair, combined PEM, PKCS#12 with a
// password), a client certificate that has expired, and a second, unrelated CA with its own
// client and server certificates.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';

export interface TestPki {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** Client certificate and key in one PEM file. */
  clientCombined: string;
  clientP12: string;
  p12Password: string;
  /** The password followed by a newline, as password files usually are. */
  p12PasswordFile: string;
  wrongCaCert: string;
  /** Signed by the wrong CA. */
  wrongClientCert: string;
  wrongClientKey: string;
  wrongServerCert: string;
  wrongServerKey: string;
  /** From the right CA, valid for one day in 2020. */
  expiredClientCert: string;
  expiredClientKey: string;
  cleanup(): void;
}

/** Why the test PKI cannot be made here, or undefined when it can. */
export function opensslUnavailableReason(): string | undefined {
  return spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0 ? undefined : 'needs the openssl command to make the test PKI (apt install openssl)';
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function newCa(dir: string, name: string): void {
  openssl(dir, [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
}

function newLeaf(dir: string, ca: string, name: string, cn: string, extensions: string): void {
  writeFileSync(join(dir, `${name}.ext`), `${extensions}\n`);
  openssl(dir, ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`]);
  openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`]);
}

/** `openssl x509` cannot back-date a certificate; `openssl ca` can, with a minimal database. */
function newExpiredLeaf(dir: string, ca: string, name: string, cn: string): void {
  writeFileSync(join(dir, `${name}.db`), '');
  writeFileSync(join(dir, `${name}.serial`), '1000\n');
  writeFileSync(join(dir, `${name}.cnf`), [
    '[ca]', 'default_ca = expired', '[expired]', `database = ${name}.db`, `serial = ${name}.serial`, 'new_certs_dir = .',
    'default_md = sha256', 'policy = any', 'x509_extensions = leaf', '[any]', 'commonName = supplied', '[leaf]', CLIENT_EXT, '',
  ].join('\n'));
  openssl(dir, ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`]);
  openssl(dir, ['ca', '-batch', '-config', `${name}.cnf`, '-cert', `${ca}.pem`, '-keyfile', `${ca}.key`, '-in', `${name}.csr`, '-out', `${name}.pem`,
    '-startdate', '20200101000000Z', '-enddate', '20200102000000Z', '-notext']);
}

const SERVER_EXT = 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nextendedKeyUsage=serverAuth';
const CLIENT_EXT = 'extendedKeyUsage=clientAuth';

export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'takd-pki-'));
  const path = (name: string): string => join(dir, name);
  newCa(dir, 'ca');
  newLeaf(dir, 'ca', 'server', 'localhost', SERVER_EXT);
  newLeaf(dir, 'ca', 'client', 'takd-test-client', CLIENT_EXT);
  newExpiredLeaf(dir, 'ca', 'expired-client', 'takd-expired-client');
  newCa(dir, 'wrong-ca');
  newLeaf(dir, 'wrong-ca', 'wrong-client', 'intruder', CLIENT_EXT);
  newLeaf(dir, 'wrong-ca', 'wrong-server', 'localhost', SERVER_EXT);
  writeFileSync(path('client-combined.pem'), Buffer.concat([readFileSync(path('client.pem')), readFileSync(path('client.key'))]));
  const p12Password = 'atakatak';
  openssl(dir, ['pkcs12', '-export', '-in', 'client.pem', '-inkey', 'client.key', '-certfile', 'ca.pem', '-out', 'client.p12', '-passout', `pass:${p12Password}`]);
  writeFileSync(path('client.pass'), `${p12Password}\n`);
  return {
    dir,
    caCert: path('ca.pem'),
    serverCert: path('server.pem'),
    serverKey: path('server.key'),
    clientCert: path('client.pem'),
    clientKey: path('client.key'),
    clientCombined: path('client-combined.pem'),
    clientP12: path('client.p12'),
    p12Password,
    p12PasswordFile: path('client.pass'),
    wrongCaCert: path('wrong-ca.pem'),
    wrongClientCert: path('wrong-client.pem'),
    wrongClientKey: path('wrong-client.key'),
    wrongServerCert: path('wrong-server.pem'),
    wrongServerKey: path('wrong-server.key'),
    expiredClientCert: path('expired-client.pem'),
    expiredClientKey: path('expired-client.key'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Another client certificate from the test CA, with subject CN `cn` (bind_identity tests); PEM pair. */
export function makeClientCert(pki: TestPki, name: string, cn: string): { cert: string; key: string } {
  newLeaf(pki.dir, 'ca', name, cn, CLIENT_EXT);
  return { cert: join(pki.dir, `${name}.pem`), key: join(pki.dir, `${name}.key`) };
}

/**
 * For a test file: a PKI made before its tests and removed after them, handed to `use`;
 * nothing when openssl is missing (`skip` is opensslUnavailableReason(), and the file's
 * tests skip with it).
 */
export function withTestPki(skip: string | undefined, use: (pki: TestPki) => void): void {
  let made: TestPki | undefined;
  before(() => {
    if (skip !== undefined) return;
    made = makeTestPki();
    use(made);
  });
  after(() => made?.cleanup());
}
