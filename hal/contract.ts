/**
 * The HAL contract: everything the daemon knows about hardware, as types only.
 *
 * Layers, bottom up: a LinkProvider opens a ByteLink (serial, tcp, replay, mock); a Framer
 * cuts the byte stream into frames; a Decoder turns one frame into a message; a Source runs
 * one device (link + framer + decoder) and owns reconnecting; a Driver is the table row that
 * says all a device family is (what it produces, link defaults, its config keys) and opens
 * a DriverInstance per configured source (the Source plus that source's state and outbound
 * side). The daemon sees the table and DriverInstances only.
 */
import type { LinkState } from '../util/link-state.js';
import type { CotEvent } from '../daemon/codec/event.js';
import type { Logger } from '../util/logger.js';

// ---------------------------------------------------------------------------------------
// Logging

/**
 * The logger a HAL component is given: the one Logger (util/logger.ts; pino satisfies it).
 * Payload objects go first.
 */
export type HalLogger = Logger;

// ---------------------------------------------------------------------------------------
// Links

/** Why a link's chunk iteration ended with an error. */
export type LinkErrorKind =
  /** The device went away (USB unplugged, /dev node removed, TCP peer closed or reset). Retry. */
  | 'disconnected'
  /** close() was called locally. Do not retry. */
  | 'canceled'
  /** open failed (no such device, permission denied, connection refused). Retry with backoff. */
  | 'open-failed';

/** The error a link reports; `kind` tells the Source what to do next. */
export interface LinkError extends Error {
  readonly kind: LinkErrorKind;
}

/**
 * A parsed link URL: `serial:///dev/ttyUSB0?baud=9600`, `tcp://127.0.0.1:2947`,
 * `file:///x.log?pace=baud|time|fast&baud=4800&loop=1`, `sim://?lat=…&lon=…&speed=walk|drive|m/s`.
 */
export interface LinkOptions {
  url: URL;
  /** Bits per second: the URL's `baud`, else on serial the driver's default; replay pacing default 4800. */
  baud?: number;
}

/**
 * A byte stream to and from one device.
 *
 * - `chunks()` may be iterated once. It yields chunks in arrival order (any size, never
 *   empty) and ends normally only at the end of a finite input (a replay file). When the
 *   device goes away it throws a LinkError of kind `disconnected`; after `close()` it ends
 *   with kind `canceled` (or normally, if it was idle).
 * - `write()` resolves once the bytes are handed to the OS; it rejects with `disconnected`
 *   when the device is gone. Links that cannot write (replay) reject with `canceled`.
 * - `close()` is idempotent and resolves once the OS handle is released.
 */
export interface ByteLink {
  readonly description: string;
  /**
   * Chunks this link threw away because its reader was too far behind: only links that
   * cannot hold the sender back (UDP) drop, and count here over the link's life.
   */
  readonly dropped?: number;
  chunks(): AsyncIterable<Buffer>;
  write(bytes: Buffer): Promise<void>;
  close(): Promise<void>;
}

/** A device family's link settings, used when the link URL does not say. */
export interface LinkDefaults {
  /** serial:// speed, bits per second (NMEA GPS 4800, AIS 38400, Meshtastic 115200). */
  baud?: number;
  /** tcp:// port (gpsd 2947, Meshtastic 4403, Dire Wolf KISS 8001). */
  port?: number;
}

/** A kind of link (one per URL scheme). `open` rejects with a LinkError of kind `open-failed`. */
export interface LinkProvider {
  readonly scheme: string;
  open(options: LinkOptions): Promise<ByteLink>;
  /** Devices this provider can see now (serial ports); [] where listing makes no sense. */
  list?(): Promise<DeviceInfo[]>;
}

/** One device as `takd serial list` shows it. */
export interface DeviceInfo {
  /** The path to open: the stable /dev/serial/by-id/ link when there is one. */
  path: string;
  /** The kernel node it points to, e.g. /dev/ttyUSB0. */
  node: string;
  vendorId?: string;
  productId?: string;
  manufacturer?: string;
  serialNumber?: string;
  /** The driver whose USB fingerprint matches, when one does. */
  likelyDriver?: string;
}

// ---------------------------------------------------------------------------------------
// Framers and decoders

/** What a framer counts. Every dropped byte is counted exactly once. */
export interface FramerCounters {
  frames: number;
  bytesDropped: number;
  badChecksum: number;
  oversize: number;
}

/**
 * A pure, synchronous state machine: bytes in, frames out.
 * Obligations: never throws on any input; memory bounded by its configured maximum frame
 * size; after garbage it resynchronises at the next frame start; `emit` is called in order
 * and synchronously inside `push`. A frame passed to `emit` is only valid during the call.
 */
export interface Framer<F> {
  push(chunk: Buffer, emit: (frame: F) => void): void;
  /** Drops any partial frame (after a reconnect). Counters are kept. */
  reset(): void;
  readonly counters: Readonly<FramerCounters>;
}

/**
 * One frame → zero or more messages. Never throws on input: a frame that does not decode
 * is counted (by reason) and produces nothing. Decoders may keep state across frames
 * (an NMEA decoder assembles one fix per epoch), so `flush` emits what is still pending
 * at end of input.
 */
export interface Decoder<F, M> {
  decode(frame: F, emit: (message: M) => void): void;
  flush(emit: (message: M) => void): void;
  /** Forgets what was learnt about the stream (after a reconnect the device may be another one). */
  reset?(): void;
  readonly counters: Readonly<Record<string, number>>;
}

// ---------------------------------------------------------------------------------------
// GNSS fixes: what GPS drivers produce and the PLI reporter consumes

/** Fix mode as gpsd numbers it. */
export type FixMode = 0 | 1 | 2 | 3;

/** Fix quality beyond the mode (gpsd TPV `status`): 1 normal, 2 DGPS, 3 RTK fixed, 4 RTK float, 5 DR, 6 GNSS+DR, 7 time only, 8 simulated, 9 P(Y)/PPS. */
export type FixStatus = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;

/**
 * One fix epoch, with gpsd TPV names and units. Fields are present only when the epoch's
 * sentences carried them (or, for eph/epv, when they could be estimated).
 */
export interface GnssFix {
  /** UTC epoch ms of the fix; absent until the date is known. */
  time?: number;
  mode: FixMode;
  status?: FixStatus;
  lat?: number;
  lon?: number;
  /** Metres above mean sea level. */
  altMSL?: number;
  /** Metres above the WGS-84 ellipsoid (altMSL + geoidSep). */
  altHAE?: number;
  geoidSep?: number;
  /** Metres per second over ground. */
  speed?: number;
  /** Degrees true. */
  track?: number;
  /** Estimated horizontal error, metres, ~95 %. */
  eph?: number;
  /** Estimated vertical error, metres, ~95 %. */
  epv?: number;
  hdop?: number;
  vdop?: number;
  pdop?: number;
  satellitesUsed?: number;
  satellitesVisible?: number;
  /**
   * Decimal places of degrees the receiver's own text resolves (NMEA minutes' decimals + 2):
   * an RTK receiver writing `ddmm.mmmmmmm` says 9. Events built from the fix print at least 7.
   */
  latLonDecimals?: number;
  /** Decimal places of the receiver's altitude text (GGA/GNS altitude and geoid separation). */
  altitudeDecimals?: number;
  /** The sentence types that made this epoch, e.g. ['GGA', 'GSA', 'RMC']. */
  sentences: string[];
}

// ---------------------------------------------------------------------------------------
// Drivers and sources

/** What a driver's toCot gets besides the message. */
export interface CotContext {
  /** The source id, e.g. `source.ais`. */
  sourceId: string;
  /** Current time, epoch ms (injected so tests can fix it). */
  now: number;
}

/** A USB fingerprint in the driver table: vendor/product ids as 4 lower-case hex digits. */
export interface UsbFingerprint {
  vendorId: string;
  productId?: string;
  /** Why this id suggests this driver (chip name), for `takd serial list`. */
  note: string;
}

/**
 * The type of a driver's config key, as config/values.ts parses it (a subset of its
 * ValueType: what a device setting needs). The loader has checked the value against it
 * before the driver sees it.
 */
export type DriverKeyType =
  | { kind: 'string'; pattern?: RegExp; hint?: string }
  | { kind: 'integer'; min: number; max: number; unit?: string }
  | { kind: 'number'; min: number; max: number; unit?: string }
  | { kind: 'boolean' }
  | { kind: 'enum'; values: readonly string[] };

/**
 * A `[source.*]` key that belongs to one driver. Config reads it only for that driver
 * (refused on another), docs/configuration.md lists it under the driver, and the driver
 * applies its own default (so `takd config show` prints only what was given).
 */
export interface DriverKey {
  key: string;
  type: DriverKeyType;
  /** The default as a reader should see it (the driver applies it). */
  defaultText?: string;
  doc: string;
}

/** A source's values of its driver's keys, parsed by their DriverKeyType; absent: not given. */
export type DriverSettings = Readonly<Record<string, string | number | boolean | string[]>>;

/** What the daemon gives a driver to open one source. */
export interface DriverOpenOptions {
  /** The source id, e.g. `source.ais`. */
  id: string;
  /** The link URL as configured; the driver's link defaults fill in what it does not say. */
  url: string;
  providers: Map<string, LinkProvider>;
  logger: HalLogger;
  /** Messages kept for a slow consumer before the oldest are dropped. */
  queueCapacity?: number;
  /** The driver's own keys as given in the source's section. */
  settings: DriverSettings;
  /** The box's current own fix (a fresh one only), for outbound position reports (the APRS beacon). */
  ownFix(): GnssFix | undefined;
}

/**
 * One source's driver: the running device plus the state that belongs to this source alone
 * (a Meshtastic session, an APRS beacon timer, the CoT settings of its section).
 * `stop()` stops everything it started, the Source included.
 */
export interface DriverInstance<M = unknown> {
  readonly source: Source<M>;
  /** The message as CoT (produces 'cot'), or undefined when it is not one. */
  toCot?(message: M, context: CotContext): CotEvent | undefined;
  /**
   * A fix of the box's own position carried by the message. Drivers that produce 'fix' need
   * not say: every message is one. A 'cot' driver may carry some (AIS own ship).
   */
  ownFix?(message: M): GnssFix | undefined;
  /**
   * The outbound side fed by the router: CoT to the device (Meshtastic). An outbound side of
   * the driver's own (the APRS beacon's timer, from options.ownFix) needs no slot: it lives
   * in the instance, shows in counters() and ends with stop().
   */
  outbound?: DriverOutbound;
  /** Counters besides the Source's (beacons sent, airtime), for status.json. */
  counters?(): Record<string, number>;
  /** A clause added to the status detail while running ("handshake in progress"), if any. */
  note?(): string | undefined;
  stop(): Promise<void>;
}

/** A source that also takes CoT from the router: it is a router output under its own id. */
export interface DriverOutbound {
  /** Offers an event; false when this source does not carry it (counted by the driver). Never throws. */
  send(event: CotEvent): boolean;
  /** Whether the device takes events now (Meshtastic: its handshake completed). */
  ready(): boolean;
}

/**
 * A device family: a row in the driver table (registry.ts), gpsd's `struct gps_type_t`.
 * `M` is the driver's message type (GnssFix for GPS drivers). hal/drivers/_template/ explains
 * every slot with a working example.
 */
export interface Driver<F = unknown, M = unknown> {
  /** The `driver = …` name in config. */
  name: string;
  summary: string;
  /** Not offered to users: config refuses the name and docs leave it out (the template). */
  hidden?: boolean;
  /**
   * What its messages are: `fix` — GnssFix epochs of the box's own position, for the PLI
   * reporter; `cot` — things that become CoT by themselves (toCot) and go to the router.
   */
  produces: 'fix' | 'cot';
  /** Link defaults, applied where the link URL does not say (applyLinkDefaults in links/index.ts). */
  defaults: LinkDefaults;
  /** The link when the config gives none (gpsd: tcp://127.0.0.1:2947); absent: link is required. */
  defaultLink?: string;
  usb: UsbFingerprint[];
  /** The driver's own `[source.*]` keys, refused on every other driver. */
  keys: readonly DriverKey[];
  framer(): Framer<F>;
  decoder(): Decoder<F, M>;
  /** Messages that are CoT by themselves, with the default settings (AIS targets, APRS stations). */
  toCot?(message: M, context: CotContext): CotEvent | undefined;
  /** Bytes to send after the link opens (e.g. gpsd's WATCH command). */
  onOpen?(): Buffer | undefined;
  /**
   * Opens one source with its settings. Absent: the plain source (framer, decoder, onOpen,
   * toCot as above; openDriver in hal/open.ts). Drivers with settings, per-source state or
   * an outbound side (APRS beacon, Meshtastic send) provide it.
   */
  open?(options: DriverOpenOptions): DriverInstance<M>;
  /** Whether a source with these settings feeds the box's own position; default: produces === 'fix'. */
  givesOwnFix?(settings: DriverSettings): boolean;
  /** Whether our own position reports go to a source with these settings (it is a router output). */
  takesOwnPli?(settings: DriverSettings): boolean;
}

/** A running device's health, by id: a human sentence plus counters (status.json). */
export interface SourceStatus {
  id: string;
  /** The one link vocabulary (util/link-state.ts); a source that gave up is its component's to say. */
  state: Exclude<LinkState, 'failed'>;
  /** e.g. "running on /dev/ttyUSB0", "device gone; retrying in 0.5 s". */
  detail: string;
  connects: number;
  disconnects: number;
  messages: number;
  /** Messages dropped, oldest first, because the consumer fell behind by the queue's capacity. */
  messagesDropped: number;
  /** Chunks (datagrams) the links dropped before framing, across reconnects (ByteLink.dropped). */
  linkDropped: number;
  framer: FramerCounters;
  decoder: Record<string, number>;
  lastError?: string;
}

/**
 * A running device as the daemon sees it.
 * - `messages()` may be iterated once; it keeps yielding across reconnects and ends only
 *   after `stop()` or when a finite link (replay) ends.
 * - The source owns its reconnect: a `disconnected`/`open-failed` link error is reported
 *   in status() and retried with backoff capped so that a returning device is picked up
 *   within 2 s.
 */
export interface Source<M> {
  readonly id: string;
  messages(): AsyncIterable<M>;
  status(): SourceStatus;
  write(bytes: Buffer): Promise<void>;
  stop(): Promise<void>;
}
