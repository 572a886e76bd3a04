/**
 * The transport table's row: everything a transport is, as the HAL's Driver record
 * (hal/contract.ts) is for a device family. One row per URL scheme (tcp, tls, tcp+listen,
 * udp, mqtt, wss, …) in table.ts. The URL parser, the router's role, the configuration's
 * keys and docs, `takd send`/`takd listen` and the daemon read a transport from its row
 * alone; its code is loaded only when a configuration opens it. _template/ explains every
 * slot with a working example.
 */
import type { TransportOptions } from './options.js';
import type { Transport } from './types.js';
import type { UrlParts } from './url-parts.js';
import type { Direction, TransportRole } from './url.js';

export type { UrlParts } from './url-parts.js';

/** What every parsed URL has: the row that made it is found again by `kind`. */
export interface SpecBase {
  kind: string;
  direction?: Direction;
}

/**
 * The type of a transport's config key, as config/values.ts parses it (a subset of its
 * ValueType). The loader has checked the value before the transport sees it.
 */
export type TransportKeyType =
  | { kind: 'string'; pattern?: RegExp; hint?: string }
  | { kind: 'integer'; min: number; max: number; unit?: string }
  | { kind: 'number'; min: number; max: number; unit?: string }
  | { kind: 'boolean' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'list' };

/**
 * An [output.*] / [input.*] key that belongs to some transports only (mqtt_qos, ttl). Config
 * takes it only in a section whose URL's row lists it (refused elsewhere), and
 * docs/configuration.md lists it under each such transport.
 */
export interface TransportKey {
  key: string;
  type: TransportKeyType;
  /** Built-in default (applied by config) ... */
  default?: string | number | boolean;
  /** ... or how it is found, for the docs and `takd config show`. */
  defaultText?: string;
  doc: string;
  /** Never printed or logged. */
  secret?: boolean;
  /** The PyTAK environment key that sets it for every output (PyTAK's names). */
  pytak?: string;
}

/** A section's values of a row's keys, parsed by their types; absent: not given. */
export type TransportKeyValues = Readonly<Record<string, string | number | boolean | string[]>>;

/** What a row loads on first use: spec and options → a stopped transport. */
export interface TransportModule<S extends SpecBase> {
  create(spec: S, options: TransportOptions): Transport;
}

export interface TransportKind<S extends SpecBase = SpecBase> {
  /** The scheme as written before any modifier: `tcp` of tcp+listen+ro://. */
  scheme: string;
  /** Other names for it (ssl for tls). */
  aliases?: readonly string[];
  /**
   * True: this row answers the scheme with `+listen` (a server others connect to); false:
   * without it. tcp and tcp+listen are two rows of one scheme.
   */
  listens: boolean;
  /** Modifiers it takes besides listen: wo (send only), ro (receive only), broadcast, http. */
  modifiers: readonly string[];
  /** The spec kinds its parse makes; a spec finds its row (role, open) by kind. */
  kinds: readonly S['kind'][];
  /** What the far end is to the router (daemon/routing/roles.ts); +wo/+ro never change it. */
  role: TransportRole;
  /** Whether it can receive at all (log:// and file:// cannot: `takd listen` refuses them). */
  receives: boolean;
  /** The URL's form with its default port, for `takd send --help` / `takd listen --help` and the docs. */
  usage: string;
  /** What it is, one line, after the usage. */
  summary: string;
  /** A URL of this row that parses, for the docs and the tests that walk the table. */
  example: string;
  /** URL → spec, with the defaults applied; throws TransportConfigError (key `url`). */
  parse(parts: UrlParts): S;
  /** Which TLS material it loads (config checks it at load time): as a client, as a server, or none. */
  tls?(spec: S): 'client' | 'server' | undefined;
  /** Its own section keys, refused on other transports. */
  keys: readonly TransportKey[];
  /** Those keys' values → its options (a key not given keeps the transport's default). */
  options?(values: TransportKeyValues): Partial<TransportOptions>;
  /** Loads the transport's code (`await import`) and gives its constructor: code only a configuration that uses it pays for. */
  load(): Promise<TransportModule<S>>;
  /** Not offered to users: URLs refuse the scheme and docs leave it out (the template). */
  hidden?: boolean;
}
