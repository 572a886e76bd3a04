/** Options shared by the transports. Every one has a default fit for a field deployment. */
import type { CotEvent } from '../codec/event.js';
import type { BackoffOptions } from '../../util/backoff.js';
import type { Logger } from '../../util/logger.js';
import type { HubMembership } from './listener-hub.js';
import type { InboundGate } from './inbound-gate.js';
import type { ListenerLimits } from './listener-limits.js';
import type { TlsSettings } from './tls-options.js';
import type { MqttSettings } from './mqtt/mqtt-transport.js';
import type { EventHandler } from './types.js';
import type { TransportKeyValues } from './contract.js';

export interface TransportOptions {
  /** For logs and status; default: the URL. */
  name?: string;
  logger?: Logger;
  /** TAK_PROTO: 0 XML, 1 TAK protocol v1 (streams: negotiated; mesh: sent as is). Default 0. */
  proto?: 0 | 1;
  /** Receives every data event (not pings or negotiation). */
  onEvent?: EventHandler;
  /** Stream inputs pause reading while this is closed (none: always read). */
  inboundGate?: InboundGate;
  tls?: TlsSettings;
  /** Multicast TTL (PYTAK_MULTICAST_TTL), 1-255; default 1. */
  ttl?: number;
  /** Multicast interfaces by name or IPv4 address (PYTAK_MULTICAST_LOCAL_ADDR(S)). */
  interfaces?: string[];
  /**
   * MAX_OUT_QUEUE: a listener's queue per client; default 100. Clients and line outputs keep
   * no queue under the router (its link does); used on their own, they hold this many.
   */
  maxQueue?: number;
  /**
   * Stream clients and line outputs: bytes handed to the socket or file and not yet taken by
   * the kernel, at most; default 64 KiB. Past it the output is not writable and events wait
   * in the router's lanes. These are given back if the connection dies.
   */
  maxInFlightBytes?: number;
  /**
   * Reconnect delays. Stream clients reset to the first delay after a connection that
   * stayed up `resetAfterMs` (default DEFAULTS.backoffResetAfterMs, 30 s).
   */
  backoff?: BackoffOptions;
  /** Default 10 s. */
  connectTimeoutMs?: number;
  /**
   * TCP keepalive idle time; default 10 s, 0 disables. Node then probes every second and
   * gives up after 10 unanswered probes, so a dead idle link is noticed within about 20 s.
   */
  keepAliveMs?: number;
  /** Ping (t-x-c-t) after this much read silence; default 15 s (as ATAK), 0 disables. */
  pingAfterMs?: number;
  /**
   * Reconnect after this much read silence; default 60 s for clients, 120 s for listener
   * clients; 0 disables. Clients apply it only to a peer that has sent something on this
   * connection (a pong will do): a plain consumer that never sends is not disconnected
   * for its silence (keepalive and write errors watch that link).
   */
  idleTimeoutMs?: number;
  /** How long to wait for t-x-takp-r after asking for v1; default 60 s (tak-protocol.md §4.1). */
  negotiationTimeoutMs?: number;
  /**
   * Streams with proto 1: hold events this long after connecting for the server's v1 offer
   * (XML is sent meanwhile otherwise, which the protocol allows); default 0.
   */
  offerWaitMs?: number;
  /** Largest event accepted on a stream; default 64 KiB (as commoncommo). */
  maxEventBytes?: number;
  /** Event sent first on every new connection (e.g. our own PLI); none by default. */
  hello?: () => CotEvent | undefined;
  /** PYTAK_NO_HELLO: never send the hello, even when one is configured. */
  noHello?: boolean;
  /** Pause between writes (PYTAK_SLEEP, FTS_COMPAT). */
  pauseBetweenWritesMs?: () => number;
  /** Give up (state 'failed') after this many failed attempts in a row; default never. */
  maxAttempts?: number;
  /** Our uid, for ping uids. */
  ownUid?: string;
  /** Listeners: connected clients at most; more are refused. Default 256 (same as limits.maxClients). */
  maxClients?: number;
  /** Listeners: per-address limits, deadlines and bounds (listener-limits.ts); each has a default. */
  limits?: Partial<ListenerLimits>;
  /** Listeners (tcp+listen, tls+listen, sending and receiving): the hub this listener's clients belong to. */
  hub?: HubMembership;
  /** mqtt://, mqtts://: QoS, keepalive, client id, user and password (MQTT_*). */
  mqtt?: MqttSettings;
  /** marti:// and marti+http:// (TAK Server REST): the injector uid and the polling windows. */
  marti?: MartiClientSettings;
  /** How often interface names are re-resolved to addresses; default 10 s. */
  interfaceRecheckMs?: number;
  /** The transport's own keys (its row's `keys`, contract.ts) as its section set them, defaults applied. */
  own?: TransportKeyValues;
}

export interface MartiClientSettings {
  /** MARTI_COT_UID: the `uid` of injected events' JSON; default our own uid. */
  cotUid?: string;
  /** MARTI_POLL_INTERVAL: how often GET /Marti/api/cot/sa is asked; default 5 s. */
  pollIntervalMs?: number;
  /** MARTI_POLL_SECONDS_AGO: how far back the first window reaches; default 30 s. */
  pollSecondsAgoMs?: number;
}

export const DEFAULTS = {
  maxQueue: 100,
  maxInFlightBytes: 64 * 1024,
  connectTimeoutMs: 10_000,
  keepAliveMs: 10_000,
  pingAfterMs: 15_000,
  idleTimeoutMs: 60_000,
  listenerIdleTimeoutMs: 120_000,
  /** A client connection up this long was healthy: the next reconnect starts from the first delay. */
  backoffResetAfterMs: 30_000,
  negotiationTimeoutMs: 60_000,
  maxEventBytes: 65_536,
  interfaceRecheckMs: 10_000,
  ownUid: 'takd',
  maxClients: 256,
  martiPollIntervalMs: 5_000,
  martiPollSecondsAgoMs: 30_000,
} as const;
