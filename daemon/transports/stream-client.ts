/**
 * tcp:// and tls:// (ssl://) clients to a TAK server, with +wo / +ro.
 *
 * One connection at a time; on EOF, error, connect timeout or read silence it reconnects
 * with jittered exponential backoff, which starts over after a connection that stayed up
 * 30 s (DEFAULTS.backoffResetAfterMs). It keeps no queue: events wait in the router's
 * lanes while it is not writable(), and what a dead connection never wrote is given back.
 *
 * Read silence counts only for a peer that has answered on this connection (a TAK server
 * answers our pings): a plain consumer that never sends (a script, Node-RED's TCP input,
 * `nc -l`) stays connected however quiet it is. A dead link to it is still noticed, by
 * TCP keepalive while idle and by write errors while sending.
 * TAK protocol v1 is used only when asked for (proto 1) and the server offers it
 * (t-x-takp-v → t-x-takp-q → t-x-takp-r, tak-protocol.md §4.1); otherwise XML.
 * +wo still reads (and discards) what the server sends, so the socket stays healthy and
 * negotiation and pongs still work; +ro keeps the connection open and never sends data.
 */
import { connect as netConnect, type Socket } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { CotStreamDecoder } from '../codec/stream.js';
import type { CotEvent } from '../codec/event.js';
import { ClientNegotiation } from './client-negotiation.js';
import { PING, PONG, PROTOCOL_ADVERTISE, PROTOCOL_REQUEST, PROTOCOL_RESPONSE, pingEvent, pongEvent } from './control-events.js';
import { classifyError, TransportConfigError, type ClassifiedError } from './errors.js';
import { deliver } from './deliver.js';
import { holdWhileGateClosed } from './inbound-gate.js';
import { closeConnection, ReconnectPolicy, retryingMessage } from './reconnect-policy.js';
import { DEFAULTS, type TransportOptions } from './options.js';
import { SilenceWatchdog } from './silence-watchdog.js';
import { streamEncoder } from './stream-codec.js';
import { loadTlsClientOptions, nodeTls, weakenedVerificationWarnings } from './tls-options.js';
import { silentLogger, type Logger } from '../../util/logger.js';
import type { Transport } from './types.js';
import { formatAddress, type StreamSpec } from './url.js';
import { StreamWriter } from './stream-writer.js';
import { WriterOutput } from './writer-output.js';
import type { DeliveryProof } from './delivery-proof.js';

/** A TLS close this soon after the handshake, with nothing received, reads as a refusal. */
const REFUSAL_WINDOW_MS = 1_000;

export class StreamClient extends WriterOutput implements Transport {
  readonly canSend: boolean;
  readonly canReceive: boolean;
  private readonly logger: Logger;
  private readonly retries: ReconnectPolicy;
  private readonly peer: string;
  private tlsOptions: ConnectionOptions | undefined;
  private socket: Socket | undefined;
  private decoder: CotStreamDecoder | undefined;
  private watchdog: SilenceWatchdog | undefined;
  private connectTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private negotiation: ClientNegotiation | undefined;
  /** After a negotiation timeout the next connection stays in XML ("choose differently"). */
  private skipNegotiationOnce = false;
  private lastError: unknown;
  private closing = false;
  private connectedAt = 0;
  private receivedOnConnection = false;
  private closed: Promise<void> | undefined;
  /** The current socket connected (it may still be negotiating): its loss counts as a disconnect. */
  private connectedSocket = false;
  /** Pongs prove what was written before their ping (delivery-proof.ts). */
  private readonly proof: DeliveryProof;

  constructor(
    private readonly spec: StreamSpec,
    private readonly options: TransportOptions = {},
  ) {
    const name = options.name ?? `${spec.kind}://${formatAddress(spec.host, spec.port)}`;
    const logger = options.logger ?? silentLogger;
    super(
      name,
      new StreamWriter(streamEncoder(0), {
        maxInFlightBytes: options.maxInFlightBytes ?? DEFAULTS.maxInFlightBytes,
        standaloneCapacity: options.maxQueue ?? DEFAULTS.maxQueue,
        logContext: { transport: name },
        pauseBetweenWritesMs: options.pauseBetweenWritesMs,
        logger,
      }),
    );
    this.canSend = spec.direction !== 'receive';
    this.canReceive = spec.direction !== 'send';
    this.logger = logger;
    this.peer = formatAddress(spec.host, spec.port);
    this.retries = new ReconnectPolicy(this.name, this.logger, { resetAfterMs: DEFAULTS.backoffResetAfterMs, ...options.backoff }, options.maxAttempts);
    this.counters.inFlightLost = 0;
    // No pings at all (ping_after = 0) means no proof either.
    const pings = (options.pingAfterMs ?? DEFAULTS.pingAfterMs) > 0;
    this.proof = this.writer.enableDeliveryProof(() => pings && this.writePing());
  }

  /** Throws TransportConfigError when TLS material cannot be loaded. */
  start(): void {
    if (this.state !== 'stopped') return;
    if (this.spec.kind === 'tls') this.tlsOptions = loadTlsClientOptions(this.options.tls ?? {}, this.spec.host);
    this.closing = false;
    this.connect();
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const socket = this.socket;
    if (!socket) {
      this.setState('stopped', 'closed');
      return;
    }
    // A graceful end (FIN after our data), destroyed if the peer does not close in time.
    this.closed ??= closeConnection(socket, this.writer.inFlight > 0 || this.state !== 'connected', () => socket.end(), () => socket.destroy());
    await this.closed;
    this.writer.discardHeld();
  }

  private connect(): void {
    this.connectedSocket = false;
    this.retryTimer = undefined;
    this.closed = undefined;
    this.lastError = undefined;
    this.setState('starting', `connecting to ${this.peer}`);
    const socket =
      this.spec.kind === 'tls'
        ? nodeTls().connect({ ...this.tlsOptions, host: this.spec.host, port: this.spec.port })
        : netConnect({ host: this.spec.host, port: this.spec.port });
    this.socket = socket;
    socket.setNoDelay(true);
    this.connectTimer = setTimeout(() => {
      this.lastError = Object.assign(new Error(`no connection within ${this.connectTimeoutMs()} ms`), { code: 'ETIMEDOUT' });
      socket.destroy();
    }, this.connectTimeoutMs());
    socket.once(this.spec.kind === 'tls' ? 'secureConnect' : 'connect', () => this.onConnected(socket));
    socket.on('data', (chunk: Buffer) => {
      this.receivedOnConnection = true;
      this.watchdog?.heard();
      this.decoder?.push(chunk);
      holdWhileGateClosed(socket, this.options.inboundGate);
    });
    socket.on('error', (error) => {
      if (socket === this.socket) this.lastError ??= error;
    });
    socket.on('close', () => this.onClosed(socket));
  }

  private connectTimeoutMs(): number {
    return this.options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs;
  }

  private onConnected(socket: Socket): void {
    this.connectedSocket = true;
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.counters.connects += 1;
    this.connectedAt = Date.now();
    this.receivedOnConnection = false;
    this.retries.connected();
    const keepAliveMs = this.options.keepAliveMs ?? DEFAULTS.keepAliveMs;
    if (keepAliveMs > 0) socket.setKeepAlive(true, keepAliveMs);
    if (this.spec.kind === 'tls') {
      for (const warning of weakenedVerificationWarnings(this.options.tls ?? {})) this.logger.warn({ transport: this.name }, warning);
    }
    this.protocol = 0;
    this.writer.setEncoder(streamEncoder(0));
    this.proof.connected();
    this.negotiation = this.startNegotiation(socket);
    this.decoder = new CotStreamDecoder({
      maxEventBytes: this.options.maxEventBytes ?? DEFAULTS.maxEventBytes,
      onEvent: (event) => this.onStreamEvent(event),
      onError: (error) => {
        this.counters.decodeErrors += 1;
        this.logger.debug({ transport: this.name, reason: error.reason, err: error.message }, 'undecodable data from server');
      },
    });
    this.watchdog = new SilenceWatchdog({
      pingAfterMs: this.options.pingAfterMs ?? DEFAULTS.pingAfterMs,
      idleTimeoutMs: this.options.idleTimeoutMs ?? DEFAULTS.idleTimeoutMs,
      onlyOnceHeard: true,
      sendPing: () => {
        if (this.writePing()) this.proof.pinged();
      },
      onIdle: (silentFor) => {
        this.lastError = Object.assign(new Error(`nothing received for ${silentFor} ms`), { code: 'READ_IDLE' });
        socket.destroy();
      },
    });
    this.setState('connected', `connected to ${this.peer} (TAK protocol 0)`);
    this.logger.info({ transport: this.name, peer: this.peer }, 'connected');
    const hello = this.canSend && !this.options.noHello ? this.options.hello?.() : undefined;
    if (hello) this.writeControl(hello);
    if (this.canSend) this.writer.attach(socket);
  }

  /** A ping now, unless negotiating; the caller tells the delivery proof. */
  private writePing(): boolean {
    if (!this.socket || this.socket.destroyed || this.negotiation?.awaitingAnswer) return false;
    this.writeControl(pingEvent(this.options.ownUid ?? DEFAULTS.ownUid));
    return true;
  }

  /** Writes ahead of waiting events, in the connection's current protocol. */
  private writeControl(event: CotEvent): void {
    if (!this.socket || this.socket.destroyed) return;
    this.socket.write(streamEncoder(this.protocol)(event));
  }

  private onStreamEvent(event: CotEvent): void {
    switch (event.type) {
      case PONG:
        this.proof.ponged();
        return;
      case PROTOCOL_REQUEST:
        return;
      case PING:
        this.writeControl(pongEvent());
        return;
      case PROTOCOL_ADVERTISE:
        this.negotiation?.onOffer(event);
        return;
      case PROTOCOL_RESPONSE:
        this.negotiation?.onResponse(event);
        return;
    }
    this.counters.eventsReceived += 1;
    if (this.canReceive) deliver(this.options.onEvent, event, { transport: this.name, peer: this.peer, version: this.protocol }, this.logger);
  }

  private startNegotiation(socket: Socket): ClientNegotiation {
    const wantV1 = this.options.proto === 1 && !this.skipNegotiationOnce;
    this.skipNegotiationOnce = false;
    return new ClientNegotiation(wantV1, this.options.offerWaitMs ?? 0, this.options.negotiationTimeoutMs ?? DEFAULTS.negotiationTimeoutMs, {
      writeControl: (event) => this.writeControl(event),
      holdData: () => {
        this.writer.pause();
        if (this.negotiation?.awaitingAnswer) this.setState('starting', 'negotiating: asked the server for TAK protocol 1');
      },
      releaseData: () => {
        this.setState('connected', `connected to ${this.peer} (TAK protocol ${this.protocol})`);
        this.writer.resume();
      },
      switchToV1: () => {
        // Takes effect at the byte right after the response event (the decoder's contract).
        this.decoder?.setProtocol(1);
        this.protocol = 1;
        this.writer.setEncoder(streamEncoder(1));
      },
      abandon: (error) => {
        this.lastError = error;
        // "Possibly choosing differently" (§4.1 rule 7): the next connection stays with XML.
        this.skipNegotiationOnce = true;
        socket.destroy();
      },
      logger: this.logger,
      name: this.name,
    });
  }

  private onClosed(socket: Socket): void {
    if (socket !== this.socket) return;
    const wasUp = this.connectedSocket;
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.negotiation?.stop();
    this.negotiation = undefined;
    this.watchdog?.stop();
    this.watchdog = undefined;
    this.decoder = undefined;
    this.socket = undefined;
    this.writer.detach();
    // The at-most-once window: what the kernel took that no pong proved and that was not
    // given back to be sent again. (A peer that never sends anything cannot tell us: not counted.)
    if (this.receivedOnConnection && !this.closing) this.counters.inFlightLost = (this.counters.inFlightLost ?? 0) + this.proof.lostOnLastConnection;
    this.writer.resume();
    this.protocol = 0;
    if (wasUp) this.retries.disconnected(this.counters);
    if (this.closing) {
      this.setState('stopped', 'closed');
      return;
    }
    const problem: ClassifiedError = this.lastError ? classifyError(this.lastError) : this.closedByServer(wasUp);
    this.afterFailure(problem, wasUp);
  }

  /**
   * A TLS server that refuses a client certificate under TLS 1.3 often just closes the
   * connection right after the handshake, without an alert: treat that as a certificate
   * problem (slow retry) rather than a flaky link.
   */
  private closedByServer(wasUp: boolean): ClassifiedError {
    const justAfterHandshake = wasUp && !this.receivedOnConnection && Date.now() - this.connectedAt < REFUSAL_WINDOW_MS;
    if (this.spec.kind === 'tls' && justAfterHandshake) {
      return { kind: 'certificate', cause: 'the server closed the connection right after the TLS handshake: it probably refused our client certificate' };
    }
    return { kind: 'network', cause: 'the server closed the connection' };
  }

  private afterFailure(problem: ClassifiedError, wasUp: boolean): void {
    const delay = this.retries.afterFailure(problem, wasUp);
    if (delay === undefined) {
      this.setState('failed', problem.cause);
      this.writer.fail(problem.kind === 'config' ? new TransportConfigError('url', problem.cause) : new Error(problem.cause));
      return;
    }
    this.setState('retrying', retryingMessage(delay, problem.cause));
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }
}
