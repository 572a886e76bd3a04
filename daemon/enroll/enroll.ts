/**
 * Certificate enrollment as a TAK client (tak-server-api.md §4): `tls/config` for the name
 * entries, a key and CSR, `signClient/v2`, and the certificate, key and CA chain stored under
 * `DIR/enroll/HOST-USER/` (0600). A stored certificate is used until `renewBeforeMs` (7 days,
 * as PyTAK) before it expires; only then is the server asked again. The enrollment server
 * is verified (the CA given, else the system store); what it signs is checked (our key, our
 * name, chaining to the CA it sent) before a single file is written, so a refusal of any kind
 * leaves the old files as they were. Only files in that directory are ever written; none is
 * deleted.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readSmallFile } from '../transports/small-file.js';
import { writePrivateFiles } from './files.js';
import { EnrollError, httpsCall, type HttpsCall, type ServerTrust } from './https.js';
import { attribute } from './prefs.js';
import type { NameEntry } from './csr.js';

export { EnrollError } from './https.js';

export const ENROLL_PORT = 8446;
export const RENEW_BEFORE_MS = 7 * 24 * 3600 * 1000;

export interface EnrollRequest {
  /** The enrollment server (the link's host). */
  host: string;
  /** Default 8446. */
  port?: number;
  username: string;
  /** One-time token or password. */
  password: string;
  /** PEM file of the CA the server's certificate must chain to; undefined: the system store. */
  caFile?: string;
  /** Accept any server certificate: explicit only, warned through `warn`. */
  dontVerify?: boolean;
  /** The state directory; files go to DIR/enroll/HOST-USER/. */
  dir: string;
  /** The uid the server records the certificate for (clientUid=). */
  clientUid: string;
  /** Encrypts the stored key (PyTAK's PYTAK_TLS_CERT_ENROLLMENT_PASSPHRASE). */
  passphrase?: string;
  renewBeforeMs?: number;
  timeoutMs?: number;
  /** RSA key size (tests use 2048 for speed). */
  keyBits?: number;
  now?: () => number;
  warn?: (message: string) => void;
}

export interface Enrollment {
  cert: string;
  key: string;
  /** The CA chain the server returned (PEM file). */
  chain: string;
  notAfter: Date;
  /** True when the stored certificate was used without asking the server. */
  reused: boolean;
}

/** DIR/enroll/HOST-USER, with anything but letters, digits, '.', '_' and '-' replaced. */
export function enrollmentDirectory(dir: string, host: string, username: string): string {
  return join(dir, 'enroll', `${host}-${username}`.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_'));
}

function paths(request: EnrollRequest): { cert: string; key: string; chain: string } {
  const home = enrollmentDirectory(request.dir, request.host, request.username);
  return { cert: join(home, 'cert.pem'), key: join(home, 'key.pem'), chain: join(home, 'chain.pem') };
}

/**
 * The stored certificate when it is ours, matches its key and is not within the renewal
 * window (`renewBeforeMs`; 0: merely not expired).
 */
export function storedEnrollment(request: EnrollRequest, renewBeforeMs = request.renewBeforeMs ?? RENEW_BEFORE_MS): Enrollment | undefined {
  const files = paths(request);
  if (!existsSync(files.cert) || !existsSync(files.key) || !existsSync(files.chain)) return undefined;
  try {
    const cert = new X509Certificate(readSmallFile(files.cert));
    const key = createPrivateKey({ key: readSmallFile(files.key), passphrase: request.passphrase ?? '' });
    const notAfter = new Date(cert.validTo);
    const now = request.now?.() ?? Date.now();
    if (!cert.checkPrivateKey(key) || notAfter.getTime() - now <= renewBeforeMs) return undefined;
    return { ...files, notAfter, reused: true };
  } catch {
    return undefined; // unreadable or another passphrase: enroll anew (the files are ours)
  }
}

/** `<nameEntry name= value=>` of a tls/config answer, by local name (OTS sends `ns2:` prefixes and text/plain). */
export function parseNameEntries(xml: string): NameEntry[] {
  const entries: NameEntry[] = [];
  const tag = /<(?:[A-Za-z_][\w.-]*:)?nameEntry\b([^>]*)>/g;
  for (let match = tag.exec(xml); match !== null && entries.length < 32; match = tag.exec(xml)) {
    const inside = ` ${match[1] as string}`.replace(/\/$/, '');
    const name = attribute(inside, 'name');
    const value = attribute(inside, 'value');
    if (name !== undefined && value !== undefined && name !== '') entries.push({ name, value });
  }
  return entries;
}

function statusProblem(call: HttpsCall, status: number): string {
  const what = `${call.host}:${call.port} ${call.path.split('?')[0] as string}`;
  if (status === 401) return `${what}: 401, the server does not accept user '${call.username}' with this password or token (a token works once; ask for a new link)`;
  if (status === 403) return `${what}: 403, user '${call.username}' may not enroll here`;
  return `${what}: the server answered ${status}`;
}

function pem(der: Buffer): string {
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{1,64}/g, '$&\n')}-----END CERTIFICATE-----\n`;
}

function certificate(base64: unknown, what: string): X509Certificate {
  if (typeof base64 !== 'string' || !/^[A-Za-z0-9+/=\s-]+$/.test(base64)) throw new EnrollError(`the server's ${what} is not base64`);
  try {
    return new X509Certificate(Buffer.from(base64.replace(/-----[^-]+-----/g, ''), 'base64'));
  } catch (error) {
    throw new EnrollError(`the server's ${what} is not a certificate (${(error as Error).message})`);
  }
}

/** The signed certificate and chain of a signClient/v2 JSON answer, checked against our key and name. */
function checkSigned(body: string, keyPem: string, request: EnrollRequest, given: X509Certificate[]): { cert: X509Certificate; chain: X509Certificate[] } {
  let answer: Record<string, unknown>;
  try {
    answer = JSON.parse(body) as Record<string, unknown>;
  } catch {
    throw new EnrollError('the server\'s signClient/v2 answer is not JSON');
  }
  if (answer === null || typeof answer !== 'object') throw new EnrollError('the server\'s signClient/v2 answer is not a JSON object');
  const cert = certificate(answer.signedCert, 'signedCert');
  const chain = Object.keys(answer)
    .filter((k) => /^ca\d+$/.test(k))
    .sort((a, b) => Number(a.slice(2)) - Number(b.slice(2)))
    .map((k) => certificate(answer[k], k));
  if (!cert.checkPrivateKey(createPrivateKey(keyPem))) throw new EnrollError('the certificate the server signed is not for our key');
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(cert.subject)?.[1];
  if (cn?.toLowerCase() !== request.username.toLowerCase()) throw new EnrollError(`the certificate the server signed is for '${cn ?? '?'}', not '${request.username}'`);
  const issuers = [...chain, ...given];
  if (!issuers.some((ca) => cert.checkIssued(ca) && cert.verify(ca.publicKey))) throw new EnrollError('the certificate the server signed does not chain to a CA it sent (ca0…) or the CA given');
  return { cert, chain: chain.length > 0 ? chain : given };
}

/**
 * The client certificate for `request`: the stored one, or a new one from the server.
 * Throws EnrollError saying why (untrusted server, 401, a bad answer); writes nothing then.
 */
export async function enroll(request: EnrollRequest): Promise<Enrollment> {
  const stored = storedEnrollment(request);
  if (stored !== undefined) return stored;
  const caPem = request.caFile === undefined ? undefined : readSmallFile(request.caFile);
  const trust: ServerTrust = { ca: caPem, caName: request.caFile, dontVerify: request.dontVerify };
  const port = request.port ?? ENROLL_PORT;
  if (request.dontVerify) request.warn?.(`enrollment at ${request.host}:${port}: server certificate NOT VERIFIED (dont_verify): anyone on the path can take the token and hand out a certificate`);
  const base = { host: request.host, port, username: request.username, password: request.password, trust, timeoutMs: request.timeoutMs ?? 30_000 };

  const configCall: HttpsCall = { ...base, method: 'GET', path: '/Marti/api/tls/config', headers: { Accept: '*/*' } };
  const config = await httpsCall(configCall);
  if (config.status !== 200) throw new EnrollError(statusProblem(configCall, config.status));
  const entries = parseNameEntries(config.body);

  const { makeKeyAndCsr } = await import('./csr.js');
  let made;
  try {
    made = await makeKeyAndCsr(request.username, entries, request.keyBits);
  } catch (error) {
    throw new EnrollError((error as Error).message);
  }
  const signCall: HttpsCall = {
    ...base,
    method: 'POST',
    path: `/Marti/api/tls/signClient/v2?clientUid=${encodeURIComponent(request.clientUid)}&version=takd`,
    headers: { Accept: 'application/json', 'Content-Type': 'application/pkcs10' },
    body: made.csrPem,
  };
  const signed = await httpsCall(signCall);
  if (signed.status !== 200) throw new EnrollError(statusProblem(signCall, signed.status));
  const given = caPem === undefined ? [] : splitPem(caPem.toString('utf8')).map((p) => new X509Certificate(p));
  const { cert, chain } = checkSigned(signed.body, made.keyPem, request, given);

  const files = paths(request);
  const keyOut = request.passphrase ? createPrivateKey(made.keyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: request.passphrase }).toString() : made.keyPem;
  // The certificate last: a crash between the files leaves a pair that does not match, which
  // storedEnrollment does not reuse.
  writePrivateFiles({ [files.key]: keyOut, [files.chain]: chain.map((c) => pem(c.raw)).join(''), [files.cert]: pem(cert.raw) });
  return { ...files, notAfter: new Date(cert.validTo), reused: false };
}

function splitPem(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
}
