/**
 * What tcp+listen://, tls+listen:// (stream-listener.ts) and wss+listen:// (wss/listener.ts)
 * share: the door (listener-limits.ts) every TCP connection passes before anything else,
 * TLS handshakes handed to a TLS or HTTPS server that never listens itself, TLS refusals
 * counted by reason, the sweep that closes clients past a deadline, hub membership, and
 * one drop-oldest queue per client. A subclass says how a client is served (its session).
 */
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { CotEvent } from '../codec/event.js';
import { Backoff } from '../../util/backoff.js';
import { OncePerInterval } from '../../util/once-per-interval.js';
import { silentLogger, type Logger } from '../../util/logger.js';
import { classifyError, TransportConfigError } from './errors.js';
import type { HubMember } from './listener-hub.js';
import { ListenerAdmission, resolveListenerLimits, REVOKED_CODE, tlsRefusalReason, type ClosedReason } from './listener-limits.js';
import type { TransportOptions } from './options.js';
import { listenerCertificateProblem } from './tls-options.js';
import { newCounters, type TransportState, type TransportStatus } from './types.js';
import { formatAddress } from './url.js';
import type { WriteQueue } from './write-queue.js';
import type { SessionContext } from './client-session.js';

/** One connected client, as the listener core sees it. */
export interface ListenerClient {
  readonly peer: string;
  readonly queue: WriteQueue;
  readonly bytesIn: number;
  readonly bytesOut: number;
  /** The hub sees each data event first; false: refused, not delivered. */
  onClientEvent: ((event: CotEvent) => boolean) | undefined;
  /** The deadline this client has missed at `now`, if any. */
  expired(now: number, receiving: boolean): ClosedReason | undefined;
  close(): void;
}

/** Where an admitted TLS connection goes for its handshake (a tls.Server or https.Server). */
interface HandshakeServer {
  emit(event: 'connection', socket: Socket): boolean;
}

export abstract class ListenerCore<C extends ListenerClient> {
  readonly canSend: boolean;
  readonly canReceive: boolean;
  protected readonly logger: Logger;
  protected readonly counters = newCounters();
  protected readonly sessions = new Set<C>();
  protected readonly admission: ListenerAdmission;
  protected state: TransportState = 'stopped';
  protected message = 'not started';
  protected closing = false;
  protected server: Server | undefined;
  /** Set by a TLS listener before startServer(): admitted connections go there for their handshake. */
  protected handshakeServer: HandshakeServer | undefined;
  private readonly backoff: Backoff;
  /** Admitted TLS connections whose handshake is still running, by `address|port`. */
  private readonly handshaking = new Map<string, string>();
  private readonly refusalLog = new OncePerInterval(60_000);
  private sweepTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private dropped = 0;
  private sent = 0;

  constructor(
    readonly name: string,
    direction: 'both' | 'send' | 'receive',
    protected readonly options: TransportOptions,
    /** `client` or `websocket client`, for the log. */
    private readonly clientNoun: string,
  ) {
    this.canSend = direction !== 'receive';
    this.canReceive = direction !== 'send';
    this.logger = options.logger ?? silentLogger;
    this.backoff = new Backoff(options.backoff);
    const limits = { ...options.limits };
    if (options.maxClients !== undefined) limits.maxClients = options.maxClients;
    if (options.idleTimeoutMs !== undefined) limits.idleTimeoutMs = options.idleTimeoutMs;
    this.admission = new ListenerAdmission(resolveListenerLimits(limits));
  }

  /** The address and port to bind, and the line `status()` shows once bound. */
  protected abstract bindAddress(): { host: string; port: number };
  protected abstract listeningMessage(): string;

  /** The bound port (useful with port 0 in tests). */
  get port(): number | undefined {
    const address = this.server?.address();
    return typeof address === 'object' && address ? address.port : undefined;
  }

  get clientCount(): number {
    return this.sessions.size;
  }

  /** Makes the TCP server (the door), joins the hub, binds, and starts the sweep. */
  protected startServer(): void {
    this.server = createNetServer((socket) => this.onConnection(socket));
    this.hubMembership()?.hub.addListener(this.name);
    this.server.on('error', (error) => this.onServerError(error));
    this.listen();
    this.sweepTimer = setInterval(() => this.sweep(), this.sweepPeriodMs());
    this.sweepTimer.unref();
  }

  /** The deadlines the sweep watches; a quarter of the shortest, between 20 ms and 1 s, is its period. */
  protected sweepDeadlines(): number[] {
    const { firstEventTimeoutMs, eventTimeoutMs, idleTimeoutMs, stallTimeoutMs } = this.admission.limits;
    return [firstEventTimeoutMs, eventTimeoutMs, idleTimeoutMs, stallTimeoutMs];
  }

  private sweepPeriodMs(): number {
    const deadlines = this.sweepDeadlines().filter((ms) => ms > 0);
    return Math.max(20, Math.min(1_000, ...deadlines.map((ms) => ms / 4)));
  }

  private listen(): void {
    this.retryTimer = undefined;
    this.state = 'starting';
    const { host, port } = this.bindAddress();
    this.message = `binding ${formatAddress(host, port)}`;
    this.server?.listen(port, host, () => {
      this.state = 'connected';
      this.message = this.listeningMessage();
      this.backoff.reset();
      this.logger.info({ transport: this.name }, this.message);
      this.onListening();
    });
  }

  /** Bound (again). */
  protected onListening(): void {}

  /** Cannot listen, for good (a configuration error such as EACCES or an address not ours). */
  protected onListenFailed(_error: TransportConfigError): void {}

  private onServerError(error: Error): void {
    const problem = classifyError(error);
    if (problem.kind === 'config') {
      this.state = 'failed';
      this.message = problem.cause;
      this.logger.error({ transport: this.name, cause: problem.cause }, 'cannot listen');
      this.onListenFailed(new TransportConfigError('url', `${this.name}: ${problem.cause}`));
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
    const refusal = this.admission.admit(address, this.handshakeServer !== undefined);
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
    if (this.handshakeServer === undefined) {
      this.acceptPlain(socket);
      return;
    }
    this.handshaking.set(key, address);
    this.handshakeServer.emit('connection', socket);
  }

  /** A plain (not TLS) connection that passed the door; TLS listeners never get one. */
  protected acceptPlain(socket: Socket): void {
    socket.destroy();
  }

  /**
   * A TLS handshake finished: its slot is free again. False when the client's certificate
   * is refused (client_cert = optional: no certificate is fine, one from another CA is
   * not); the connection is then closed and counted.
   */
  protected handshakeDone(socket: TLSSocket): boolean {
    const address = socket.remoteAddress ?? '?';
    if (this.handshaking.delete(`${address}|${socket.remotePort ?? 0}`)) this.admission.handshakeDone(address);
    const problem = listenerCertificateProblem(this.options.tls ?? {}, socket);
    if (problem !== undefined) {
      this.onTlsClientError(Object.assign(new Error(problem), { code: problem === 'CERT_REVOKED' ? REVOKED_CODE : 'ERR_TLS_CERT_REFUSED' }), socket);
      return false;
    }
    return true;
  }

  protected onTlsClientError(error: Error, socket: TLSSocket): void {
    // Node reports a handshake timeout without closing the connection.
    socket.destroy();
    const reason = tlsRefusalReason((error as { code?: string }).code, socket.authorizationError);
    this.admission.tlsRefused[reason] += 1;
    const cause = socket.authorizationError ? String(socket.authorizationError) : classifyError(error).cause;
    const fields = { transport: this.name, peer: formatAddress(socket.remoteAddress ?? '?', socket.remotePort ?? 0), reason, cause };
    // A device retrying with a bad certificate must not flood the log: one line per reason per minute.
    if (this.refusalLog.shouldLog(`tls ${reason}`)) this.logger.warn(fields, 'TLS client refused');
    else this.logger.debug(fields, 'TLS client refused');
  }

  /**
   * A client served from now on: counted, logged, joined to the hub. `onClosed` registers
   * the callback for its end (socket or websocket close), which takes it out again.
   */
  protected addSession(session: C, socket: Socket, onClosed: (callback: () => void) => void): void {
    this.counters.connects += 1;
    this.sessions.add(session);
    this.logger.info({ transport: this.name, peer: session.peer }, `${this.clientNoun} connected`);
    const member = this.joinHub(socket, session);
    onClosed(() => {
      if (member !== undefined) this.hubMembership()?.hub.leave(member);
      this.counters.disconnects += 1;
      this.dropped += session.queue.counters.dropped;
      this.sent += session.queue.counters.written;
      this.sessions.delete(session);
      this.logger.info({ transport: this.name, peer: session.peer }, `${this.clientNoun} disconnected`);
    });
  }

  /** What each client session is given: this listener's name, options, counters, logger, direction and limits. */
  protected sessionContext(): SessionContext {
    return { transportName: this.name, options: this.options, counters: this.counters, logger: this.logger, canSend: this.canSend, delivering: this.canReceive, limits: this.admission.limits };
  }

  /** Hub members are listeners that both send and receive; +ro and +wo listeners keep to themselves. */
  protected hubMembership(): TransportOptions['hub'] {
    return this.canSend && this.canReceive ? this.options.hub : undefined;
  }

  private joinHub(socket: Socket, session: C): HubMember | undefined {
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
    // forEach: no iterator object per client per sweep (an idle box must not keep the heap busy).
    this.sessions.forEach((session) => {
      const reason = session.expired(now, this.canReceive);
      if (reason === undefined) return;
      this.admission.closed[reason] += 1;
      this.logger.info({ transport: this.name, peer: session.peer, reason }, CLOSED_BECAUSE[reason]);
      session.close();
    });
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

  /** Stops the retry and the sweep, closes every client and the server. */
  async close(): Promise<void> {
    if (!this.closing && this.server !== undefined) this.hubMembership()?.hub.removeListener(this.name);
    this.closing = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    this.onClosing();
    for (const session of this.sessions) session.close();
    this.onClientsClosed();
    const server = this.server;
    this.server = undefined;
    if (server?.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    this.state = 'stopped';
    this.message = 'closed';
  }

  /** close() has begun (before the clients are closed). */
  protected onClosing(): void {}

  /** close() has closed every client (before the server). */
  protected onClientsClosed(): void {}

  /** The protocol status() reports, and counters besides the common ones and the door's. */
  protected abstract statusProtocol(): 0 | 1;
  protected extraCounters(): Record<string, number> {
    return {};
  }

  /** Refusals and closes by reason; the TLS reasons only where there is TLS. */
  protected limitCounters(): Record<string, number> {
    const all = this.admission.counters();
    if (this.handshakeServer !== undefined) return all;
    return Object.fromEntries(Object.entries(all).filter(([name]) => !name.startsWith('tlsRefused.')));
  }

  status(): TransportStatus {
    let dropped = this.dropped;
    let sent = this.sent;
    // forEach, not for…of: this runs every second (the supervisor's look) in code V8 never
    // optimises, where each step of an iterator is an object to collect.
    this.sessions.forEach((session) => {
      dropped += session.queue.counters.dropped;
      sent += session.queue.counters.written;
    });
    return {
      name: this.name,
      state: this.state,
      message: `${this.message}; ${this.sessions.size} client(s)`,
      protocol: this.statusProtocol(),
      counters: { ...this.counters, eventsSent: sent, eventsDropped: dropped, ...this.extraCounters(), ...this.limitCounters() },
    };
  }
}

const CLOSED_BECAUSE: Record<ClosedReason, string> = {
  firstEventTimeout: 'client sent no complete event in time; closed',
  eventTimeout: 'client took too long to finish an event; closed',
  idle: 'client silent; closed',
  slowReader: 'client reads nothing of what is sent to it; closed',
};
