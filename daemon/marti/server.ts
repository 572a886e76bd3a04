/**
 * The Marti HTTP(S) server: the calls ATAK, WinTAK and iTAK make for data packages
 * (docs in README.md), over node:http / node:https. Loaded only when [marti] is configured.
 *
 * Every refusal is a 4xx/5xx with a one-line reason, counted as `refused.REASON`.
 */
import { createReadStream } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { pipeline } from 'node:stream/promises';
import type { TLSSocket, TlsOptions } from 'node:tls';
import { peerRevoked } from '../transports/revocation.js';
import type { Logger } from '../log.js';
import type { ClientDirectory } from './client-directory.js';
import { MultipartError, MultipartParser, multipartBoundary, type PartHeaders } from './multipart.js';
import { parseAdvertise, type MartiListen } from './settings.js';
import { HASH_PATTERN, newUid, StoreError, type PackageMeta, type PackageStore, type Tool, type Upload } from './store.js';
import { parseTarget, TargetError, type RequestTarget } from './target.js';
import { closeHttp, listenHttp } from '../../util/http-listen.js';

export interface MartiLimits {
  maxHeaderBytes: number;
  maxTargetLength: number;
  maxRequestsPerConnection: number;
  maxConnections: number;
  maxConnectionsPerAddress: number;
  /** Requests per address per minute. */
  maxRequestsPerMinute: number;
  headersTimeoutMs: number;
  /** No body bytes for this long: 408. */
  bodyIdleTimeoutMs: number;
  /** A whole upload must arrive within this. */
  uploadTimeoutMs: number;
  maxConcurrentUploads: number;
  /** Multipart framing allowed on top of max_file_size. */
  multipartSlack: number;
  keepAliveTimeoutMs: number;
  /** No bytes either way for this long: the connection is closed. */
  socketIdleTimeoutMs: number;
}

export const DEFAULT_LIMITS: MartiLimits = {
  maxHeaderBytes: 16 * 1024,
  maxTargetLength: 4096,
  maxRequestsPerConnection: 1000,
  maxConnections: 256,
  maxConnectionsPerAddress: 16,
  maxRequestsPerMinute: 1200,
  headersTimeoutMs: 15_000,
  bodyIdleTimeoutMs: 30_000,
  uploadTimeoutMs: 600_000,
  maxConcurrentUploads: 4,
  multipartSlack: 64 * 1024,
  keepAliveTimeoutMs: 10_000,
  socketIdleTimeoutMs: 120_000,
};

export interface MartiServerOptions {
  listen: MartiListen;
  /** Present for https: key material and the client-certificate rule already applied. */
  tls?: TlsOptions;
  advertise?: string;
  store: PackageStore;
  directory: ClientDirectory;
  version: string;
  nodeId: string;
  logger: Logger;
  limits?: Partial<MartiLimits>;
}

const PATH_VERSION = '/Marti/api/version';
const PATH_VERSION_CONFIG = '/Marti/api/version/config';
const PATH_CLIENTS = '/Marti/api/clientEndPoints';
const PATH_MISSION_UPLOAD = '/Marti/sync/missionupload';
const PATH_UPLOAD = '/Marti/sync/upload';
const PATH_MISSION_QUERY = '/Marti/sync/missionquery';
const PATH_CONTENT = '/Marti/sync/content';
const PATH_SEARCH = '/Marti/sync/search';
const METADATA_TOOL = /^\/Marti\/api\/sync\/metadata\/([0-9A-Fa-f]{64})\/tool$/;

const EXPECTS_CONTINUE = Symbol('expects-continue');

/** A request whose body has not been read to its end (a request without a body has none pending). */
function bodyPending(request: IncomingMessage): boolean {
  if (request.complete) return false;
  const length = request.headers['content-length'];
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
}

/** Sends `100 Continue` when the client waits for it before its body. */
function bodyWanted(request: IncomingMessage, response: ServerResponse): void {
  const flagged = request as IncomingMessage & { [EXPECTS_CONTINUE]?: boolean };
  if (flagged[EXPECTS_CONTINUE] === true) {
    flagged[EXPECTS_CONTINUE] = false;
    response.writeContinue();
  }
}

/** A refusal: status, counter reason, sentence. */
class Refusal extends Error {
  constructor(readonly status: number, readonly reason: string, message: string) {
    super(message);
  }
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 413: 'Payload Too Large', 414: 'URI Too Long', 431: 'Request Header Fields Too Large' };

export class MartiServer {
  readonly counters: Record<string, number> = { requests: 0, uploads: 0, duplicates: 0, uploadBytes: 0, downloads: 0, downloadBytes: 0 };
  private server: Server | undefined;
  private readonly limits: MartiLimits;
  private readonly advertised: { host: string; port?: number } | undefined;
  private readonly connectionsByAddress = new Map<string, number>();
  private readonly requestWindows = new Map<string, { start: number; count: number }>();
  private uploads = 0;
  private port = 0;

  constructor(private readonly options: MartiServerOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.advertised = options.advertise === undefined ? undefined : parseAdvertise(options.advertise);
  }

  get scheme(): 'http' | 'https' {
    return this.options.listen.scheme;
  }

  /** The bound port (the configured one, or the one the OS chose for port 0). */
  get boundPort(): number {
    return this.port;
  }

  async listen(): Promise<void> {
    const limits = this.limits;
    const common = {
      maxHeaderSize: limits.maxHeaderBytes,
      headersTimeout: limits.headersTimeoutMs,
      // Our own deadlines (body idle, upload) answer and count first; this is the backstop.
      requestTimeout: limits.uploadTimeoutMs + 30_000,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      requireHostHeader: false,
    };
    const handler = (request: IncomingMessage, response: ServerResponse): void => {
      this.handle(request, response).catch((error: unknown) => this.failed(request, response, error));
    };
    const server = this.options.tls !== undefined ? createHttpsServer({ ...this.options.tls, ...common }, handler) : createHttpServer(common, handler);
    server.maxRequestsPerSocket = limits.maxRequestsPerConnection;
    // `Expect: 100-continue` (curl, some phones): the body is invited only once the request
    // passed its checks (bodyWanted), so a refused upload is never sent at all.
    server.on('checkContinue', (request: IncomingMessage, response: ServerResponse) => {
      (request as IncomingMessage & { [EXPECTS_CONTINUE]?: boolean })[EXPECTS_CONTINUE] = true;
      handler(request, response);
    });
    server.on('connection', (socket: Socket) => this.onConnection(socket));
    // A revoked client certificate (takd user revoke) is refused here as on every TLS port.
    server.on('secureConnection', (socket: TLSSocket) => {
      if (!peerRevoked(socket)) return;
      this.count('refused.revoked');
      socket.destroy();
    });
    // A connection with no traffic either way (a download nobody reads, an idle socket).
    server.setTimeout(limits.socketIdleTimeoutMs, (socket: Socket) => {
      this.count('refused.idle');
      socket.destroy();
    });
    server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => this.onClientError(error, socket));
    server.on('tlsClientError', (error: NodeJS.ErrnoException, socket: Socket) => {
      this.count('refused.tls-handshake');
      this.options.logger.debug({ address: socket.remoteAddress, error: error.code ?? error.message }, 'TLS handshake refused');
      socket.destroy();
    });
    const { host, port } = this.options.listen;
    this.port = await listenHttp(server, host, port, this.options.logger, 'marti server');
    this.server = server;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    await closeHttp(server);
  }

  private count(name: string, by = 1): void {
    this.counters[name] = (this.counters[name] ?? 0) + by;
  }

  // ---- connections ----------------------------------------------------------------------

  private onConnection(socket: Socket): void {
    const address = socket.remoteAddress ?? '?';
    let total = 0;
    for (const n of this.connectionsByAddress.values()) total += n;
    const mine = this.connectionsByAddress.get(address) ?? 0;
    if (total >= this.limits.maxConnections || mine >= this.limits.maxConnectionsPerAddress) {
      this.count(total >= this.limits.maxConnections ? 'refused.too-many-connections' : 'refused.too-many-connections-per-address');
      socket.destroy();
      return;
    }
    this.connectionsByAddress.set(address, mine + 1);
    socket.once('close', () => {
      const left = (this.connectionsByAddress.get(address) ?? 1) - 1;
      if (left <= 0) this.connectionsByAddress.delete(address);
      else this.connectionsByAddress.set(address, left);
    });
  }

  private onClientError(error: NodeJS.ErrnoException, socket: Socket): void {
    const code = error.code ?? '';
    let status = 400;
    let reason = 'bad-request';
    if (code === 'HPE_HEADER_OVERFLOW') [status, reason] = [431, 'header-too-large'];
    else if (code === 'ERR_HTTP_REQUEST_TIMEOUT' || code === 'ERR_HTTP_HEADERS_TIMEOUT') [status, reason] = [408, 'slow-request'];
    else if (code === 'ECONNRESET' || code === 'EPIPE') {
      socket.destroy();
      return;
    }
    this.count(`refused.${reason}`);
    if (socket.writable && !(socket as Socket & { _httpMessage?: unknown })._httpMessage) {
      const body = `${reason}: ${error.message}\n`;
      socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    } else {
      socket.destroy();
    }
  }

  /** A fixed one-minute window per address. */
  private rateLimited(address: string): boolean {
    const now = Date.now();
    if (this.requestWindows.size > 4096) for (const [a, w] of this.requestWindows) if (now - w.start >= 60_000) this.requestWindows.delete(a);
    let window = this.requestWindows.get(address);
    if (window === undefined || now - window.start >= 60_000) {
      window = { start: now, count: 0 };
      this.requestWindows.set(address, window);
    }
    window.count++;
    return window.count > this.limits.maxRequestsPerMinute;
  }

  // ---- requests -------------------------------------------------------------------------

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.count('requests');
    if (this.rateLimited(request.socket.remoteAddress ?? '?')) throw new Refusal(429, 'rate-limited', 'too many requests from this address; try again in a minute');
    let target: RequestTarget;
    try {
      target = parseTarget(request.url, this.limits.maxTargetLength);
    } catch (error) {
      if (error instanceof TargetError) throw new Refusal(error.reason === 'target-too-long' ? 414 : 400, error.reason, error.message);
      throw error;
    }
    const method = request.method ?? '';
    const { path, query } = target;
    const only = (...methods: string[]): void => {
      if (!methods.includes(method)) {
        response.setHeader('allow', methods.join(', '));
        throw new Refusal(405, 'method-not-allowed', `${method} is not allowed here (allowed: ${methods.join(', ')})`);
      }
    };
    switch (path) {
      case PATH_VERSION:
        only('GET', 'HEAD');
        return this.text(request, response, 200, `takd ${this.options.version}`);
      case PATH_VERSION_CONFIG:
        only('GET', 'HEAD');
        return this.json(request, response, { version: '3', type: 'ServerConfig', data: { version: this.options.version, api: '3', hostname: this.urlHost(request).host }, nodeId: this.options.nodeId });
      case PATH_CLIENTS:
        only('GET', 'HEAD');
        return this.clientEndPoints(request, response, query);
      case PATH_MISSION_UPLOAD:
        only('POST');
        return this.upload(request, response, query, 'multipart');
      case PATH_UPLOAD:
        only('POST', 'PUT');
        return this.upload(request, response, query, 'raw');
      case PATH_MISSION_QUERY: {
        only('GET', 'HEAD');
        const meta = this.options.store.get(requiredHash(query));
        if (meta === undefined) throw new Refusal(404, 'not-found', 'no package with that hash');
        return this.text(request, response, 200, this.downloadUrl(request, meta.hash));
      }
      case PATH_CONTENT:
        only('GET', 'HEAD');
        return this.content(request, response, query);
      case PATH_SEARCH:
        only('GET', 'HEAD');
        return this.search(request, response, query);
    }
    const tool = METADATA_TOOL.exec(path);
    if (tool !== null) {
      only('PUT', 'POST');
      return this.setTool(request, response, tool[1].toLowerCase());
    }
    throw new Refusal(404, 'not-found', `no such call: ${path.slice(0, 200)}`);
  }

  private failed(request: IncomingMessage, response: ServerResponse, error: unknown): void {
    let refusal: Refusal;
    if (error instanceof Refusal) refusal = error;
    else if (error instanceof StoreError) refusal = new Refusal(error.status, error.reason, error.message);
    else if (error instanceof MultipartError) refusal = new Refusal(400, 'bad-multipart', `multipart body: ${error.reason}`);
    else {
      refusal = new Refusal(500, 'internal', 'internal error');
      this.options.logger.error({ error: error instanceof Error ? error.stack : String(error) }, 'marti request failed');
    }
    this.refuse(request, response, refusal);
  }

  private refuse(request: IncomingMessage, response: ServerResponse, refusal: Refusal): void {
    this.count(`refused.${refusal.reason}`);
    if (response.headersSent || response.writableEnded || response.destroyed) {
      request.socket.destroy();
      return;
    }
    // A body not read to its end is not read at all: the connection closes after the answer.
    const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
    if (bodyPending(request)) headers.connection = 'close';
    if (refusal.status === 429 || refusal.status === 503) headers['retry-after'] = '60';
    response.writeHead(refusal.status, headers);
    response.end(`${refusal.reason}: ${refusal.message}\n`);
  }

  private text(request: IncomingMessage, response: ServerResponse, status: number, body: string): void {
    this.answer(request, response, status, 'text/plain; charset=utf-8', Buffer.from(body, 'utf8'));
  }

  private json(request: IncomingMessage, response: ServerResponse, value: unknown): void {
    this.answer(request, response, 200, 'application/json', Buffer.from(JSON.stringify(value), 'utf8'));
  }

  private answer(request: IncomingMessage, response: ServerResponse, status: number, type: string, bytes: Buffer): void {
    const headers: Record<string, string | number> = { 'content-type': type, 'content-length': bytes.length };
    // An answer before the body was read (a duplicate upload): the rest is not read, the connection closes.
    if (bodyPending(request)) headers.connection = 'close';
    response.writeHead(status, headers);
    response.end(request.method === 'HEAD' ? undefined : bytes);
  }

  // ---- URLs -----------------------------------------------------------------------------

  /** The host phones reach us at: advertise, else the address this phone connected to, else Host. */
  private urlHost(request: IncomingMessage): { host: string; port: number } {
    const socket = request.socket;
    const port = this.advertised?.port ?? socket.localPort ?? this.port;
    if (this.advertised !== undefined) return { host: this.advertised.host, port };
    const local = (socket.localAddress ?? '').replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
    if (local !== '' && local !== '0.0.0.0' && local !== '::') return { host: local, port };
    const header = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+))(?::\d{1,5})?$/.exec(request.headers.host ?? '');
    const named = header?.[1] ?? header?.[2];
    if (named !== undefined && named !== '0.0.0.0' && !/^::?0*$/.test(named)) return { host: named, port };
    return { host: '127.0.0.1', port };
  }

  private downloadUrl(request: IncomingMessage, hash: string): string {
    const { host, port } = this.urlHost(request);
    return `${this.scheme}://${host.includes(':') ? `[${host}]` : host}:${port}${PATH_CONTENT}?hash=${hash}`;
  }

  // ---- calls ----------------------------------------------------------------------------

  private clientEndPoints(request: IncomingMessage, response: ServerResponse, query: Map<string, string>): void {
    const secAgo = query.get('secAgo');
    let since = 0;
    if (secAgo !== undefined && secAgo !== '') {
      if (!/^\d{1,10}$/.test(secAgo)) throw new Refusal(400, 'bad-parameter', 'secAgo is not a number of seconds');
      if (Number(secAgo) > 0) since = Date.now() - Number(secAgo) * 1000;
    }
    const data = this.options.directory
      .clients()
      .filter((c) => c.lastEventTime >= since)
      .map((c) => ({
        callsign: c.callsign,
        uid: c.uid,
        username: c.username ?? '',
        lastEventTime: new Date(c.lastEventTime).toISOString(),
        lastStatus: c.connected === false ? 'Disconnected' : 'Connected',
      }));
    this.json(request, response, { version: '3', type: 'com.bbn.marti.remote.ClientEndpoint', data, nodeId: this.options.nodeId });
  }

  private async upload(request: IncomingMessage, response: ServerResponse, query: Map<string, string>, kind: 'multipart' | 'raw'): Promise<void> {
    const store = this.options.store;
    const limits = this.limits;
    const expected = optionalHash(query);
    const boundary = kind === 'multipart' ? multipartBoundary(request.headers['content-type']) : undefined;
    if (kind === 'multipart' && boundary === undefined) throw new Refusal(400, 'bad-multipart', 'Content-Type is not multipart/form-data with a boundary');
    const slack = kind === 'multipart' ? limits.multipartSlack : 0;
    const declared = request.headers['content-length'] === undefined ? undefined : Number(request.headers['content-length']);
    if (declared !== undefined && declared > store.limits.maxFileSize + slack) throw new Refusal(413, 'too-large', `Content-Length ${declared} is over max_file_size (${store.limits.maxFileSize} bytes)`);
    if (declared !== undefined && !store.fits(Math.max(0, declared - slack))) throw new Refusal(507, 'quota', `the package store is full (quota ${store.limits.quota} bytes)`);
    const known = expected === undefined ? undefined : store.get(expected);
    if (known !== undefined) {
      // Already here: answer at once without reading the body (the bytes would only be discarded).
      this.count('duplicates');
      if (kind === 'multipart') return this.text(request, response, 200, this.downloadUrl(request, known.hash));
      return this.json(request, response, submission(known));
    }
    if (this.uploads >= limits.maxConcurrentUploads) throw new Refusal(503, 'busy', `${limits.maxConcurrentUploads} uploads are in progress; try again shortly`);
    this.uploads++;
    let upload: Upload | undefined;
    let committed = false;
    let timedOut: Refusal | undefined;
    const timers: NodeJS.Timeout[] = [];
    const timeout = (refusal: Refusal): void => {
      if (timedOut !== undefined || request.complete) return;
      timedOut = refusal;
      this.refuse(request, response, refusal);
      // The answer is queued; the connection closes after it, which ends the body loop below.
      response.once('finish', () => request.destroy());
      setTimeout(() => request.destroy(), 1000).unref();
    };
    let idle: NodeJS.Timeout | undefined;
    const touch = (): void => {
      if (idle !== undefined) idle.refresh();
      else idle = setTimeout(() => timeout(new Refusal(408, 'slow-body', `no body bytes for ${limits.bodyIdleTimeoutMs / 1000} s`)), limits.bodyIdleTimeoutMs);
    };
    timers.push(setTimeout(() => timeout(new Refusal(408, 'slow-body', `the upload did not finish within ${limits.uploadTimeoutMs / 1000} s`)), limits.uploadTimeoutMs));
    touch();
    try {
      upload = await store.begin();
      const current = upload;
      let filePart: PartHeaders | undefined;
      let fileDone = false;
      const queued: Buffer[] = [];
      let target: 'file' | 'skip' = 'skip';
      const parser =
        boundary === undefined
          ? undefined
          : new MultipartParser(boundary, {
              partStart: (headers) => {
                target = filePart === undefined && (headers.name === 'assetfile' || headers.name === 'resource') ? 'file' : 'skip';
                if (target === 'file') filePart = headers;
              },
              partData: (chunk) => {
                if (target === 'file') queued.push(chunk);
              },
              partEnd: () => {
                if (target === 'file') fileDone = true;
                target = 'skip';
              },
            });
      let bodyBytes = 0;
      bodyWanted(request, response);
      // Read by hand, not with for-await: leaving that loop early would destroy the socket
      // before the refusal is written. Unread bytes stay unread; the answer closes the connection.
      const chunks = request[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
      for (;;) {
        const next = await chunks.next();
        if (next.done === true) break;
        const chunk = next.value;
        if (timedOut !== undefined) break;
        touch();
        bodyBytes += chunk.length;
        if (bodyBytes > store.limits.maxFileSize + slack) throw new Refusal(413, 'too-large', `body larger than max_file_size (${store.limits.maxFileSize} bytes)`);
        if (parser === undefined) {
          await current.write(chunk);
        } else {
          parser.write(chunk);
          while (queued.length > 0) await current.write(queued.shift() as Buffer);
        }
      }
      if (timedOut !== undefined) return;
      if (!request.complete) throw new Refusal(400, 'aborted', 'the client closed the connection before the body ended');
      if (parser !== undefined) {
        parser.end();
        if (filePart === undefined || !fileDone) throw new Refusal(400, 'no-file', "no part named 'assetfile' (or 'resource') in the multipart body");
      }
      const now = new Date().toISOString();
      const creatorUid = cleanText(query.get('creatorUid') ?? query.get('CreatorUid') ?? '', 128);
      const name = cleanName(kind === 'multipart' ? (query.get('filename') ?? filePart?.filename ?? '') : (query.get('name') ?? query.get('filename') ?? ''));
      const keywordText = query.get('keywords') ?? query.get('keyword') ?? '';
      const keywords = keywordText.split(',').map((k) => cleanText(k, 64)).filter((k) => k !== '').slice(0, 16);
      const mimeType = cleanMime(query.get('mimetype') ?? filePart?.contentType ?? (kind === 'raw' ? request.headers['content-type'] : undefined));
      const toolText = (query.get('tool') ?? 'public').toLowerCase();
      const tool: Tool = toolText === 'private' ? 'private' : 'public';
      const { meta, duplicate } = await current.commit(expected, {
        uid: cleanUid(query.get('uid')) ?? newUid(),
        name: name === '' ? 'package.zip' : name,
        mimeType,
        keywords: keywords.length > 0 ? keywords : ['missionpackage'],
        creatorUid,
        submissionUser: cleanText(query.get('submissionUser') ?? (creatorUid || 'anonymous'), 128),
        submissionTime: now,
        tool,
      });
      committed = true;
      this.count(duplicate ? 'duplicates' : 'uploads');
      if (!duplicate) this.count('uploadBytes', meta.size);
      this.options.logger.info({ hash: meta.hash, size: meta.size, name: meta.name, creatorUid: meta.creatorUid, duplicate }, 'data package stored');
      if (kind === 'multipart') return this.text(request, response, 200, this.downloadUrl(request, meta.hash));
      return this.json(request, response, submission(meta));
    } catch (error) {
      if (timedOut !== undefined) return;
      if (!request.complete && !(error instanceof Refusal) && !(error instanceof StoreError) && !(error instanceof MultipartError)) {
        // The client went away mid-body (reset or closed): nobody to answer.
        this.count('refused.aborted');
        request.socket.destroy();
        return;
      }
      throw error;
    } finally {
      this.uploads--;
      for (const timer of timers) clearTimeout(timer);
      if (idle !== undefined) clearTimeout(idle);
      if (!committed) await upload?.abort();
    }
  }

  private content(request: IncomingMessage, response: ServerResponse, query: Map<string, string>): void {
    const store = this.options.store;
    const hash = query.get('hash');
    const uid = query.get('uid');
    let meta: PackageMeta | undefined;
    if (hash !== undefined && hash !== '') meta = store.get(validHash(hash));
    else if (uid !== undefined && uid !== '') meta = store.byUid(uid);
    else throw new Refusal(400, 'bad-parameter', 'give hash or uid');
    if (meta === undefined) throw new Refusal(404, 'not-found', 'no such package');
    const size = meta.size;
    let range: { start: number; end: number } | undefined;
    const offset = query.get('offset');
    const length = query.get('length');
    if (offset !== undefined || length !== undefined) {
      const start = offset === undefined ? 0 : parseCount(offset, 'offset');
      const count = length === undefined ? size - start : parseCount(length, 'length');
      range = { start, end: Math.min(size, start + count) - 1 };
      if (start >= size && size > 0) range = undefined;
    } else if (typeof request.headers.range === 'string') {
      const parsed = parseRange(request.headers.range, size);
      if (parsed === null) {
        this.count('refused.range-not-satisfiable');
        response.writeHead(416, { 'content-range': `bytes */${size}`, 'content-type': 'text/plain' }).end('range-not-satisfiable: the range is outside the file\n');
        return;
      }
      range = parsed;
    }
    const headers: Record<string, string | number> = {
      'content-type': meta.mimeType,
      'accept-ranges': 'bytes',
      'content-disposition': contentDisposition(meta.name),
      etag: `"${meta.hash}"`,
      'last-modified': new Date(meta.submissionTime).toUTCString(),
    };
    let status = 200;
    let start = 0;
    let end = size - 1;
    if (range !== undefined) {
      status = 206;
      ({ start, end } = range);
      headers['content-range'] = `bytes ${start}-${end}/${size}`;
    }
    headers['content-length'] = Math.max(0, end - start + 1);
    response.writeHead(status, headers);
    if (request.method === 'HEAD' || end < start) {
      response.end();
      return;
    }
    this.count('downloads');
    const stream = createReadStream(store.path(meta), { start, end });
    stream.on('data', (chunk: Buffer | string) => this.count('downloadBytes', chunk.length));
    pipeline(stream, response).catch(() => {
      // The phone went away mid-download; nothing to answer.
      this.count('downloadsAborted');
    });
  }

  private search(request: IncomingMessage, response: ServerResponse, query: Map<string, string>): void {
    const wanted = (query.get('keywords') ?? query.get('keyword') ?? '')
      .split(',')
      .map((k) => k.trim().toLowerCase())
      .filter((k) => k !== '');
    const tool = query.get('tool')?.toLowerCase();
    const results = this.options.store
      .all()
      .filter((m) => tool === undefined || tool === '' || m.tool === tool)
      // Every stored file is a data package: `missionpackage` matches them all.
      .filter((m) => wanted.every((k) => k === 'missionpackage' || m.keywords.some((mk) => mk.toLowerCase() === k)))
      .sort((a, b) => (a.submissionTime < b.submissionTime ? -1 : a.submissionTime > b.submissionTime ? 1 : 0))
      .map((m) => ({
        UID: m.uid,
        Name: m.name,
        Hash: m.hash,
        PrimaryKey: m.uid,
        SubmissionDateTime: m.submissionTime,
        SubmissionUser: m.submissionUser,
        CreatorUid: m.creatorUid,
        Keywords: m.keywords,
        MIMEType: m.mimeType,
        Size: m.size,
        Tool: m.tool,
        EXPIRATION: -1,
      }));
    this.json(request, response, { resultCount: results.length, results });
  }

  private async setTool(request: IncomingMessage, response: ServerResponse, hash: string): Promise<void> {
    const body = (await readSmallBody(request, response, 64)).trim().toLowerCase();
    if (body !== 'public' && body !== 'private') throw new Refusal(400, 'bad-parameter', "the body must be 'public' or 'private'");
    const meta = await this.options.store.setTool(hash, body);
    if (meta === undefined) throw new Refusal(404, 'not-found', 'no package with that hash');
    this.text(request, response, 200, this.downloadUrl(request, hash));
  }
}

// ---- helpers ------------------------------------------------------------------------------

function validHash(text: string): string {
  const hash = text.trim().toLowerCase();
  if (!HASH_PATTERN.test(hash)) throw new Refusal(400, 'bad-hash', 'hash is not a sha256 in hex (64 characters)');
  return hash;
}

function requiredHash(query: Map<string, string>): string {
  const hash = query.get('hash');
  if (hash === undefined || hash === '') throw new Refusal(400, 'bad-parameter', 'hash is missing');
  return validHash(hash);
}

function optionalHash(query: Map<string, string>): string | undefined {
  const hash = query.get('hash');
  return hash === undefined || hash === '' ? undefined : validHash(hash);
}

function parseCount(text: string, name: string): number {
  if (!/^\d{1,15}$/.test(text)) throw new Refusal(400, 'bad-parameter', `${name} is not a number`);
  return Number(text);
}

/** One `bytes=` range; undefined: serve it all (no or unsupported range); null: unsatisfiable. */
export function parseRange(header: string, size: number): { start: number; end: number } | undefined | null {
  const match = /^bytes=(\d{0,15})-(\d{0,15})$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined; // multiple or malformed ranges: ignored (RFC 9110)
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return null;
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) return null;
  return { start, end };
}

function cleanText(text: string, max: number): string {
  return text.replace(/[\x00-\x1f\x7f]/g, '').trim().slice(0, max);
}

/** A file name for display and Content-Disposition: the last path component, no control characters. */
export function cleanName(text: string): string {
  const last = text.split(/[/\\]/).pop() ?? '';
  const name = cleanText(last, 255);
  return name === '.' || name === '..' ? '' : name;
}

function cleanUid(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  return /^[\x21-\x7e]{1,128}$/.test(text) ? text : undefined;
}

function cleanMime(text: string | undefined): string {
  const value = (text ?? '').trim();
  return /^[A-Za-z0-9!#$&^_.+-]{1,64}\/[A-Za-z0-9!#$&^_.+-]{1,64}$/.test(value) ? value : 'application/octet-stream';
}

function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

function submission(meta: PackageMeta): Record<string, unknown> {
  return {
    UID: meta.uid,
    SubmissionDateTime: meta.submissionTime,
    MIMEType: meta.mimeType,
    SubmissionUser: meta.submissionUser,
    PrimaryKey: meta.uid,
    Hash: meta.hash,
    CreatorUid: meta.creatorUid,
    Name: meta.name,
    Keywords: meta.keywords,
    Size: meta.size,
    Tool: meta.tool,
  };
}

async function readSmallBody(request: IncomingMessage, response: ServerResponse, max: number): Promise<string> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > max) throw new Refusal(413, 'too-large', `body over ${max} bytes`);
  bodyWanted(request, response);
  const chunks: Buffer[] = [];
  let total = 0;
  const reader = request[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  for (;;) {
    const next = await reader.next();
    if (next.done === true) break;
    const chunk = next.value;
    total += chunk.length;
    if (total > max) throw new Refusal(413, 'too-large', `body over ${max} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
