// A small TAK enrollment server for the client's tests (tak-server-api.md §4), on loopback:
// GET /Marti/api/tls/config (name entries O and OU, with OpenTAKServer's ns2: prefix and
// text/plain), POST /Marti/api/tls/signClient/v2 (Basic auth, a PEM or base64 CSR, signed by
// the test CA with `openssl x509 -req` for `days`, answered as JSON). Tokens can be one-time.
// It counts requests, so a test can tell that a start did not contact it.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface EnrollServerOptions {
  /** Server certificate and key (PEM files), and the CA that signs clients (PEM + key). */
  serverCert: string;
  serverKey: string;
  caCert: string;
  caKey: string;
  users: Record<string, string>;
  /** A token is accepted for one signClient only. */
  oneTime?: boolean;
  /** Validity of what is signed. */
  days?: number;
  /** A misbehaving server: a garbage answer, someone else's certificate, or one signed by another CA. */
  tamper?: 'garbage' | 'other-key' | 'other-ca';
  /** With tamper = other-key or other-ca: that certificate (PEM) and the other CA's files. */
  otherCert?: string;
  otherCaCert?: string;
  otherCaKey?: string;
}

export interface EnrollServer {
  port: number;
  requests: { config: number; sign: number; unauthorized: number };
  days: number;
  /** When set: the exact end of what is signed (to the second), instead of `days`. */
  endDate?: Date;
  close(): Promise<void>;
}

const run = promisify(execFile);

function der(pem: string): string {
  return pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
}

/** `openssl ca` (OpenSSL 3.0's x509 takes whole days only): signs until `end`, to the second. */
async function signUntil(work: string, serial: number, files: { csr: string; ca: string; caKey: string; ext: string; out: string }, end: Date): Promise<void> {
  const db = join(work, `ca-${serial}`);
  mkdirSync(db);
  writeFileSync(join(db, 'index.txt'), '');
  writeFileSync(join(db, 'serial'), `${(1000 + serial).toString(16).padStart(4, '0')}\n`);
  const config = join(db, 'ca.cnf');
  writeFileSync(config, `[ca]\ndefault_ca = d\n[d]\ndatabase = ${db}/index.txt\nnew_certs_dir = ${db}\nserial = ${db}/serial\ndefault_md = sha256\npolicy = p\nunique_subject = no\n[p]\ncommonName = supplied\norganizationName = optional\norganizationalUnitName = optional\n`);
  const enddate = end.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
  await run('openssl', ['ca', '-batch', '-notext', '-preserveDN', '-config', config, '-cert', files.ca, '-keyfile', files.caKey, '-in', files.csr, '-out', files.out, '-enddate', enddate, '-extfile', files.ext]);
}

export async function startEnrollServer(options: EnrollServerOptions): Promise<EnrollServer> {
  const work = mkdtempSync(join(options.caCert, '..', 'enroll-server-'));
  const used = new Set<string>();
  let serial = 0;
  const state: EnrollServer = { port: 0, requests: { config: 0, sign: 0, unauthorized: 0 }, days: options.days ?? 30, close: async () => undefined };
  const server: Server = createServer({ cert: readFileSync(options.serverCert), key: readFileSync(options.serverKey) }, (req, res) => {
    const auth = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const [user = '', password = ''] = auth === undefined ? [] : Buffer.from(auth, 'base64').toString().split(':');
    if (options.users[user] === undefined || options.users[user] !== password || used.has(user)) {
      state.requests.unauthorized++;
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="enroll"' }).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'https://x');
        if (req.method === 'GET' && url.pathname === '/Marti/api/tls/config') {
          state.requests.config++;
          res.writeHead(200, { 'Content-Type': 'text/plain' }).end(
            '<?xml version="1.0" encoding="UTF-8"?><ns2:certificateConfig xmlns:ns2="com.bbn.marti.config"><nameEntries><ns2:nameEntry name="O" value="Test Org"/><ns2:nameEntry name="OU" value="Test Unit"/></nameEntries></ns2:certificateConfig>',
          );
          return;
        }
        if (req.method === 'POST' && url.pathname === '/Marti/api/tls/signClient/v2') {
          state.requests.sign++;
          const body = Buffer.concat(chunks).toString();
          const csr = join(work, `req-${++serial}.csr`);
          writeFileSync(csr, `-----BEGIN CERTIFICATE REQUEST-----\n${der(body).replace(/.{1,64}/g, '$&\n')}-----END CERTIFICATE REQUEST-----\n`);
          const subject = (await run('openssl', ['req', '-in', csr, '-noout', '-subject', '-nameopt', 'sep_multiline'])).stdout;
          if (!subject.includes(`CN=${user}`) || !subject.includes('O=Test Org') || !subject.includes('OU=Test Unit')) {
            res.writeHead(400).end('bad subject');
            return;
          }
          const ext = join(work, `req-${serial}.ext`);
          writeFileSync(ext, `extendedKeyUsage=clientAuth\nsubjectAltName=email:${url.searchParams.get('clientUid') ?? 'x'}@takd.invalid\n`);
          const out = join(work, `req-${serial}.pem`);
          const otherCa = options.tamper === 'other-ca';
          const [ca, caKey] = otherCa ? [options.otherCaCert as string, options.otherCaKey as string] : [options.caCert, options.caKey];
          if (state.endDate === undefined) await run('openssl', ['x509', '-req', '-in', csr, '-CA', ca, '-CAkey', caKey, '-CAcreateserial', '-out', out, '-days', String(state.days), '-extfile', ext]);
          else await signUntil(work, serial, { csr, ca, caKey, ext, out }, state.endDate);
          if (options.oneTime) used.add(user);
          if (options.tamper === 'garbage') {
            res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"signedCert": "not a certificate!"');
            return;
          }
          const signed = options.tamper === 'other-key' ? (options.otherCert as string) : out;
          res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ signedCert: der(readFileSync(signed, 'utf8')), ca0: der(readFileSync(options.caCert, 'utf8')) }));
          return;
        }
        res.writeHead(404).end();
      })().catch((error: Error) => res.writeHead(500).end(error.message));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
      rmSync(work, { recursive: true, force: true });
    });
  return state;
}
