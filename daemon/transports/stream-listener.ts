/**
 * tcp+listen:// and tls+listen://: end-user devices (ATAK, WinTAK, iTAK) connect to takd.
 * Events from every client are delivered like any other input; events sent to the
 * listener go to every connected client (each with its own bounded queue).
 * TLS: server certificate required; with a client CA, clients must present a certificate
 * that chains to it.
 *
 * Every connection passes the door (listener-limits.ts) before anything else, TLS
 * handshake included: the TCP server admits it, then hands it to a TLS server that never
 * listens itself. A sweep once a second closes clients that missed a deadline.
 */
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import type { Server as TlsServer, TLSSocket } from 'node:tls';
import type { CotEvent } from '../codec/event.js';
import { Backoff } from '../../util/backoff.js';
import { classifyError, TransportConfigError } from './errors.js';
import { ListenerAdmission, resolveListenerLimits, tlsRefusalReason, type ClosedReason } from './listener-limits.js';
import { ListenerSession } from './listener-session.js';
import type { TransportOptions } from './options.js';
import { OncePerInterval } from '../../util/once-per-interval.js';
import type { HubMember } from './listener-hub.js';
import { listenerCertificateProblem, loadTlsServerOptions, nodeTls, optionalClientCertWarning } from './tls-options.js';
import { silentLogger, type Logger } from '../../util/logger.js';
import { newCounters, type Transport, type TransportState, type TransportStatus } from './types.js';
import { formatAddress, type ListenSpec } from './url.js';

export class StreamListener implements Transport {
  readonly name: string;
  readonly canSend: boolean;
  readonly canReceive: boolean;
  private readonly logger: Logger;
  private readonly counters = newCounters();
  private readonly sessions = new Set<ListenerSession>();
  private readonly backoff: Backoff;
  private readonly admission: ListenerAdmission;
  /** Admitted TLS connections whose handshake is still running, by `address|port`. */
  private readonly handshaking = new Map<string, string>();
  private server: Server | undefined;
  private tlsServer: TlsServer | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private state: TransportState = 'stopped';
  private message = 'not started';
  private closing = false;
  private dropped = 0;
  private readonly refusalLog = new OncePerInterval(60_000);
  private listenWaiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  private sent = 0;

  constructor(
    private readonly spec: ListenSpec,
    private readonly options: TransportOptions = {},
  ) {
    this.name = options.name ?? `${spec.kind === 'tls-listen' ? 'tls' : 'tcp'}+listen://${formatAddress(spec.host, spec.port)}`;
    this.canSend = spec.direction !== 'receive';
    this.canReceive = spec.direction !== 'send';
    this.logger = options.logger ?? silentLogger;
    this.backoff = new Backoff(options.backoff);
    const limits = { ...options.limits };
    if (options.maxClients !== undefined) limits.maxClients = options.maxClients;
    if (options.idleTimeoutMs !== undefined) limits.idleTimeoutMs = options.idleTimeoutMs;
    this.admission = new ListenerAdmission(resolveListenerLimits(limits));
  }

  /** The bound port (useful with port 0 in tests). */
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
    if (hub?.bindIdentity && this.spec.kind !== 'tls-listen') throw new TransportConfigError('bind_identity', `${this.name}: bind_identity needs client certificates: only on tls+listen://`);
    if (this.spec.kind === 'tls-listen') {
      const warning = optionalClientCertWarning(this.options.tls ?? {});
      if (warning !== undefined) this.logger.warn({ transport: this.name }, warning);
      const tlsOptions = { ...loadTlsServerOptions(this.options.tls ?? {}), handshakeTimeout: this.admission.limits.handshakeTimeoutMs };
      const tlsServer = nodeTls().createServer(tlsOptions, (socket) => this.onHandshakeDone(socket));
      tlsServer.on('tlsClientError', (error, socket: TLSSocket) => this.onTlsClientError(error, socket));
      this.tlsServer = tlsServer;
    }
    this.server = createNetServer((socket) => this.onConnection(socket));
    hub?.hub.addListener(this.name);
    this.server.on('error', (error) => this.onServerError(error));
    this.listen();
    this.sweepTimer = setInterval(() => this.sweep(), this.sweepPeriodMs());
    this.sweepTimer.unref();
  }

  /** A quarter of the shortest deadline, between 20 ms and 1 s. */
  private sweepPeriodMs(): number {
    const { firstEventTimeoutMs, eventTimeoutMs, idleTimeoutMs, stallTimeoutMs } = this.admission.limits;
    const deadlines = [firstEventTimeoutMs, eventTimeoutMs, idleTimeoutMs, stallTimeoutMs].filter((ms) => ms > 0);
    return Math.max(20, Math.min(1_000, ...deadlines.map((ms) => ms / 4)));
  }

  /** Resolves once listening; rejects if the listener fails for good (configuration error). */
  listening(): Promise<void> {
    if (this.server?.listening) return Promise.resolve();
    if (this.state === 'failed' || this.state === 'stopped') return Promise.reject(new Error(`${this.name}: ${this.message}`));
    return new Promise((resolve, reject) => this.listenWaiters.push({ resolve, reject }));
  }

  private settleListenWaiters(error?: Error): void {
    const waiters = this.listenWaiters;
    this.listenWaiters = [];
    for (const waiter of waiters) {
      if (error) waiter.reject(error);
      else waiter.resolve();
    }
  }

  private listen(): void {
    this.retryTimer = undefined;
    this.state = 'starting';
    this.message = `binding ${formatAddress(this.spec.host, this.spec.port)}`;
    this.server?.listen(this.spec.port, this.spec.host, () => {
      this.state = 'connected';
      this.message = `listening on ${formatAddress(this.spec.host, this.port ?? this.spec.port)}`;
      this.backoff.reset();
      this.logger.info({ transport: this.name }, this.message);
      this.settleListenWaiters();
    });
  }

  private onServerError(error: Error): void {
    const problem = classifyError(error);
    if (problem.kind === 'config') {
      this.state = 'failed';
      this.message = problem.cause;
      this.logger.error({ transport: this.name, cause: problem.cause }, 'cannot listen');
      this.settleListenWaiters(new TransportConfigError('url', `${this.name}: ${problem.cause}`));
      return;
    }
    // EADDRINUSE and the like: another process may let go of the port.
    const delay = this.backoff.next();
    this.state = 'retrying';
    this.message = `retrying in ${Math.round(delay / 1000)} s: ${problem.cause}`;
    this.logger.warn({ transport: this.name, cause: problem.cause, retryInMs: delay }, 'cannot listen');
    this.retryTimer = setTimeout(() => this.listen(), delay);
  }

  /** Every new TCP connection, TLS or not: admitted, or closed at once and counted. */
  private onConnection(socket: Socket): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    const address = socket.remoteAddress ?? '?';
    const tls = this.tlsServer !== undefined;
    const refusal = this.admission.admit(address, tls);
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
    if (this.tlsServer === undefined) {
      this.accept(socket);
      return;
    }
    this.handshaking.set(key, address);
    this.tlsServer.emit('connection', socket);
  }

  private onHandshakeDone(socket: TLSSocket): void {
    const address = socket.remoteAddress ?? '?';
    if (this.handshaking.delete(`${address}|${socket.remotePort ?? 0}`)) this.admission.handshakeDone(address);
    // client_cert = optional: no certificate is fine, one from another CA is not.
    const problem = listenerCertificateProblem(this.options.tls ?? {}, socket);
    if (problem !== undefined) {
      this.onTlsClientError(Object.assign(new Error(problem), { code: 'ERR_TLS_CERT_REFUSED' }), socket);
      return;
    }
    this.accept(socket);
  }

  private onTlsClientError(error: Error, socket: TLSSocket): void {
    // Node reports a handshake timeout without closing the connection.
    socket.destroy();
    const reason = tlsRefusalReason((error as { code?: string }).code, socket.authorizationError);
    this.admission.tlsRefused[reason] += 1;
    const cause = socket.authorizationError ? `${String(socket.authorizationError)}` : classifyError(error).cause;
    const fields = { transport: this.name, peer: formatAddress(socket.remoteAddress ?? '?', socket.remotePort ?? 0), reason, cause };
    // A device retrying with a bad certificate must not flood the log: one line per reason per minute.
    if (this.refusalLog.shouldLog(`tls ${reason}`)) this.logger.warn(fields, 'TLS client refused');
    else this.logger.debug(fields, 'TLS client refused');
  }

  private accept(socket: Socket): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    this.counters.connects += 1;
    const session = new ListenerSession(socket, this.name, this.options, this.counters, this.logger, this.canSend, this.canReceive, this.admission.limits, Date.now());
    this.sessions.add(session);
    this.logger.info({ transport: this.name, peer: session.peer }, 'client connected');
    const member = this.joinHub(socket, session);
    socket.on('close', () => {
      if (member !== undefined) this.hubMembership()?.hub.leave(member);
      this.counters.disconnects += 1;
      this.dropped += session.queue.counters.dropped;
      this.sent += session.queue.counters.written;
      this.sessions.delete(session);
      this.logger.info({ transport: this.name, peer: session.peer }, 'client disconnected');
    });
  }

  /** Hub members are listeners that both send and receive; +ro and +wo listeners keep to themselves. */
  private hubMembership(): TransportOptions['hub'] {
    return this.canSend && this.canReceive ? this.options.hub : undefined;
  }

  private joinHub(socket: Socket, session: ListenerSession): HubMember | undefined {
    const membership = this.hubMembership();
    if (membership === undefined) return undefined;
    const peerCertificate = 'getPeerCertificate' in socket ? (socket as TLSSocket).getPeerCertificate() : undefined;
    const cn = peerCertificate?.subject?.CN;
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
      { bindIdentity: membership.bindIdentity, stallTimeoutMs: this.admission.limits.stallTimeoutMs },
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

  /** Up while listening. No backlog(): each client has its own drop-oldest queue, and one slow phone must not hold the others back. */
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
    this.settleListenWaiters(new Error(`${this.name}: closed`));
    for (const session of this.sessions) session.close();
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
      protocol: this.options.proto ?? 0,
      counters: { ...this.counters, eventsSent: sent, eventsDropped: dropped, ...this.limitCounters() },
    };
  }

  /** Refusals and closes by reason; the TLS reasons only where there is TLS. */
  private limitCounters(): Record<string, number> {
    const all = this.admission.counters();
    if (this.tlsServer !== undefined) return all;
    return Object.fromEntries(Object.entries(all).filter(([name]) => !name.startsWith('tlsRefused.')));
  }
}

const CLOSED_BECAUSE: Record<ClosedReason, string> = {
  firstEventTimeout: 'client sent no complete event in time; closed',
  eventTimeout: 'client took too long to finish an event; closed',
  idle: 'client silent; closed',
  slowReader: 'client reads nothing of what is sent to it; closed',
};
