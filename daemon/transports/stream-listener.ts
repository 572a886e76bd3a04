/**
 * tcp+listen:// and tls+listen://: end-user devices (ATAK, WinTAK, iTAK) connect to takd.
 * Events from every client are delivered like any other input; events sent to the
 * listener go to every connected client (each with its own bounded queue).
 * TLS: server certificate required; with a client CA, clients must present a certificate
 * that chains to it.
 *
 * Every connection passes the door (listener-limits.ts) before anything else, TLS
 * handshake included: the TCP server admits it, then hands it to a TLS server that never
 * listens itself. A sweep once a second closes clients that missed a deadline. The door,
 * the sweep and the hub are listener-core.ts, shared with wss+listen://.
 */
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { TransportConfigError } from './errors.js';
import { ListenerCore } from './listener-core.js';
import { ListenerSession } from './listener-session.js';
import type { TransportOptions } from './options.js';
import { loadTlsServerOptions, nodeTls, optionalClientCertWarning } from './tls-options.js';
import type { Transport } from './types.js';
import { formatAddress, type ListenSpec } from './url.js';

export class StreamListener extends ListenerCore<ListenerSession> implements Transport {
  private listenWaiters: { resolve: () => void; reject: (error: Error) => void }[] = [];

  constructor(
    private readonly spec: ListenSpec,
    options: TransportOptions = {},
  ) {
    super(options.name ?? `${spec.kind === 'tls-listen' ? 'tls' : 'tcp'}+listen://${formatAddress(spec.host, spec.port)}`, spec.direction, options, 'client');
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
      this.handshakeServer = tlsServer;
    }
    this.startServer();
  }

  protected bindAddress(): { host: string; port: number } {
    return this.spec;
  }

  protected listeningMessage(): string {
    return `listening on ${formatAddress(this.spec.host, this.port ?? this.spec.port)}`;
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

  protected override onListening(): void {
    this.settleListenWaiters();
  }

  protected override onListenFailed(error: TransportConfigError): void {
    this.settleListenWaiters(error);
  }

  protected override onClosing(): void {
    this.settleListenWaiters(new Error(`${this.name}: closed`));
  }

  private onHandshakeDone(socket: TLSSocket): void {
    if (this.handshakeDone(socket)) this.acceptPlain(socket);
  }

  /** A connection that passed the door (and its TLS handshake, on tls+listen://) becomes a client. */
  protected override acceptPlain(socket: Socket): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    const session = new ListenerSession(socket, this.sessionContext(), Date.now());
    this.addSession(session, socket, (closed) => socket.on('close', closed));
  }

  protected statusProtocol(): 0 | 1 {
    return this.options.proto ?? 0;
  }
}
