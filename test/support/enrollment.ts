// Helpers for the enrollment tests: the PKI commands run as `takd` would be, an HTTPS
// client for port 8446 that times each answer, CSRs made by the openssl command, and
// PyTAK's own enrollment client.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { request } from 'node:https';
import { join } from 'node:path';
import { PEERS_DIR, PYTHON } from './pytak-peer.js';
import { repoRoot } from './paths.js';
import { TAKD_MAIN } from './daemon-process.js';

/** Runs `takd ARGS…`; returns its exit status and output. */
export function takd(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [TAKD_MAIN, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `takd user add` → the token from the printed tak:// link. */
export function addUser(config: string, name: string, extra: string[] = []): { token: string; link: string } {
  const result = takd(['user', 'add', name, '-c', config, '--no-qr', ...extra]);
  if (result.status !== 0) throw new Error(`takd user add ${name}: ${result.stderr}`);
  const link = result.stdout.trim().split('\n').pop() ?? '';
  const token = new URL(link.replace(/^tak:/, 'https:')).searchParams.get('token') ?? '';
  return { token, link };
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  ms: number;
}

export interface EnrollRequest {
  host: string;
  port: number;
  ca: Buffer;
  method: string;
  path: string;
  user?: string;
  password?: string;
  body?: Buffer | string;
  accept?: string;
  cert?: Buffer;
  key?: Buffer;
}

export function enrollRequest(r: EnrollRequest): Promise<Answer> {
  const started = Date.now();
  const headers: Record<string, string> = {};
  if (r.user !== undefined) headers.authorization = `Basic ${Buffer.from(`${r.user}:${r.password ?? ''}`).toString('base64')}`;
  if (r.accept !== undefined) headers.accept = r.accept;
  if (r.body !== undefined) headers['content-type'] = 'application/pkcs10';
  return new Promise((resolve, reject) => {
    const req = request({ host: r.host, port: r.port, method: r.method, path: r.path, ca: r.ca, cert: r.cert, key: r.key, headers, agent: false, servername: undefined }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), ms: Date.now() - started }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(r.body);
  });
}

/** A CSR made by openssl: PEM text. `subject` like /CN=alice/O=takd/OU=x. */
export function opensslCsr(dir: string, name: string, subject: string, bits = 2048): { csr: string; key: string } {
  const keyFile = join(dir, `${name}.key`);
  const csrFile = join(dir, `${name}.csr`);
  execFileSync('openssl', ['req', '-new', '-newkey', `rsa:${bits}`, '-nodes', '-keyout', keyFile, '-out', csrFile, '-subj', subject, '-multivalue-rdn'], { stdio: ['ignore', 'ignore', 'pipe'] });
  return { csr: execFileSync('cat', [csrFile], { encoding: 'utf8' }), key: keyFile };
}

/** PyTAK's CertificateEnrollment against HOST:8446 (its fixed port); resolves true when it wrote the .p12. */
export function pytakEnroll(host: string, user: string, token: string, output: string, passphrase: string): Promise<{ written: boolean; log: string }> {
  const child = spawn(PYTHON, [join(repoRoot, 'test/support/pytak_enroll.py'), host, user, token, output, passphrase], {
    env: { PATH: process.env.PATH, PYTHONPATH: join(PEERS_DIR, 'pytak/src'), HOME: join(output, '..') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let log = '';
  child.stdout.setEncoding('utf8').on('data', (t: string) => (out += t));
  child.stderr.setEncoding('utf8').on('data', (t: string) => (log += t));
  return new Promise((resolve) => {
    child.on('exit', () => {
      const line = out.trim().split('\n').pop() ?? '{}';
      let written: boolean;
      try {
        written = (JSON.parse(line) as { written?: boolean }).written === true;
      } catch {
        written = false;
      }
      resolve({ written, log });
    });
  });
}
