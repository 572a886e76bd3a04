/**
 * wss://HOST:8443/takproto/1 — TAK Server's WebSocket endpoint (tak-server-api.md §5).
 *
 * Every binary message is one TAK protocol v1 stream frame, both ways; there is no XML and
 * no negotiation. The client certificate and server verification are those of tls://
 * (tls-options.ts), and weakened verification is warned at every connect. WebSocket
 * ping/pong is the keepalive: a ping after `pingAfterMs` of silence, and the link is
 * dropped after `idleTimeoutMs` (a WebSocket peer must answer pings). Reconnects use the
 * same backoff as the stream clients.
 *
 * A 401/403 answer to the handshake is reported as a certificate problem (slow retry). No
 * file is ever touched on it (PyTAK deletes the user's certificate there, pytak#99).
 * Messages larger than the event limit, text messages and frames that do not decode are
 * counted in decodeErrors and the link stays up.
 */
import { QueuedOutput } from '../backlog-flow.js';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type WebSocket from 'ws';
import { CotStreamDecoder } from '../../codec/stream.js';
import type { CotEvent } from '../../codec/event.js';
import { silentLogger, type Logger } from '../../../util/logger.js';
import { PING, PONG, PROTOCOL_ADVERTISE, PROTOCOL_REQUEST, PROTOCOL_RESPONSE, pongEvent } from '../control-events.js';
import { deliver } from '../deliver.js';
import { holdWhileGateClosed } from '../inbound-gate.js';
import { classifyError, TransportConfigError, type ClassifiedError } from '../errors.js';
import { closeConnection, ReconnectPolicy, retryingMessage } from '../reconnect-policy.js';
import { DEFAULTS, type TransportOptions } from '../options.js';
import { SilenceWatchdog } from '../silence-watchdog.js';
import { streamEncoder } from '../stream-codec.js';
import { loadTlsClientOptions, weakenedVerificationWarnings } from '../tls-options.js';
import { newCounters, type Transport, type TransportStatus } from '../types.js';
import { formatAddress, type WssSpec } from '../url.js';
import { WriteQueue } from '../write-queue.js';
import { MessageSink } from './frames.js';
import { loadWs } from './load-ws.js';

/** A message this much larger than the event limit closes the connection (ws' maxPayload); smaller oversize is counted. */
const MAX_PAYLOAD_FACTOR = 16;

export class WssClient extends QueuedOutput implements Transport {
  readonly name: string;
  readonly canSend: boolean;
  readonly canReceive: boolean;
  private readonly logger: Logger;
  private readonly queue: WriteQueue;
  private readonly retries: ReconnectPolicy;
  private readonly counters = newCounters();
  private readonly url: string;
  private tlsOptions: ConnectionOptions | undefined;
  private socket: WebSocket | undefined;
  /** The TCP/TLS socket under the WebSocket, to stop reading while the inbound gate is closed. */
  private rawSocket: Socket | undefined;
  private decoder: CotStreamDecoder | undefined;
  private watchdog: SilenceWatchdog | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private lastError: unknown;
  private lastProblem: ClassifiedError | undefined;
  private messageHadError = false;
  private closing = false;
  private closed: Promise<void> | undefined;

  constructor(
    private readonly spec: WssSpec,
    private readonly options: TransportOptions = {},
  ) {
    super();
    const address = formatAddress(spec.host, spec.port);
    this.url = `wss://${address}${spec.path}`;
    this.name = options.name ?? this.url;
    this.canSend = spec.direction !== 'receive';
    this.canReceive = spec.direction !== 'send';
    this.logger = options.logger ?? silentLogger;
    this.retries = new ReconnectPolicy(this.name, this.logger, { resetAfterMs: DEFAULTS.backoffResetAfterMs, ...options.backoff }, options.maxAttempts);
    this.queue = new WriteQueue(streamEncoder(1), {
      capacity: options.maxQueue ?? DEFAULTS.maxQueue,
      pauseBetweenWritesMs: options.pauseBetweenWritesMs,
      logger: this.logger,
      logContext: { transport: this.name },
    });
  }

  /** Throws TransportConfigError when TLS material cannot be loaded. */
  start(): void {
    if (this.state !== 'stopped') return;
    this.tlsOptions = loadTlsClientOptions(this.options.tls ?? {}, this.spec.host);
    loadWs();
    this.closing = false;
    this.connect();
  }

  send(event: CotEvent): boolean {
    if (!this.canSend) return false;
    this.counters.eventsQueued += 1;
    this.queue.push(event);
    return true;
  }

  backlog(): number {
    return this.queue.length;
  }

  whenBacklogBelow(depth: number, listener: () => void): void {
    this.queue.whenBacklogBelow(depth, listener);
  }

  protected whenIdle(): Promise<void> {
    return this.queue.whenIdle();
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
    this.closed ??= closeConnection(socket, this.queue.length > 0 || this.state !== 'connected', () => socket.close(1000), () => socket.terminate());
    await this.closed;
    this.queue.clear();
  }

  status(): TransportStatus {
    const { queued, written, dropped } = this.queue.counters;
    return {
      name: this.name,
      state: this.state,
      message: this.message,
      protocol: 1,
      counters: { ...this.counters, eventsQueued: queued, eventsSent: written, eventsDropped: dropped },
    };
  }

  private maxEventBytes(): number {
    return this.options.maxEventBytes ?? DEFAULTS.maxEventBytes;
  }

  private connect(): void {
    this.retryTimer = undefined;
    this.closed = undefined;
    this.lastError = undefined;
    this.lastProblem = undefined;
    this.setState('starting', `connecting to ${this.url}`);
    const WebSocketClass = loadWs();
    const socket = new WebSocketClass(this.url, {
      ...this.tlsOptions,
      handshakeTimeout: this.options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
      perMessageDeflate: false,
      maxPayload: this.maxEventBytes() * MAX_PAYLOAD_FACTOR,
      followRedirects: false,
    });
    socket.binaryType = 'nodebuffer';
    this.socket = socket;
    socket.on('unexpected-response', (_request: ClientRequest, response: IncomingMessage) => {
      this.lastProblem = handshakeRefusal(response.statusCode ?? 0, response.statusMessage ?? '');
      response.resume();
      socket.terminate();
    });
    socket.on('upgrade', (response: IncomingMessage) => {
      if (socket === this.socket) this.rawSocket = response.socket;
    });
    socket.on('open', () => this.onOpen(socket));
    socket.on('message', (data: Buffer, isBinary: boolean) => this.onMessage(data, isBinary));
    socket.on('ping', () => this.watchdog?.heard());
    socket.on('pong', () => this.watchdog?.heard());
    socket.on('error', (error) => {
      if (socket === this.socket) this.lastError ??= error;
    });
    socket.on('close', () => this.onClosed(socket));
  }

  private onOpen(socket: WebSocket): void {
    this.counters.connects += 1;
    this.retries.connected();
    for (const warning of weakenedVerificationWarnings(this.options.tls ?? {})) this.logger.warn({ transport: this.name }, warning);
    this.decoder = this.newDecoder();
    this.watchdog = new SilenceWatchdog({
      pingAfterMs: this.options.pingAfterMs ?? DEFAULTS.pingAfterMs,
      idleTimeoutMs: this.options.idleTimeoutMs ?? DEFAULTS.idleTimeoutMs,
      sendPing: () => socket.ping(),
      onIdle: (silentFor) => {
        this.lastError = Object.assign(new Error(`nothing received (not even a pong) for ${silentFor} ms`), { code: 'READ_IDLE' });
        socket.terminate();
      },
    });
    this.setState('connected', `connected to ${this.url} (TAK protocol 1)`);
    this.logger.info({ transport: this.name, peer: this.url }, 'connected');
    const hello = this.canSend && !this.options.noHello ? this.options.hello?.() : undefined;
    if (hello) socket.send(streamEncoder(1)(hello) as Buffer, { binary: true });
    if (this.canSend) this.queue.attach(new MessageSink(socket));
  }

  private newDecoder(): CotStreamDecoder {
    const decoder = new CotStreamDecoder({
      maxEventBytes: this.maxEventBytes(),
      onEvent: (event) => this.onFrameEvent(event),
      onError: (error) => {
        this.messageHadError = true;
        this.logger.debug({ transport: this.name, reason: error.reason, err: error.message }, 'undecodable message from server');
      },
    });
    decoder.setProtocol(1);
    return decoder;
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    this.watchdog?.heard();
    if (!isBinary) {
      this.counters.decodeErrors += 1;
      this.logger.debug({ transport: this.name }, 'text message from server ignored (expected TAK protocol 1 frames)');
      return;
    }
    const decoder = this.decoder;
    if (!decoder) return;
    this.messageHadError = false;
    decoder.push(data);
    if (this.rawSocket) holdWhileGateClosed(this.rawSocket, this.options.inboundGate);
    // One message is one frame: a bad message counts once, and must not swallow the next one.
    if (this.messageHadError || decoder.midEvent) {
      this.counters.decodeErrors += 1;
      decoder.reset();
      decoder.setProtocol(1);
    }
  }

  private onFrameEvent(event: CotEvent): void {
    switch (event.type) {
      case PONG:
      case PROTOCOL_REQUEST:
      case PROTOCOL_ADVERTISE:
      case PROTOCOL_RESPONSE:
        return;
      case PING:
        if (this.socket?.readyState === 1) this.socket.send(streamEncoder(1)(pongEvent()) as Buffer, { binary: true });
        return;
    }
    this.counters.eventsReceived += 1;
    if (this.canReceive) deliver(this.options.onEvent, event, { transport: this.name, peer: formatAddress(this.spec.host, this.spec.port), version: 1 }, this.logger);
  }

  private onClosed(socket: WebSocket): void {
    if (socket !== this.socket) return;
    const wasUp = this.state === 'connected';
    this.watchdog?.stop();
    this.watchdog = undefined;
    this.decoder = undefined;
    this.socket = undefined;
    this.rawSocket = undefined;
    this.queue.detach();
    if (wasUp) this.retries.disconnected(this.counters);
    if (this.closing) {
      this.setState('stopped', 'closed');
      return;
    }
    const problem = this.lastProblem ?? (this.lastError ? classifyError(this.lastError) : { kind: 'network' as const, cause: 'the server closed the connection' });
    this.afterFailure(problem, wasUp);
  }

  private afterFailure(problem: ClassifiedError, wasUp: boolean): void {
    const delay = this.retries.afterFailure(problem, wasUp);
    if (delay === undefined) {
      this.setState('failed', problem.cause);
      this.queue.fail(problem.kind === 'config' ? new TransportConfigError('url', problem.cause) : new Error(problem.cause));
      return;
    }
    this.setState('retrying', retryingMessage(delay, problem.cause));
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }
}

/** A handshake answered with something other than 101. 401/403: the server does not accept our certificate. */
export function handshakeRefusal(status: number, statusText: string): ClassifiedError {
  if (status === 401 || status === 403) {
    return {
      kind: 'certificate',
      cause: `HTTP ${status} ${statusText}: the server refused the WebSocket handshake, most likely it does not accept our client certificate (check cert and ca; no file was changed)`,
    };
  }
  if (status === 404) return { kind: 'network', cause: `HTTP 404: the server has no WebSocket endpoint at this path (TAK Server: /takproto/1 on 8443)` };
  return { kind: 'network', cause: `HTTP ${status} ${statusText}: the server refused the WebSocket handshake` };
}
