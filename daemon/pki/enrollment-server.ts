/**
 * The enrollment server (TAK Server's port 8446, tak-server-api.md §4) over node:https with
 * the box's server certificate: tls/config, signClient/v2 (JSON or XML), the legacy
 * signClient (PKCS#12) and profile/enrollment. Loaded only when [enrollment] is set.
 *
 * Who: HTTP Basic with the user name and the one-time token from `takd user add` (or, for
 * profile/enrollment, a client certificate from the box's CA). A wrong name or token is
 * answered 401 after a fixed delay, counted, and an address with too many of them in 10
 * minutes gets 429 (after the same delay) without its credentials being looked at. The
 * door: the listeners' admission limits (connections and handshakes per address).
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { parseTarget, TargetError } from '../marti/target.js';
import type { Logger } from '../log.js';
import { guardHttpDoor } from '../transports/http-door.js';
import { ListenerAdmission, resolveListenerLimits } from '../transports/listener-limits.js';
import { peerRevoked } from '../transports/revocation.js';
import { readCa } from './ca-store.js';
import { checkCsr, CsrError } from './csr.js';
import { answerFormat, basicCredentials, cleanClientUid, signedAnswer, tlsConfigXml, type BasicCredentials } from './enrollment-answers.js';
import { issueForUser } from './issue.js';
import { profilePackage } from './packages.js';
import type { PkiPaths } from './paths.js';
import { DEFAULT_P12_PASSWORD, pkcs12 } from './pkcs12.js';
import type { EnrollmentSettings } from './settings.js';
import { UserDb, type UserRecord } from './users.js';
import { caNameEntries, type CaMaterial } from './x509.js';
import { closeHttp, listenHttp } from '../../util/http-listen.js';

const PATH_CONFIG = '/Marti/api/tls/config';
const PATH_SIGN_V2 = '/Marti/api/tls/signClient/v2';
const PATH_SIGN = '/Marti/api/tls/signClient';
const PATH_PROFILE = '/Marti/api/tls/profile/enrollment';
const FAILURE_WINDOW_MS = 600_000;

class Refusal extends Error {
  constructor(readonly status: number, readonly reason: string, message: string) {
    super(message);
  }
}

export interface EnrollmentServerOptions {
  settings: EnrollmentSettings;
  paths: PkiPaths;
  clientDays: number;
  /** PEM key and certificate chain of the server (read by the caller). */
  tls: { key: Buffer; cert: Buffer; ca: Buffer };
  logger: Logger;
}

export class EnrollmentServer {
  readonly counters: Record<string, number> = { requests: 0, signed: 0, 'auth.failed': 0, 'auth.limited': 0 };
  private server: Server | undefined;
  private readonly admission: ListenerAdmission;
  private readonly failures = new Map<string, { start: number; count: number }>();
  /** Users whose CSR is being signed: a token is spent once even by two requests at once. */
  private readonly signing = new Set<string>();
  private ca: CaMaterial | undefined;
  private port = 0;

  constructor(private readonly options: EnrollmentServerOptions) {
    const perAddress = options.settings.maxClientsPerAddress;
    // Each enrollment is a handshake and a request or three: an address may handshake as often as it may connect.
    this.admission = new ListenerAdmission(resolveListenerLimits({ maxPerAddress: perAddress, maxClients: 256, maxHandshakes: 128, maxHandshakesPerAddress: perAddress }));
  }

  get boundPort(): number {
    return this.port;
  }

  async listen(): Promise<void> {
    this.ca = await readCa(this.options.paths);
    const limits = this.admission.limits;
    const server = createServer(
      {
        key: this.options.tls.key,
        cert: this.options.tls.cert,
        ca: this.options.tls.ca,
        // A client certificate is asked for, not required: enrolled phones fetch their profile with it.
        requestCert: true,
        rejectUnauthorized: false,
        minVersion: 'TLSv1.2',
        handshakeTimeout: limits.handshakeTimeoutMs,
        maxHeaderSize: 8192,
        headersTimeout: 15_000,
        requestTimeout: 30_000,
        keepAliveTimeout: 5_000,
      },
      (request, response) => {
        this.handle(request, response).catch((error: unknown) => this.failed(response, error));
      },
    );
    server.maxRequestsPerSocket = 100;
    // The door also counts failed handshakes, by reason (tlsRefused.*), and closes them.
    guardHttpDoor(server, this.admission, true);
    server.on('secureConnection', (socket: TLSSocket) => {
      if (peerRevoked(socket)) {
        this.count('refused.revoked');
        socket.destroy();
      }
    });
    server.on('clientError', (_error, socket: Socket) => {
      this.count('refused.bad-request');
      socket.destroy();
    });
    server.setTimeout(60_000, (socket: Socket) => socket.destroy());
    const { host, port } = this.options.settings.listen;
    this.port = await listenHttp(server, host, port, this.options.logger, 'enrollment server');
    this.server = server;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    await closeHttp(server);
  }

  /** Counters for status, with the door's. */
  status(): Record<string, number> {
    return { ...this.counters, ...this.admission.counters() };
  }

  private count(name: string): void {
    this.counters[name] = (this.counters[name] ?? 0) + 1;
  }

  // ---- requests ---------------------------------------------------------------------------

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.count('requests');
    const address = request.socket.remoteAddress ?? '?';
    let path: string;
    let query: Map<string, string>;
    try {
      ({ path, query } = parseTarget(request.url, 2048));
    } catch (error) {
      if (error instanceof TargetError) throw new Refusal(400, error.reason, error.message);
      throw error;
    }
    const method = request.method ?? '';
    const route = { [PATH_CONFIG]: 'GET', [PATH_SIGN_V2]: 'POST', [PATH_SIGN]: 'POST', [PATH_PROFILE]: 'GET' }[path];
    if (route === undefined) throw new Refusal(404, 'not-found', `no such call: ${path.slice(0, 100)}`);
    if (method !== route) {
      response.setHeader('allow', route);
      throw new Refusal(405, 'method-not-allowed', `${method} is not allowed here (allowed: ${route})`);
    }
    const user = await this.authenticate(request, address, path === PATH_PROFILE);
    const ca = this.ca as CaMaterial;
    if (path === PATH_CONFIG) return this.answer(response, 200, 'application/xml', tlsConfigXml(caNameEntries(ca), this.options.clientDays));
    if (path === PATH_PROFILE) {
      const record = UserDb.load(this.options.paths).get(user);
      if (record === undefined) return this.answer(response, 204, 'text/plain', '');
      const profile: { callsign: string; team?: string; role?: string } = { callsign: record.name };
      if (record.team !== undefined) profile.team = record.team;
      if (record.role !== undefined) profile.role = record.role;
      return this.answer(response, 200, 'application/zip', profilePackage(profile));
    }
    const format = path === PATH_SIGN_V2 ? answerFormat(request.headers.accept) : 'json';
    if (format === undefined) throw new Refusal(400, 'bad-accept', 'Accept must be application/json or application/xml');
    const body = await this.readBody(request);
    const checked = await checkCsr(body, user, caNameEntries(ca), this.options.settings.maxCsrBytes);
    if (this.signing.has(user.toLowerCase())) throw new Refusal(409, 'busy', 'a request for this user is being signed');
    // The token is checked again (it may have been spent while the body arrived) and spent with the signature.
    if (UserDb.load(this.options.paths).verify(user, this.credentials(request)?.password ?? '') !== 'ok') return this.unauthorized(response, address, 'token spent meanwhile');
    this.signing.add(user.toLowerCase());
    try {
      const uid = cleanClientUid(query.get('clientUid'));
      const issued = await issueForUser(this.options.paths, ca, user, { ...checked, ...(uid === undefined ? {} : { uid }) }, { days: this.options.clientDays, consumeToken: true });
      this.count('signed');
      this.options.logger.info({ user, uid, fingerprint: issued.fingerprint256, notAfter: issued.cert.validity.notAfter.toISOString() }, 'enrollment: client certificate issued');
      if (path === PATH_SIGN) {
        const p12 = await pkcs12(undefined, [issued.cert, ca.cert], DEFAULT_P12_PASSWORD);
        return this.answer(response, 200, 'application/x-pkcs12', p12);
      }
      return this.answer(response, 200, format === 'json' ? 'application/json' : 'application/xml', signedAnswer(format, issued.der, issued.chainDer));
    } finally {
      this.signing.delete(user.toLowerCase());
    }
  }

  private credentials(request: IncomingMessage): BasicCredentials | undefined {
    return basicCredentials(request.headers.authorization);
  }

  /**
   * The user the request speaks for; answers 401/429 (after the delay) otherwise. `profile`:
   * profile/enrollment, which an enrolled certificate or a token spent minutes ago may ask.
   */
  private async authenticate(request: IncomingMessage, address: string, profile: boolean): Promise<string> {
    if (profile) {
      const socket = request.socket as TLSSocket;
      const cn = socket.authorized ? socket.getPeerCertificate()?.subject?.CN : undefined;
      const record: UserRecord | undefined = typeof cn === 'string' ? UserDb.load(this.options.paths).get(cn) : undefined;
      if (record !== undefined && record.revokedAt === undefined) return record.name;
    }
    const window = this.failures.get(address);
    const now = Date.now();
    if (window !== undefined && now - window.start < FAILURE_WINDOW_MS && window.count >= this.options.settings.maxFailures) {
      this.count('auth.limited');
      await this.delay();
      throw new Refusal(429, 'too-many-failures', `too many wrong user names or tokens from this address; try again in ${Math.ceil((window.start + FAILURE_WINDOW_MS - now) / 60_000)} minutes`);
    }
    const credentials = this.credentials(request);
    if (credentials === undefined) {
      this.count('refused.no-credentials');
      throw Object.assign(new Refusal(401, 'no-credentials', 'send the user name and the enrollment token as HTTP Basic credentials'), { challenge: true });
    }
    const db = UserDb.load(this.options.paths);
    const verdict = db.verify(credentials.user, credentials.password, now);
    if (verdict === 'ok' || (profile && verdict === 'no-token' && db.recentlySpent(credentials.user, credentials.password, now))) return db.get(credentials.user)?.name ?? credentials.user;
    this.recordFailure(address, now);
    this.options.logger.info({ address, user: credentials.user.slice(0, 64), verdict }, 'enrollment: credentials refused');
    await this.delay();
    throw Object.assign(new Refusal(401, 'unauthorized', 'wrong user name or token, or the token has expired or was used (takd user add NAME makes a new one)'), { challenge: true });
  }

  private recordFailure(address: string, now: number): void {
    this.count('auth.failed');
    if (this.failures.size > 4096) for (const [a, w] of this.failures) if (now - w.start >= FAILURE_WINDOW_MS) this.failures.delete(a);
    const window = this.failures.get(address);
    if (window === undefined || now - window.start >= FAILURE_WINDOW_MS) this.failures.set(address, { start: now, count: 1 });
    else window.count++;
  }

  private async unauthorized(response: ServerResponse, address: string, why: string): Promise<void> {
    this.recordFailure(address, Date.now());
    this.options.logger.info({ address, why }, 'enrollment: credentials refused');
    await this.delay();
    this.failed(response, Object.assign(new Refusal(401, 'unauthorized', 'the token was used or has expired'), { challenge: true }));
  }

  private delay(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, this.options.settings.failureDelayMs));
  }

  private async readBody(request: IncomingMessage): Promise<Buffer> {
    const max = this.options.settings.maxCsrBytes;
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > max) throw new Refusal(413, 'too-large', `the CSR is over ${max} bytes`);
    const chunks: Buffer[] = [];
    let total = 0;
    const reader = request[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    for (;;) {
      const next = await reader.next();
      if (next.done === true) break;
      total += next.value.length;
      if (total > max) throw new Refusal(413, 'too-large', `the CSR is over ${max} bytes`);
      chunks.push(next.value);
    }
    return Buffer.concat(chunks);
  }

  private answer(response: ServerResponse, status: number, type: string, body: string | Buffer): void {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    response.writeHead(status, { 'content-type': type, 'content-length': bytes.length, 'cache-control': 'no-store' });
    response.end(bytes);
  }

  private failed(response: ServerResponse, error: unknown): void {
    let refusal: Refusal;
    if (error instanceof Refusal) refusal = error;
    else if (error instanceof CsrError) refusal = new Refusal(error.reason === 'too-large' ? 413 : 400, `csr-${error.reason}`, error.message);
    else {
      refusal = new Refusal(500, 'internal', 'internal error');
      this.options.logger.error({ error: error instanceof Error ? error.stack : String(error) }, 'enrollment request failed');
    }
    this.count(`refused.${refusal.reason}`);
    if (response.headersSent || response.destroyed) {
      response.destroy();
      return;
    }
    const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' };
    if ((refusal as Refusal & { challenge?: boolean }).challenge === true) headers['www-authenticate'] = 'Basic realm="takd enrollment"';
    if (refusal.status === 429) headers['retry-after'] = '600';
    // A body not read is not read at all: the connection closes after the answer.
    if (!response.req.complete) headers.connection = 'close';
    response.writeHead(refusal.status, headers);
    response.end(`${refusal.reason}: ${refusal.message}\n`);
  }
}
