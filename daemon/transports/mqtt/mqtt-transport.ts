/**
 * mqtt:// and mqtts:// (PyTAK's MQTT transport) on mqtt.js, which is imported only when such
 * a URL is started: a daemon without one never loads it.
 *
 * The topic is the URL path: events are published to it and, unless +wo, read from a
 * subscription to it (a +ro URL may subscribe to a wildcard such as tak/fleet/+/cot).
 * Payload: one event as XML, or one TAK protocol v1 stream frame with proto 1; both are
 * accepted on receipt (and a mesh frame, as PyTAK's UDP peers write). A payload that does not
 * decode is counted in decodeErrors and the link stays up.
 *
 * Reconnects are ours (mqtt.js's own are off) with the same jittered backoff as tcp://.
 * Events wait in a bounded drop-oldest queue while the broker is away; with QoS > 0 a
 * publish not acknowledged when the connection drops is queued again (at least once: the
 * receiving box's router drops the duplicate), and the session is persistent (clean = false)
 * so the broker keeps what arrives for our subscription while we are away.
 */
import { IdleWaiters } from '../../../util/idle-waiters.js';
import { connect as netConnect } from 'node:net';
import { hostname } from 'node:os';
import type { ConnectionOptions } from 'node:tls';
import type { Duplex } from 'node:stream';
import type { MqttClient } from 'mqtt';
import type { CotEvent } from '../../codec/event.js';
import { decodeMqttPayload } from './payload.js';
import { encodeProtoStream } from '../../codec/proto/index.js';
import { XmlEventDecoder } from '../../codec/xml/decode.js';
import { ReconnectPolicy, retryingMessage } from '../reconnect-policy.js';
import { silentLogger, type Logger } from '../../../util/logger.js';
import { deliver } from '../deliver.js';
import { classifyError } from '../errors.js';
import { DEFAULTS, type TransportOptions } from '../options.js';
import { datagramEncoder } from '../stream-codec.js';
import { loadTlsClientOptions, nodeTls, weakenedVerificationWarnings } from '../tls-options.js';
import { newCounters, type OutputListener, type Transport, type TransportState, type TransportStatus } from '../types.js';
import { formatAddress, type MqttSpec } from '../url.js';

/** PyTAK's MQTT keys (MQTT_QOS, MQTT_KEEPALIVE, MQTT_CLIENT_ID, MQTT_USERNAME, MQTT_PASSWORD). */
export interface MqttSettings {
  qos?: 0 | 1 | 2;
  /** Seconds; default 60. */
  keepaliveS?: number;
  clientId?: string;
  username?: string;
  password?: string;
}

export const MQTT_DEFAULTS = { qos: 0, keepaliveS: 60 } as const;

/**
 * Publishes handed to mqtt.js and not yet written (QoS 0) or acknowledged (QoS > 0); the
 * rest wait in our queue, where the router's flow control sees them (backlog()).
 */
const MAX_IN_FLIGHT = 256;

interface InFlight {
  event: CotEvent;
}

export class MqttTransport implements Transport {
  readonly name: string;
  readonly canSend: boolean;
  readonly canReceive: boolean;
  private readonly logger: Logger;
  private readonly retries: ReconnectPolicy;
  private readonly counters = newCounters();
  private readonly peer: string;
  private readonly capacity: number;
  private readonly pending: CotEvent[] = [];
  private readonly inFlight = new Set<InFlight>();
  private readonly xml = new XmlEventDecoder();
  private readonly qos: 0 | 1 | 2;
  private state: TransportState = 'stopped';
  private message = 'not started';
  private tlsOptions: ConnectionOptions | undefined;
  private client: MqttClient | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private lastError: unknown;
  private closing = false;
  private readonly idle = new IdleWaiters();
  private backlogWaiters: { depth: number; listener: () => void }[] = [];
  private outputListener: OutputListener | undefined;
  /** The router was told "not writable" and waits to hear otherwise. */
  private blocked = false;

  constructor(
    private readonly spec: MqttSpec,
    private readonly options: TransportOptions = {},
  ) {
    this.name = options.name ?? `${spec.kind}://${formatAddress(spec.host, spec.port)}/${spec.topic}`;
    this.canSend = spec.direction !== 'receive';
    this.canReceive = spec.direction !== 'send';
    this.logger = options.logger ?? silentLogger;
    this.peer = formatAddress(spec.host, spec.port);
    this.capacity = options.maxQueue ?? DEFAULTS.maxQueue;
    this.qos = options.mqtt?.qos ?? MQTT_DEFAULTS.qos;
    this.retries = new ReconnectPolicy(this.name, this.logger, { resetAfterMs: DEFAULTS.backoffResetAfterMs, ...options.backoff }, options.maxAttempts);
  }

  /** Throws TransportConfigError when TLS material cannot be loaded. */
  start(): void {
    if (this.state !== 'stopped') return;
    if (this.spec.kind === 'mqtts') this.tlsOptions = loadTlsClientOptions(this.options.tls ?? {}, this.spec.host);
    this.closing = false;
    void this.connect();
  }

  send(event: CotEvent): boolean {
    if (!this.canSend) return false;
    this.counters.eventsQueued += 1;
    this.enqueue(event);
    this.drain();
    return true;
  }

  isUp(): boolean {
    return this.state === 'connected';
  }

  backlog(): number {
    return this.pending.length + this.inFlight.size;
  }

  /**
   * The router's flow control: takes events while connected and fewer than MAX_IN_FLIGHT
   * wait here, so what waits for the broker waits in the router's lanes (with coalescing
   * and the durable queue), not in this transport.
   */
  writable(): boolean {
    const writable = this.state === 'connected' && this.backlog() < MAX_IN_FLIGHT;
    if (!writable) this.blocked = true;
    return writable;
  }

  setListener(listener: OutputListener | undefined): void {
    this.outputListener = listener;
  }

  whenBacklogBelow(depth: number, listener: () => void): void {
    if (this.backlog() < depth) listener();
    else this.backlogWaiters.push({ depth, listener });
  }

  flush(): Promise<void> {
    if (this.state === 'failed') return Promise.reject(new Error(this.message));
    return this.idle.wait(this.backlog() === 0);
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const client = this.client;
    this.client = undefined;
    if (client) await new Promise<void>((resolve) => client.end(this.backlog() > 0, {}, () => resolve()));
    this.pending.length = 0;
    this.inFlight.clear();
    this.setState('stopped', 'closed');
    this.idle.resolveAll();
  }

  status(): TransportStatus {
    return { name: this.name, state: this.state, message: this.message, protocol: this.options.proto ?? 0, counters: { ...this.counters } };
  }

  private setState(state: TransportState, message: string): void {
    this.state = state;
    this.message = message;
  }

  private enqueue(event: CotEvent): void {
    if (this.pending.length >= this.capacity) {
      this.pending.shift();
      this.counters.eventsDropped += 1;
    }
    this.pending.push(event);
  }

  private encode(event: CotEvent): Buffer {
    return this.options.proto === 1 ? encodeProtoStream(event) : datagramEncoder(0)(event);
  }

  private publish(event: CotEvent): void {
    const client = this.client;
    if (!client) {
      this.enqueue(event);
      return;
    }
    let payload: Buffer;
    try {
      payload = this.encode(event);
    } catch (error) {
      this.counters.eventsDropped += 1;
      this.logger.debug({ transport: this.name, uid: event.uid, err: (error as Error).message }, 'event not encodable');
      this.settled();
      return;
    }
    const entry: InFlight = { event };
    this.inFlight.add(entry);
    client.publish(this.spec.topic, payload, { qos: this.qos }, (error) => {
      if (!this.inFlight.delete(entry)) return; // requeued by a disconnect meanwhile
      if (error) {
        // Not acknowledged: try again on the next connection (at least once).
        this.enqueue(event);
      } else {
        this.counters.eventsSent += 1;
      }
      this.settled();
    });
  }

  /** Wakes flush() and whenBacklogBelow() waiters when the backlog shrank. */
  private settled(): void {
    this.drain();
    const backlog = this.backlog();
    if (this.backlogWaiters.length > 0) {
      const ready = this.backlogWaiters.filter((w) => backlog < w.depth);
      this.backlogWaiters = this.backlogWaiters.filter((w) => backlog >= w.depth);
      for (const waiter of ready) waiter.listener();
    }
    if (backlog === 0) this.idle.resolveAll();
    this.tellWritable();
  }

  private tellWritable(): void {
    if (!this.blocked || this.outputListener === undefined || !this.writable()) return;
    this.blocked = false;
    this.outputListener.onWritable();
  }

  private drain(): void {
    while (this.state === 'connected' && this.pending.length > 0 && this.inFlight.size < MAX_IN_FLIGHT) this.publish(this.pending.shift() as CotEvent);
  }

  private subscription(): string {
    return this.spec.subscribe ?? this.spec.topic;
  }

  private clientId(): string {
    const configured = this.options.mqtt?.clientId;
    if (configured !== undefined && configured !== '') return configured;
    // Unique per box (its uid) and stable across restarts, so a persistent session is ours.
    return this.options.ownUid !== undefined ? `takd-${this.options.ownUid}` : `takd@${hostname()}-${process.pid}`;
  }

  private async connect(): Promise<void> {
    this.retryTimer = undefined;
    this.lastError = undefined;
    this.setState('starting', `connecting to ${this.peer}`);
    // The client class alone, with our own socket: mqtt.js's connect() would also load its
    // WebSocket support (3-4 MiB more) and honour MQTTJS_SOCKS_PROXY behind our back.
    let Client: typeof import('mqtt').MqttClient;
    try {
      // A CommonJS module: its exports object is the ES default, the class its own default.
      Client = (await import('mqtt/lib/client')).default.default;
    } catch (error) {
      this.setState('failed', `the MQTT client (npm mqtt) cannot be loaded: ${(error as Error).message}`);
      this.logger.error({ transport: this.name, cause: this.message }, 'giving up');
      this.idle.rejectAll(new Error(this.message));
      return;
    }
    if (this.closing) return;
    const settings = this.options.mqtt ?? {};
    const username = this.spec.username ?? settings.username;
    const password = this.spec.password ?? settings.password;
    const { host, port } = this.spec;
    const tlsOptions = this.tlsOptions;
    const socket = (): Duplex => {
      const stream = tlsOptions !== undefined ? nodeTls().connect({ ...tlsOptions, host, port }) : netConnect({ host, port });
      stream.setNoDelay(true);
      return stream;
    };
    const client = new Client(socket, {
      protocol: this.spec.kind,
      host: this.spec.host,
      port: this.spec.port,
      clientId: this.clientId(),
      keepalive: settings.keepaliveS ?? MQTT_DEFAULTS.keepaliveS,
      protocolVersion: 5,
      clean: this.qos === 0,
      // A persistent session outlives a disconnect (MQTT 5 ends it at once otherwise).
      ...(this.qos > 0 ? { properties: { sessionExpiryInterval: 0xffffffff } } : {}),
      reconnectPeriod: 0,
      connectTimeout: this.options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
      queueQoSZero: false,
      resubscribe: false,
      ...(username !== undefined ? { username } : {}),
      ...(password !== undefined ? { password } : {}),
    });
    this.client = client;
    client.on('connect', () => this.onConnected(client));
    client.on('message', (topic: string, payload: Buffer) => {
      // A wildcard subscription that covers our own publish topic: ours, never taken back.
      if (this.canSend && topic === this.spec.topic && this.spec.subscribe !== undefined) return;
      this.onMessage(payload);
    });
    client.on('error', (error: Error) => {
      if (client === this.client) this.lastError ??= error;
    });
    client.on('close', () => this.onClosed(client));
  }

  private onConnected(client: MqttClient): void {
    if (client !== this.client) return;
    this.counters.connects += 1;
    this.retries.connected();
    if (this.spec.kind === 'mqtts') {
      for (const warning of weakenedVerificationWarnings(this.options.tls ?? {})) this.logger.warn({ transport: this.name }, warning);
    }
    if (this.canReceive) {
      // No Local (MQTT 5): the broker does not send our own publishes back to us.
      client.subscribe(this.subscription(), { qos: this.qos, nl: true }, (error, granted) => {
        const refused = granted?.some((g) => g.qos === 128);
        if (error || refused) this.logger.warn({ transport: this.name, topic: this.subscription(), err: error?.message ?? 'refused by the broker' }, 'subscription refused');
      });
    }
    this.setState('connected', `connected to ${this.peer}, topic ${this.spec.topic} (QoS ${this.qos})`);
    this.logger.info({ transport: this.name, peer: this.peer, topic: this.spec.topic }, 'connected');
    const hello = this.canSend && !this.options.noHello ? this.options.hello?.() : undefined;
    if (hello) this.publish(hello);
    this.drain();
    // The router's link waits for this to send what it held while the broker was away.
    this.blocked = true;
    this.tellWritable();
  }

  private onMessage(payload: Buffer): void {
    let event: CotEvent | undefined;
    let version: 0 | 1;
    try {
      ({ event, version } = decodeMqttPayload(payload, this.xml));
    } catch (error) {
      this.counters.decodeErrors += 1;
      this.logger.debug({ transport: this.name, err: (error as Error).message }, 'undecodable MQTT payload');
      return;
    }
    if (!event) return;
    this.counters.eventsReceived += 1;
    if (this.canReceive) deliver(this.options.onEvent, event, { transport: this.name, peer: this.peer, version }, this.logger);
  }

  private onClosed(client: MqttClient): void {
    if (client !== this.client) return;
    const wasUp = this.state === 'connected';
    this.client = undefined;
    client.removeAllListeners();
    client.on('error', () => undefined);
    client.end(true);
    // What the broker did not acknowledge goes again, first.
    const unacknowledged = [...this.inFlight].map((entry) => entry.event);
    this.inFlight.clear();
    this.pending.unshift(...unacknowledged);
    while (this.pending.length > this.capacity) {
      this.pending.shift();
      this.counters.eventsDropped += 1;
    }
    if (wasUp) this.retries.disconnected(this.counters);
    if (this.closing) {
      this.setState('stopped', 'closed');
      return;
    }
    const problem = this.lastError ? classifyError(this.lastError) : { kind: 'network' as const, cause: wasUp ? 'the broker closed the connection' : 'no connection' };
    const delay = this.retries.afterFailure(problem, wasUp);
    if (delay === undefined) {
      this.setState('failed', problem.cause);
      this.idle.rejectAll(new Error(problem.cause));
      return;
    }
    this.setState('retrying', retryingMessage(delay, problem.cause));
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }
}
