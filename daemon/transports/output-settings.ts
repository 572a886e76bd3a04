/**
 * An [output.*] section's transport settings → TransportOptions: the one mapping, used by
 * the daemon for its outputs and inputs and by `takd send` / `takd listen` for PyTAK's
 * environment (config/pytak-output.ts reads those keys through the configuration schema).
 * The daemon adds what only it knows (daemonTransportOptions): where received events go,
 * our uid, and our last PLI as the hello.
 */
import type { CotEvent } from '../codec/event.js';
import type { ListenerLimits } from './listener-limits.js';
import type { InboundGate } from './inbound-gate.js';
import type { TransportOptions } from './options.js';
import type { TransportKeyValues } from './contract.js';
import { kindOf } from './table.js';
import type { TransportSpec } from './url.js';
import type { TlsSettings } from './tls-options.js';
import type { EventHandler } from './types.js';
import type { Logger } from '../../util/logger.js';

/** PyTAK's pause between writes with FTS_COMPAT: a random part of 5 s. */
export const FTS_COMPAT_MAX_PAUSE_MS = 5_000;

/** The transport part of an output's configuration (config/view.ts OutputConfig has these). */
export interface OutputTransportSettings {
  proto: 0 | 1;
  tls: TlsSettings;
  ttl: number;
  interfaces: string[];
  maxQueue: number;
  /** Stream clients and files: bytes in flight at most (max_in_flight). */
  maxInFlightBytes: number;
  /** PYTAK_SLEEP: a fixed pause between writes, ms; 0: none. Wins over ftsCompat. */
  sleepMs: number;
  /** FTS_COMPAT: a random pause up to 5 s between writes. */
  ftsCompat: boolean;
  /** Listeners: the limits the file sets (the rest keep their defaults). */
  limits: Partial<ListenerLimits>;
  /** The URL parsed: its row (table.ts) maps `own` to options. */
  spec: TransportSpec;
  /** The values of the transport's own keys (mqtt_qos, marti_poll_interval, …; its row's `keys`). */
  own: TransportKeyValues;
  /** hello = yes: every new connection opens with our last PLI (daemonTransportOptions). */
  hello: boolean;
}

/** What the daemon's wiring gives a transport besides its section's settings. */
export interface DaemonTransportContext {
  /** The section id (`output.server`): the transport's name and the `from` of its events. */
  id: string;
  logger: Logger;
  onEvent: EventHandler;
  inboundGate: InboundGate;
  ownUid: string;
  /** Our last PLI, for a section with hello = yes. */
  lastReport: () => CotEvent | undefined;
}

/** A daemon output's or input's options: its section's settings plus the daemon's context. */
export function daemonTransportOptions(settings: Partial<OutputTransportSettings>, context: DaemonTransportContext): TransportOptions {
  const options: TransportOptions = {
    ...outputTransportOptions(settings),
    name: context.id,
    logger: context.logger,
    onEvent: context.onEvent,
    inboundGate: context.inboundGate,
    ownUid: context.ownUid,
  };
  if (settings.hello) options.hello = context.lastReport;
  return options;
}

/** Options for the settings given; a setting left out keeps the transport's default. */
export function outputTransportOptions(settings: Partial<OutputTransportSettings>): TransportOptions {
  const options: TransportOptions = {};
  if (settings.proto !== undefined) options.proto = settings.proto;
  if (settings.tls !== undefined && Object.keys(settings.tls).length > 0) options.tls = settings.tls;
  if (settings.ttl !== undefined) options.ttl = settings.ttl;
  if (settings.interfaces !== undefined && settings.interfaces.length > 0) options.interfaces = settings.interfaces;
  if (settings.maxQueue !== undefined) options.maxQueue = settings.maxQueue;
  if (settings.maxInFlightBytes !== undefined) options.maxInFlightBytes = settings.maxInFlightBytes;
  if (settings.limits !== undefined && Object.keys(settings.limits).length > 0) options.limits = settings.limits;
  if (settings.own !== undefined) {
    options.own = settings.own;
    if (settings.spec !== undefined) Object.assign(options, kindOf(settings.spec).options?.(settings.own));
  }
  const pause = pauseBetweenWrites(settings.sleepMs ?? 0, settings.ftsCompat ?? false);
  if (pause !== undefined) options.pauseBetweenWritesMs = pause;
  return options;
}

/** PYTAK_SLEEP (fixed) or FTS_COMPAT (random up to 5 s); undefined: no pause. */
export function pauseBetweenWrites(sleepMs: number, ftsCompat: boolean): (() => number) | undefined {
  if (sleepMs > 0) return () => sleepMs;
  if (ftsCompat) return () => Math.floor(Math.random() * FTS_COMPAT_MAX_PAUSE_MS);
  return undefined;
}
