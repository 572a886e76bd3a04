/**
 * The effective configuration as typed records for the daemon: one per section, units
 * converted (seconds → ms), TLS keys gathered. Built from a LoadedConfig, which keeps the
 * origins for `config show`.
 */
import { parseBoundingBox, parseCircle, parseFsyncPolicy, type FsyncPolicy, type OutputFilterConfig, type RateLimit } from './routing-values.js';
import type { DriverSettings } from '../hal/index.js';
import type { LoadedConfig, SectionValues } from './loader.js';
import type { TlsSettings } from '../daemon/transports/tls-options.js';
import { parseTransportUrl, transportDirection, transportOwnKeys, transportRole, type TransportKeyValues, type TransportSpec } from '../daemon/transports/url.js';
import { splitSectionId } from './schema.js';
import { martiSettings, type MartiSettings } from '../daemon/marti/settings.js';
import { enrollmentSettings, pkiSettings, type EnrollmentSettings, type PkiSettings } from '../daemon/pki/settings.js';
import { isEnrollLink, parseEnrollLink } from '../daemon/enroll/link.js';
import type { ConfigValue } from './values.js';

/** A section's TLS files and options: the transports' own settings type, documented there. */
export type TlsFiles = TlsSettings;

export interface SourceConfig {
  /** `source.gps` */
  id: string;
  driver: string;
  link: string;
  enabled: boolean;
  /** The driver's own keys (its row's `keys`), as given: each driver applies its own defaults. */
  settings: DriverSettings;
}

/** Listener limits set in the file (ms); what is not set keeps the transport's default. */
export interface ListenerLimitSettings {
  maxClients?: number;
  maxPerAddress?: number;
  handshakeTimeoutMs?: number;
  firstEventTimeoutMs?: number;
  eventTimeoutMs?: number;
  idleTimeoutMs?: number;
  stallTimeoutMs?: number;
}

/** A listener's place in the hub (daemon/hub). */
export interface HubMemberSettings {
  member: boolean;
  bindIdentity: boolean;
}

export interface InputConfig {
  id: string;
  url: string;
  /** The URL parsed once: role and direction come from here (transportRole, transportDirection). */
  spec: TransportSpec;
  tls: TlsFiles;
  limits: ListenerLimitSettings;
  hub: HubMemberSettings;
}

export interface OutputConfig {
  id: string;
  url: string;
  /** The URL parsed once: role and direction come from here (transportRole, transportDirection). */
  spec: TransportSpec;
  proto: 0 | 1;
  ttl: number;
  interfaces: string[];
  tls: TlsFiles;
  maxQueue: number;
  maxInFlightBytes: number;
  sleepMs: number;
  ftsCompat: boolean;
  hello: boolean;
  pli: boolean;
  /** The values of its transport's own keys (the row's `keys`: mqtt_qos, marti_poll_interval, …). */
  own: TransportKeyValues;
  limits: ListenerLimitSettings;
  hub: HubMemberSettings;
  routing: OutputRouting;
  /**
   * A tak:// link, or a tls:// URL with enroll_username and enroll_password: the client
   * certificate comes from the server's enrollment port (daemon/enroll) before the tls://
   * transport in `spec` is built.
   */
  enroll?: OutputEnrollment;
  /** [output.*] package / PREF_PACKAGE: a connection package whose certificates are extracted at start. */
  package?: string;
}

export interface OutputEnrollment {
  host: string;
  port: number;
  username: string;
  /** Token or password: a secret. */
  password: string;
  passphrase?: string;
}

/** An output's routing policy ([output.*] types, from, bbox, rate_*, store, …). */
export interface OutputRouting {
  filter: OutputFilterConfig;
  rate: RateLimit;
  maxEventBytes?: number;
  /** Undefined: no durable queue. */
  store?: { maxBytes: number; fsync: FsyncPolicy };
}

export interface TakdConfig {
  file: string | undefined;
  identity: { callsign?: string; uid?: string; type: string; team: string; role: string; endpoint?: string };
  shutdownTimeoutMs: number;
  maxInQueue: number;
  /** [takd] hub_replay_ttl, hub_mailbox. */
  hub: { replayTtlMs: number; mailboxPerRecipient: number };
  sources: SourceConfig[];
  inputs: InputConfig[];
  outputs: OutputConfig[];
  pli: { enabled: boolean; noFix: 'last-known' | 'silent'; staleMs?: number; stationaryIntervalMs: number; movingSlowestMs: number; movingFastestMs: number; maxLastKnownAgeMs: number };
  health: { battery: boolean; remarks: boolean };
  log: { level: string; format: 'auto' | 'json' | 'pretty'; repeatIntervalMs: number };
  status: {
    dir?: string;
    http?: string;
    tokenFile?: string;
    requireToken?: boolean;
    apiRatePerMinute?: number;
    /** The console map's raster tile URL template ([status] tiles). */
    tiles?: string;
    tilesAttribution?: string;
    /** HTTPS and client certificates for the HTTP endpoint; clientCert applies with clientCa. */
    tls?: { cert?: string; key?: string; passwordFile?: string; clientCa?: string; clientCert: 'required' | 'optional' };
  };
  /** [marti]: the data-package server; undefined without a url. */
  marti?: MartiSettings;
  /** [pki]: the box's CA (always set; defaults apply). */
  pki: PkiSettings;
  /** [enrollment]: undefined without a url. */
  enrollment?: EnrollmentSettings;
  loaded: LoadedConfig;
}

class Reader {
  constructor(readonly values: SectionValues) {}
  value(key: string): ConfigValue | undefined {
    return this.values.get(key)?.value;
  }
  string(key: string): string {
    return String(this.value(key) ?? '');
  }
  optional(key: string): string | undefined {
    const value = this.value(key);
    return value === undefined || value === '' ? undefined : String(value);
  }
  number(key: string): number {
    return Number(this.value(key));
  }
  ms(key: string): number {
    return Math.round(Number(this.value(key)) * 1000);
  }
  boolean(key: string): boolean {
    return this.value(key) === true;
  }
  list(key: string): string[] {
    const value = this.value(key);
    return Array.isArray(value) ? value : [];
  }
}

function compact<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as T;
}

function listenerLimits(r: Reader): ListenerLimitSettings {
  const ms = (key: string): number | undefined => (r.value(key) === undefined ? undefined : r.ms(key));
  const count = (key: string): number | undefined => (r.value(key) === undefined ? undefined : r.number(key));
  return compact({
    maxClients: count('max_clients'),
    maxPerAddress: count('max_clients_per_address'),
    handshakeTimeoutMs: ms('handshake_timeout'),
    firstEventTimeoutMs: ms('first_event_timeout'),
    eventTimeoutMs: ms('event_timeout'),
    idleTimeoutMs: ms('idle_timeout'),
    stallTimeoutMs: ms('stall_timeout'),
  });
}

/** [status] HTTPS: undefined without a cert. */
function statusTls(r: Reader): TakdConfig['status']['tls'] {
  const cert = r.optional('cert');
  const clientCa = r.optional('client_ca');
  // client_ca without cert is kept: the endpoint's start refuses it, naming cert.
  if (cert === undefined && clientCa === undefined) return undefined;
  // Without client_ca the endpoint is HTTPS with the token only: no client certificates asked.
  const clientCert = clientCa !== undefined && r.optional('client_cert') === 'required' ? ('required' as const) : ('optional' as const);
  return compact({ cert, key: r.optional('key'), passwordFile: r.optional('password_file'), clientCa, clientCert });
}

function hubMember(r: Reader): HubMemberSettings {
  return { member: r.value('hub') !== false, bindIdentity: r.boolean('bind_identity') };
}

function tlsFiles(r: Reader): TlsFiles {
  return compact({
    cert: r.optional('cert'),
    key: r.optional('key'),
    password: r.optional('password'),
    passwordFile: r.optional('password_file'),
    ca: r.optional('ca'),
    clientCa: r.optional('client_ca'),
    clientCert: r.optional('client_cert') === 'optional' ? ('optional' as const) : undefined,
    dontVerify: r.value('dont_verify') === true ? true : undefined,
    dontCheckHostname: r.value('dont_check_hostname') === true ? true : undefined,
    expectedHostname: r.optional('expected_hostname'),
    ciphers: r.optional('ciphers'),
  });
}

/** Values were checked by the loader (schema `check`), so the routing parsers do not throw here. */
function outputRouting(r: Reader, spec: TransportSpec): OutputRouting {
  const filter: OutputFilterConfig = compact({
    types: r.list('types'),
    excludeTypes: r.list('exclude_types'),
    from: r.list('from'),
    // pli = false: our own position reports stay off this output.
    excludeFrom: r.boolean('pli') ? r.list('exclude_from') : [...r.list('exclude_from'), 'self'],
    bbox: r.optional('bbox') === undefined ? undefined : parseBoundingBox(r.string('bbox')),
    radius: r.optional('radius') === undefined ? undefined : parseCircle(r.string('radius')),
  });
  const rate: RateLimit = compact({
    bytesPerSecond: r.value('rate_bytes') === undefined ? undefined : r.number('rate_bytes'),
    eventsPerMinute: r.value('rate_events') === undefined ? undefined : r.number('rate_events'),
  });
  // A receive-only output sends nothing, so it has nothing to store.
  const sends = transportDirection(spec) !== 'receive';
  const stored = r.value('store') === undefined ? transportRole(spec) === 'server' : r.boolean('store');
  return compact({
    filter,
    rate,
    maxEventBytes: r.value('max_event_bytes') === undefined ? undefined : r.number('max_event_bytes'),
    store: stored && sends ? { maxBytes: r.number('store_max_bytes'), fsync: parseFsyncPolicy(r.string('fsync')) } : undefined,
  });
}

/** Keys every [source.*] section has; the rest of a section are its driver's (the loader refused others). */
const COMMON_SOURCE_KEYS = new Set(['driver', 'link', 'enabled']);

function driverSettings(values: SectionValues): DriverSettings {
  return Object.fromEntries([...values].filter(([key]) => !COMMON_SOURCE_KEYS.has(key)).map(([key, setting]) => [key, setting.value]));
}

/**
 * Plain code-unit order, the same on every machine: localeCompare would build an ICU collator,
 * megabytes of memory that stay resident for a daemon that sorts a few section names once.
 */
function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function named(config: LoadedConfig, kind: string): [string, Reader][] {
  return [...config.sections]
    .filter(([id]) => splitSectionId(id).kind === kind)
    .sort(([a], [b]) => byCodeUnit(a, b))
    .map(([id, values]) => [id, new Reader(values)]);
}

/** The section's values of its transport's own keys (the loader refused those of other transports). */
function ownValues(r: Reader, spec: TransportSpec): TransportKeyValues {
  const own: Record<string, string | number | boolean | string[]> = {};
  for (const key of transportOwnKeys(spec)) {
    const value = r.value(key.key);
    if (value !== undefined) own[key.key] = value;
  }
  return own;
}

/** A tak:// link → the tls:// it connects to; tls:// with enroll_username/enroll_password → itself. */
function enrollment(r: Reader): { spec: TransportSpec; enroll?: OutputEnrollment } {
  const url = r.string('url');
  const port = r.number('enroll_port');
  const passphrase = r.optional('enroll_passphrase');
  const secret = passphrase === undefined ? {} : { passphrase };
  if (isEnrollLink(url)) {
    const link = parseEnrollLink(url);
    return { spec: { kind: 'tls', host: link.host, port: link.port ?? 8089, direction: 'both' }, enroll: { host: link.host, port, username: link.username, password: link.token, ...secret } };
  }
  const spec = parseTransportUrl(url);
  const username = r.optional('enroll_username');
  const password = r.optional('enroll_password');
  if (spec.kind !== 'tls' || username === undefined || password === undefined) return { spec };
  return { spec, enroll: { host: spec.host, port, username, password, ...secret } };
}

function outputConfig(id: string, r: Reader): OutputConfig {
  // The loader checked the URL (schema type transport-url), so this does not throw.
  const { spec, enroll } = enrollment(r);
  return {
    id,
    url: r.string('url'),
    spec,
    proto: r.string('proto') === '1' ? 1 : 0,
    ttl: r.number('ttl'),
    interfaces: r.list('interface'),
    tls: tlsFiles(r),
    maxQueue: r.number('max_queue'),
    maxInFlightBytes: r.number('max_in_flight'),
    sleepMs: r.ms('sleep'),
    ftsCompat: r.boolean('fts_compat'),
    hello: r.boolean('hello'),
    pli: r.boolean('pli'),
    own: ownValues(r, spec),
    limits: listenerLimits(r),
    hub: hubMember(r),
    routing: outputRouting(r, spec),
    ...(enroll === undefined ? {} : { enroll }),
    ...(r.optional('package') === undefined ? {} : { package: r.string('package') }),
  };
}

export function viewConfig(loaded: LoadedConfig): TakdConfig {
  const single = (name: string): Reader => new Reader(loaded.sections.get(name) ?? new Map());
  const takd = single('takd');
  const pli = single('pli');
  const log = single('log');
  const status = single('status');
  const health = single('health');
  return {
    file: loaded.file,
    identity: compact({
      callsign: takd.optional('callsign'),
      uid: takd.optional('uid'),
      type: takd.string('type'),
      team: takd.string('team'),
      role: takd.string('role'),
      endpoint: takd.optional('endpoint'),
    }),
    shutdownTimeoutMs: takd.ms('shutdown_timeout'),
    maxInQueue: takd.number('max_in_queue'),
    hub: { replayTtlMs: takd.ms('hub_replay_ttl'), mailboxPerRecipient: takd.number('hub_mailbox') },
    sources: named(loaded, 'source').map(([id, r]) => ({ id, driver: r.string('driver'), link: r.string('link'), enabled: r.boolean('enabled'), settings: driverSettings(r.values) })),
    inputs: named(loaded, 'input').map(([id, r]) => ({ id, url: r.string('url'), spec: parseTransportUrl(r.string('url')), tls: tlsFiles(r), limits: listenerLimits(r), hub: hubMember(r) })),
    outputs: named(loaded, 'output').map(([id, r]) => outputConfig(id, r)),
    pli: compact({
      enabled: pli.boolean('enabled'),
      noFix: pli.string('no_fix') === 'silent' ? 'silent' : 'last-known',
      staleMs: pli.value('stale') === undefined ? undefined : pli.ms('stale'),
      stationaryIntervalMs: pli.ms('stationary_interval'),
      movingSlowestMs: pli.ms('moving_slowest'),
      movingFastestMs: pli.ms('moving_fastest'),
      maxLastKnownAgeMs: pli.ms('max_last_known_age'),
    }),
    health: { battery: health.boolean('battery'), remarks: health.boolean('remarks') },
    log: { level: log.string('level'), format: log.string('format') as 'auto' | 'json' | 'pretty', repeatIntervalMs: log.ms('repeat_interval') },
    status: compact({
      dir: status.optional('dir'),
      http: status.optional('http'),
      tokenFile: status.optional('token_file'),
      requireToken: status.boolean('require_token'),
      apiRatePerMinute: status.number('api_rate'),
      tiles: status.optional('tiles'),
      tilesAttribution: status.optional('tiles_attribution'),
      tls: statusTls(status),
    }),
    marti: martiSettings(loaded.sections.get('marti')),
    pki: pkiSettings(loaded.sections.get('pki')),
    enrollment: enrollmentSettings(loaded.sections.get('enrollment')),
    loaded,
  };
}

/** A section's settings without origins: equal fingerprints mean "unchanged" on reload. */
export function sectionFingerprint(loaded: LoadedConfig, id: string): string {
  const values = loaded.sections.get(id);
  if (values === undefined) return '';
  return JSON.stringify([...values].sort(([a], [b]) => byCodeUnit(a, b)).map(([k, s]) => [k, s.value]));
}
