/**
 * wss+listen://ADDR:PORT/PATH — websocket clients (browser-based TAK clients, TAK Server
 * style /takproto/1 clients) join the box: TAK protocol 1 frames, one per binary message.
 *
 * The same door and CA rule as tls+listen://: every TCP connection passes the listener
 * limits (listener-limits.ts) before its TLS handshake; a client certificate from
 * `client_ca` is required unless client_cert = optional; TLS refusals and closes are
 * counted by reason. The TLS/HTTP server never listens itself: the TCP server hands it what
 * it admitted. Clients are hub members like tcp/tls clients (when the listener both sends
 * and receives). A request for another path gets 404 and is closed.
 */
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import type { IncomingMessage, Server as HttpsServer } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { WebSocketServer } from 'ws';
import type { CotEvent } from '../../codec/event.js';
import { Backoff } from '../../../util/backoff.js';
import { OncePerInterval } from '../../../util/once-per-interval.js';
import { silentLogger, type Logger } from '../../../util/logger.js';
import { classifyError, TransportConfigError } from '../errors.js';
import type { HubMember } from '../listener-hub.js';
import { ListenerAdmission, resolveListenerLimits, tlsRefusalReason, type ClosedReason } from '../listener-limits.js';
import { DEFAULTS, type TransportOptions } from '../options.js';
import { listenerCertificateProblem, loadTlsServerOptions, optionalClientCertWarning } from '../tls-options.js';
import { newCounters, type Transport, type TransportState, type TransportStatus } from '../types.js';
import { formatAddress, type WssSpec } from '../url.js';
import { nodeHttps } from '../marti/http.js';
import { loadWs } from './load-ws.js';
import { WssSession } from './session.js';

const MAX_PAYLOAD_FACTOR = 16;

export class WssListener implements Transport {
  readonly name: string;
  readonly canSend: boolean;
  readonly canReceive: boolean;
  private readonly logger: Logger;
  private readonly counters = newCounters();
  private readonly sessions = new Set<WssSession>();
  private readonly backoff: Backoff;
  private readonly admission: ListenerAdmission;
  private readonly handshaking = new Map<string, string>();
  private readonly refusalLog = new OncePerInterval(60_000);
  private server: Server | undefined;
  private httpsServer: HttpsServer | undefined;
  private wss: WebSocketServer | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private state: TransportState = 'stopped';
  private message = 'not started';
  private closing = false;
  private dropped = 0;
  private sent = 0;
  private badUpgrades = 0;

  constructor(
    private readonly spec: WssSpec,
    private readonly options: TransportOptions = {},
  ) {
    this.name = options.name ?? `wss+listen://${formatAddress(spec.host, spec.port)}${spec.path}`;
    this.canSend = spec.direction !== 'receive';
    this.canReceive = spec.direction !== 'send';
    this.logger = options.logger ?? silentLogger;
    this.backoff = new Backoff(options.backoff);
    const limits = { ...options.limits };
    if (options.maxClients !== undefined) limits.maxClients = options.maxClients;
    if (options.idleTimeoutMs !== undefined) limits.idleTimeoutMs = options.idleTimeoutMs;
    this.admission = new ListenerAdmission(resolveListenerLimits(limits));
  }

  get port(): number | undefined {
    const address = this.server?.address();
    return typeof address === 'object' && address ? address.port : undefined;
  }

  get clientCount(): number {
    return this.sessions.size;
  }

  /** Throws TransportConfigError when TLS material cannot be loaded. */
  start(): void {
    if (this.server) return;
    this.closing = false;
    const hub = this.hubMembership();
    if (hub?.bindIdentity) throw new TransportConfigError('bind_identity', `${this.name}: bind_identity is only on tls+listen://`);
    const warning = optionalClientCertWarning(this.options.tls ?? {});
    if (warning !== undefined) this.logger.warn({ transport: this.name }, warning);
    const tlsOptions = { ...loadTlsServerOptions(this.options.tls ?? {}), handshakeTimeout: this.admission.limits.handshakeTimeoutMs };
    const WebSocketClass = loadWs();
    this.wss = new WebSocketClass.WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: (this.options.maxEventBytes ?? DEFAULTS.maxEventBytes) * MAX_PAYLOAD_FACTOR });
    const httpsServer = nodeHttps().createServer(tlsOptions, (_request, response) => {
      response.writeHead(426, { connection: 'close', upgrade: 'websocket' }).end();
    });
    httpsServer.on('secureConnection', (socket: TLSSocket) => this.onHandshakeDone(socket));
    httpsServer.on('tlsClientError', (error: Error, socket: TLSSocket) => this.onTlsClientError(error, socket));
    httpsServer.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => this.onUpgrade(request, socket, head));
    this.httpsServer = httpsServer;
    this.server = createNetServer((socket) => this.onConnection(socket));
    hub?.hub.addListener(this.name);
    this.server.on('error', (error) => this.onServerError(error));
    this.listen();
    const { firstEventTimeoutMs, idleTimeoutMs, stallTimeoutMs } = this.admission.limits;
    const deadlines = [firstEventTimeoutMs, idleTimeoutMs, stallTimeoutMs].filter((ms) => ms > 0);
    this.sweepTimer = setInterval(() => this.sweep(), Math.max(20, Math.min(1_000, ...deadlines.map((ms) => ms / 4))));
    this.sweepTimer.unref();
  }

  private listen(): void {
    this.retryTimer = undefined;
    this.state = 'starting';
    this.message = `binding ${formatAddress(this.spec.host, this.spec.port)}`;
    this.server?.listen(this.spec.port, this.spec.host, () => {
      this.state = 'connected';
      this.message = `listening on ${formatAddress(this.spec.host, this.port ?? this.spec.port)}${this.spec.path}`;
      this.backoff.reset();
      this.logger.info({ transport: this.name }, this.message);
    });
  }

  private onServerError(error: Error): void {
    const problem = classifyError(error);
    if (problem.kind === 'config') {
      this.state = 'failed';
      this.message = problem.cause;
      this.logger.error({ transport: this.name, cause: problem.cause }, 'cannot listen');
      return;
    }
    const delay = this.backoff.next();
    this.state = 'retrying';
    this.message = `retrying in ${Math.round(delay / 1000)} s: ${problem.cause}`;
    this.logger.warn({ transport: this.name, cause: problem.cause, retryInMs: delay }, 'cannot listen');
    this.retryTimer = setTimeout(() => this.listen(), delay);
  }

  private onConnection(socket: Socket): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    const address = socket.remoteAddress ?? '?';
    const refusal = this.admission.admit(address, true);
    if (refusal !== undefined) {
      const { maxClients, maxPerAddress } = this.admission.limits;
      const fields = { transport: this.name, peer: address, reason: refusal, maxClients, maxPerAddress, fromAddress: this.admission.connectionsFrom(address) };
      if (this.refusalLog.shouldLog(`refused ${refusal}`)) this.logger.warn(fields, 'connection refused: listener limit reached');
      socket.destroy();
      return;
    }
    const key = `${address}|${socket.remotePort ?? 0}`;
    socket.on('close', () => {
      this.admission.release(address);
      if (this.handshaking.delete(key)) this.admission.handshakeDone(address);
    });
    this.handshaking.set(key, address);
    this.httpsServer?.emit('connection', socket);
  }

  private onHandshakeDone(socket: TLSSocket): void {
    const address = socket.remoteAddress ?? '?';
    if (this.handshaking.delete(`${address}|${socket.remotePort ?? 0}`)) this.admission.handshakeDone(address);
    const problem = listenerCertificateProblem(this.options.tls ?? {}, socket);
    if (problem !== undefined) this.onTlsClientError(Object.assign(new Error(problem), { code: 'ERR_TLS_CERT_REFUSED' }), socket);
  }

  private onTlsClientError(error: Error, socket: TLSSocket): void {
    socket.destroy();
    const reason = tlsRefusalReason((error as { code?: string }).code, socket.authorizationError);
    this.admission.tlsRefused[reason] += 1;
    const cause = socket.authorizationError ? String(socket.authorizationError) : classifyError(error).cause;
    const fields = { transport: this.name, peer: formatAddress(socket.remoteAddress ?? '?', socket.remotePort ?? 0), reason, cause };
    if (this.refusalLog.shouldLog(`tls ${reason}`)) this.logger.warn(fields, 'TLS client refused');
    else this.logger.debug(fields, 'TLS client refused');
  }

  private onUpgrade(request: IncomingMessage, socket: Socket, head: Buffer): void {
    socket.on('error', () => undefined);
    const path = (request.url ?? '/').split('?')[0];
    if (this.closing || socket.destroyed || path !== this.spec.path || this.wss === undefined) {
      this.badUpgrades += 1;
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      if (this.closing) {
        ws.terminate();
        return;
      }
      this.counters.connects += 1;
      const session = new WssSession(ws, socket, this.name, this.options, this.counters, this.logger, this.canSend, this.canReceive, this.admission.limits, Date.now());
      this.sessions.add(session);
      this.logger.info({ transport: this.name, peer: session.peer }, 'websocket client connected');
      const member = this.joinHub(socket as TLSSocket, session);
      ws.on('close', () => {
        if (member !== undefined) this.hubMembership()?.hub.leave(member);
        this.counters.disconnects += 1;
        this.dropped += session.queue.counters.dropped;
        this.sent += session.queue.counters.written;
        this.sessions.delete(session);
        this.logger.info({ transport: this.name, peer: session.peer }, 'websocket client disconnected');
      });
    });
  }

  private hubMembership(): TransportOptions['hub'] {
    return this.canSend && this.canReceive ? this.options.hub : undefined;
  }

  private joinHub(socket: TLSSocket, session: WssSession): HubMember | undefined {
    const membership = this.hubMembership();
    if (membership === undefined) return undefined;
    const cn = socket.getPeerCertificate?.()?.subject?.CN;
    const member = membership.hub.join(
      {
        listener: this.name,
        peer: session.peer,
        address: socket.remoteAddress ?? '?',
        certCn: typeof cn === 'string' && cn !== '' ? cn : undefined,
        queue: session.queue,
        bytesIn: () => session.bytesIn,
        bytesOut: () => session.bytesOut,
        close: () => session.close(),
      },
      { bindIdentity: false, stallTimeoutMs: this.admission.limits.stallTimeoutMs },
    );
    session.onClientEvent = (event) => membership.hub.fromClient(member, event);
    return member;
  }

  private sweep(): void {
    const now = Date.now();
    for (const session of this.sessions) {
      const reason = session.expired(now, this.canReceive);
      if (reason === undefined) continue;
      this.admission.closed[reason] += 1;
      this.logger.info({ transport: this.name, peer: session.peer, reason }, CLOSED_BECAUSE[reason]);
      session.close();
    }
  }

  send(event: CotEvent): boolean {
    if (!this.canSend) return false;
    this.counters.eventsQueued += 1;
    const hub = this.hubMembership();
    if (hub !== undefined) hub.hub.fromRouter(this.name, event);
    else for (const session of this.sessions) session.queue.push(event);
    return true;
  }

  isUp(): boolean {
    return this.state === 'connected';
  }

  async flush(): Promise<void> {
    if (this.state === 'failed') throw new TransportConfigError('url', this.message);
    this.hubMembership()?.hub.handOnAll(this.name);
    await Promise.all([...this.sessions].map((session) => session.queue.whenIdle()));
  }

  async close(): Promise<void> {
    if (!this.closing && this.server !== undefined) this.hubMembership()?.hub.removeListener(this.name);
    this.closing = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    for (const session of this.sessions) session.close();
    this.wss?.close();
    const server = this.server;
    this.server = undefined;
    if (server?.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    this.state = 'stopped';
    this.message = 'closed';
  }

  status(): TransportStatus {
    let dropped = this.dropped;
    let sent = this.sent;
    for (const session of this.sessions) {
      dropped += session.queue.counters.dropped;
      sent += session.queue.counters.written;
    }
    return {
      name: this.name,
      state: this.state,
      message: `${this.message}; ${this.sessions.size} client(s)`,
      protocol: 1,
      counters: { ...this.counters, eventsSent: sent, eventsDropped: dropped, badUpgrades: this.badUpgrades, ...this.admission.counters() },
    };
  }
}

const CLOSED_BECAUSE: Record<ClosedReason, string> = {
  firstEventTimeout: 'client sent no complete event in time; closed',
  eventTimeout: 'client took too long to finish an event; closed',
  idle: 'client silent; closed',
  slowReader: 'client reads nothing of what is sent to it; closed',
};
