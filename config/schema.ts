/**
 * The configuration schema: one table that drives parsing, validation, defaults, the
 * environment and flag names, `takd config show` and docs/configuration.md.
 *
 * Sections read as the pipeline: [takd] identity, [source.NAME] devices, [input.NAME]
 * network inputs, [output.NAME] destinations, [pli], [health], [log], [status]. [pytak]
 * holds PyTAK's keys (generated below from the `pytak` column of the other sections), so an
 * existing PyTAK gateway's config.ini and environment work unchanged.
 */
import { parseBoundingBox, parseCircle, parseFsyncPolicy } from './routing-values.js';
import { parseAdvertise, parseMartiUrl } from '../daemon/marti/settings.js';
import { parseTileUrl } from './tile-url.js';
import { parseEnrollmentUrl } from '../daemon/pki/settings.js';
import { userDrivers } from '../hal/index.js';
import { userTransportKinds, type RegisteredKind } from '../daemon/transports/table.js';
import type { ConfigValue, ValueType } from './values.js';

export interface KeySpec {
  key: string;
  type: ValueType;
  /** Built-in default; undefined: unset unless `defaultText` says how it is derived. */
  default?: ConfigValue;
  /** How the default is found when it is not a constant (docs and `config show`). */
  defaultText?: string;
  doc: string;
  /** Never printed or logged: `config show` prints `<redacted>`. */
  secret?: boolean;
  required?: boolean;
  /** A command-line shortcut besides `--set section.key=value`. */
  flag?: string;
  /** The PyTAK key that sets this for every section of this kind (outputs). */
  pytak?: string;
  /** The PyTAK key means the opposite (PYTAK_NO_HELLO ↔ hello). */
  pytakInverted?: boolean;
  /** [source.*] keys of drivers: the drivers that take it (its type and doc are each driver's own). */
  drivers?: string[];
  /** [output.*] keys of transports: the schemes that take it, as `mqtt`, `tcp+listen` (type and doc: each row's own). */
  transports?: string[];
}

export interface SectionSpec {
  /** `takd`, or the kind of a named section: `source` for [source.NAME]. */
  name: string;
  /** Named sections appear any number of times as [name.NAME]. */
  named: boolean;
  doc: string;
  keys: KeySpec[];
}

const seconds = (min: number, max: number): ValueType => ({ kind: 'number', min, max, unit: 's' });
const TEAMS = ['White', 'Yellow', 'Orange', 'Magenta', 'Red', 'Maroon', 'Purple', 'Dark Blue', 'Blue', 'Cyan', 'Teal', 'Green', 'Dark Green', 'Brown'];
const ROLES = ['Team Member', 'Team Lead', 'HQ', 'Sniper', 'Medic', 'Forward Observer', 'RTO', 'K9'];
const COT_TYPE: ValueType = { kind: 'string', pattern: /^[a-z](-[A-Za-z0-9.]+)+$/, hint: 'a CoT type such as a-f-G-U-C' };

/** The drivers a section may name: the table's rows, less the hidden ones (the template). */
export const DRIVER_NAMES: readonly string[] = userDrivers().map((d) => d.name);

const tlsKeys = (side: 'client' | 'server'): KeySpec[] => [
  { key: 'cert', type: { kind: 'path' }, doc: side === 'client' ? 'TLS client certificate: PEM, PEM with key, or .p12/.pfx' : 'TLS server certificate (PEM with key, or .p12/.pfx)', pytak: side === 'client' ? 'PYTAK_TLS_CLIENT_CERT' : undefined },
  { key: 'key', type: { kind: 'path' }, doc: 'PEM private key, when not inside cert', pytak: side === 'client' ? 'PYTAK_TLS_CLIENT_KEY' : undefined },
  { key: 'password', type: { kind: 'string' }, secret: true, doc: 'password of the .p12 or encrypted key (prefer password_file)', pytak: side === 'client' ? 'PYTAK_TLS_CLIENT_PASSWORD' : undefined },
  { key: 'password_file', type: { kind: 'path' }, doc: 'file holding that password (one line)' },
  { key: side === 'client' ? 'ca' : 'client_ca', type: { kind: 'path' }, doc: side === 'client' ? 'CA bundle that signed the server certificate' : 'tls+listen: CA that client certificates must chain to; required unless client_cert = optional', pytak: side === 'client' ? 'PYTAK_TLS_CLIENT_CAFILE' : undefined },
  ...(side === 'server'
    ? [{ key: 'client_cert', type: { kind: 'enum', values: ['required', 'optional'] }, default: 'required', doc: 'tls+listen: required: every client presents a certificate from client_ca; optional: clients without one get in too (warned at start; one from another CA is still refused)' } satisfies KeySpec]
    : []),
];

/** Listener limits (tcp+listen, tls+listen); unset: the transport's defaults (daemon/transports/listener-limits.ts). */
const listenerKeys: KeySpec[] = [
  { key: 'max_clients', type: { kind: 'integer', min: 1, max: 100_000 }, defaultText: '256', doc: 'listeners: connections at most, TLS handshakes included' },
  { key: 'max_clients_per_address', type: { kind: 'integer', min: 1, max: 100_000 }, defaultText: '16', doc: 'listeners: connections at most from one address (the last 16 slots are kept for new addresses)' },
  { key: 'handshake_timeout', type: seconds(0.1, 600), defaultText: '10', doc: 'tls+listen: a TLS handshake not finished by then is closed' },
  { key: 'first_event_timeout', type: seconds(0, 3600), defaultText: '30', doc: 'listeners that receive: a client must send a complete event (ATAK sends its position at once) by then; 0: no deadline. Clients that only read belong on a +wo listener' },
  { key: 'event_timeout', type: seconds(0, 3600), defaultText: '30', doc: 'listeners that receive: an event whose first byte arrived must be complete by then; 0: no deadline' },
  { key: 'idle_timeout', type: seconds(0, 86400), defaultText: '120', doc: 'listeners that receive: a client that sends no complete event (pings count) for this long is closed; 0: never' },
  { key: 'stall_timeout', type: seconds(0, 3600), defaultText: '30', doc: 'listeners: a client that reads nothing of what is queued for it (or whose hub queue stays full) for this long is closed; 0: never' },
  { key: 'hub', type: { kind: 'boolean' }, default: true, doc: 'listeners that send and receive: their clients see each other and the clients of the other hub listeners, as on a TAK server (false: each client talks to takd only)' },
  { key: 'bind_identity', type: { kind: 'boolean' }, default: false, doc: 'tls+listen hub: the client certificate CN must be the uid or callsign the client reports; else its event is dropped (counted) and it is closed' },
];

/**
 * Every driver's own [source.*] keys, once per name (hal/drivers/NAME: the row's `keys`): so
 * that the layers know the names. The loader parses each by its driver's type and refuses
 * it on a driver that does not take it; docs list them per driver.
 */
function driverKeys(): KeySpec[] {
  const byName = new Map<string, KeySpec & { drivers: string[] }>();
  for (const driver of userDrivers()) {
    for (const key of driver.keys) {
      const known = byName.get(key.key);
      if (known !== undefined) known.drivers.push(driver.name);
      else byName.set(key.key, { key: key.key, type: key.type, defaultText: key.defaultText, doc: key.doc, drivers: [driver.name] });
    }
  }
  return [...byName.values()];
}

/** A row's name in config and docs: its scheme, `+listen` for a listening row. */
export function transportName(row: RegisteredKind): string {
  return row.listens ? `${row.scheme}+listen` : row.scheme;
}

/**
 * Every transport's own [output.*] keys, once per name (daemon/transports/NAME/row.ts: the
 * row's `keys`): so that the layers know the names and PyTAK's. The loader parses each by
 * its transport's type and refuses it in a section whose URL is another transport's; docs
 * list them per transport.
 */
function transportKeys(): KeySpec[] {
  const byName = new Map<string, KeySpec & { transports: string[] }>();
  for (const row of userTransportKinds()) {
    for (const key of row.keys) {
      const known = byName.get(key.key);
      if (known !== undefined) known.transports.push(transportName(row));
      else byName.set(key.key, { ...key, type: key.type as ValueType, transports: [transportName(row)] });
    }
  }
  return [...byName.values()];
}

/** Per-output routing policy (daemon/routing): what the output takes, its budget, store-and-forward. */
const routingKeys: KeySpec[] = [
  { key: 'types', type: { kind: 'list' }, defaultText: 'every type', doc: 'CoT type prefixes taken, e.g. a-f-, b-t-f' },
  { key: 'exclude_types', type: { kind: 'list' }, doc: 'CoT type prefixes refused (checked after types)' },
  { key: 'from', type: { kind: 'list' }, defaultText: 'by role: server → mesh/radios/phones, mesh/radios/phones → server, own PLI everywhere', doc: 'sources taken, by id (input.phones, source.ais) or role (self, device, api, server, mesh, peers, fleet)' },
  { key: 'exclude_from', type: { kind: 'list' }, doc: 'sources refused, by id or role' },
  { key: 'bbox', type: { kind: 'string', hint: 'south,west,north,east in degrees', check: (v) => parseBoundingBox(v) }, doc: 'only events inside this box (events at 0,0 carry no place and pass)' },
  { key: 'radius', type: { kind: 'string', hint: 'lat,lon,metres', check: (v) => parseCircle(v) }, doc: 'only events within this distance of a point' },
  { key: 'rate_bytes', type: { kind: 'integer', min: 1, max: 1_000_000_000, unit: 'bytes/s' }, defaultText: 'unlimited', doc: 'byte budget of the link (a slow radio or costly backhaul)' },
  { key: 'rate_events', type: { kind: 'integer', min: 1, max: 10_000_000, unit: 'events/min' }, defaultText: 'unlimited', doc: 'event budget of the link' },
  { key: 'max_event_bytes', type: { kind: 'integer', min: 64, max: 100_000_000, unit: 'bytes' }, defaultText: 'unlimited', doc: 'larger events are not sent here (counted as too big)' },
  { key: 'store', type: { kind: 'boolean' }, defaultText: 'on for tcp:// and tls:// outputs', doc: 'while down, keep chat, markers, emergencies and tasking in a durable queue under $STATE_DIRECTORY (else /var/lib/takd)' },
  { key: 'store_max_bytes', type: { kind: 'integer', min: 65_536, max: 1_099_511_627_776, unit: 'bytes' }, default: 64 * 2 ** 20, doc: 'size bound of the durable queue; the oldest events are evicted (counted)' },
  { key: 'fsync', type: { kind: 'string', hint: 'always, never or seconds', check: (v) => parseFsyncPolicy(v) }, default: '1', doc: 'when the durable queue is synced to disk: always (each event), never, or every N seconds' },
];

/** `gpsd: tcp://127.0.0.1:2947; others: required`, from the rows that have a default link. */
function defaultLinksText(): string {
  const withDefault = userDrivers().filter((d) => d.defaultLink !== undefined);
  return [...withDefault.map((d) => `${d.name}: ${d.defaultLink}`), `${withDefault.length > 0 ? 'others' : 'every driver'}: required`].join('; ');
}

export const SECTIONS: readonly SectionSpec[] = [
  {
    name: 'takd',
    named: false,
    doc: 'Who this box is on the map, and process-wide settings.',
    keys: [
      { key: 'callsign', type: { kind: 'string', pattern: /^\S(.{0,62}\S)?$/, hint: '1-64 characters' }, defaultText: 'the host name', doc: 'callsign shown in ATAK', flag: '--callsign' },
      { key: 'uid', type: { kind: 'string', pattern: /^[\x21-\x7e]{1,128}$/, hint: 'printable ASCII without spaces' }, defaultText: 'takd- + hash of /etc/machine-id', doc: 'CoT uid of our own position; stable across restarts', flag: '--uid' },
      { key: 'type', type: COT_TYPE, default: 'a-f-G-U-C', doc: 'CoT type of our own position' },
      { key: 'team', type: { kind: 'enum', values: TEAMS }, default: 'Cyan', doc: 'team colour (__group name)', flag: '--team' },
      { key: 'role', type: { kind: 'enum', values: ROLES }, default: 'Team Member', doc: 'role (__group role)', flag: '--role' },
      { key: 'endpoint', type: { kind: 'string' }, doc: 'contact endpoint, e.g. 192.168.1.10:4242:tcp' },
      { key: 'shutdown_timeout', type: seconds(0, 60), default: 2, doc: 'on SIGTERM, how long queued events may take to flush' },
      { key: 'max_in_queue', type: { kind: 'integer', min: 1, max: 1_000_000 }, default: 500, doc: 'events waiting between inputs and outputs before the oldest are dropped' },
      { key: 'hub_replay_ttl', type: seconds(0, 604_800), default: 3600, doc: 'hub: a client that identifies itself gets the newest position of every uid and the live markers, shapes and emergencies at most this old (stale ones never); 0: no replay. Read at start (a reload keeps the running value)' },
      { key: 'hub_mailbox', type: { kind: 'integer', min: 0, max: 10_000 }, default: 100, doc: 'hub: direct, team and <marti><dest> events held for each client that is not connected (50 times this in total; more are counted as full). Read at start' },
    ],
  },
  {
    name: 'source',
    named: true,
    doc: 'A device: a driver reading a link (serial port, TCP, replay file, simulator). Each driver may take keys of its own (below); a key of another driver is an error.',
    keys: [
      { key: 'driver', type: { kind: 'enum', values: DRIVER_NAMES }, required: true, doc: 'device family' },
      { key: 'link', type: { kind: 'link-url' }, defaultText: defaultLinksText(), doc: "serial:///dev/…?baud=N, tcp://host:port, udp://0.0.0.0:5050 (receive), file:///capture.log, sim://?speed=walk; without ?baud= (serial) or a port (tcp): the driver's default, e.g. meshtastic 115200 baud, ais 38400 (takd config show prints it)" },
      { key: 'enabled', type: { kind: 'boolean' }, default: true, doc: 'false keeps the section but does not open the device' },
      ...driverKeys(),
    ],
  },
  {
    name: 'input',
    named: true,
    doc: 'A network input: a listener for phones (EUDs) or a server to read CoT from.',
    keys: [
      { key: 'url', type: { kind: 'transport-url' }, required: true, doc: 'tcp+listen://0.0.0.0:8087, tls+listen://0.0.0.0:8089, udp+ro://239.2.3.1:6969, tcp+ro://host:8087' },
      ...tlsKeys('server'),
      ...listenerKeys,
    ],
  },
  {
    name: 'output',
    named: true,
    doc: 'Where events go: Mesh SA, a TAK Server, a listener for phones, a log or a file. Each transport (the URL\'s scheme) may take keys of its own (below); a key of another transport is an error.',
    keys: [
      { key: 'url', type: { kind: 'transport-url', enroll: true }, required: true, doc: 'udp://239.2.3.1:6969, tls://host:8089, tcp+listen://0.0.0.0:8087, log://stdout, file:///path' },
      { key: 'proto', type: { kind: 'enum', values: ['0', '1'] }, default: '0', doc: 'TAK protocol: 0 XML, 1 protobuf (negotiated on streams)', pytak: 'TAK_PROTO' },
      { key: 'ttl', type: { kind: 'integer', min: 1, max: 255 }, default: 1, doc: 'multicast TTL', pytak: 'PYTAK_MULTICAST_TTL' },
      { key: 'interface', type: { kind: 'list' }, doc: 'multicast interfaces, by name or IPv4 address', pytak: 'PYTAK_MULTICAST_LOCAL_ADDRS' },
      ...tlsKeys('client'),
      // A tls+listen output serves phones: it checks their certificates as an input listener does.
      ...tlsKeys('server').filter((k) => k.key === 'client_ca' || k.key === 'client_cert'),
      { key: 'dont_verify', type: { kind: 'boolean' }, default: false, doc: 'accept any server certificate (warned at every connect; enrollment too)', pytak: 'PYTAK_TLS_DONT_VERIFY' },
      { key: 'package', type: { kind: 'path' }, doc: 'a TAK connection package (zip, ATAK or iTAK layout): its connectString0 is the url when url is not set; at each start its client certificate and truststore are extracted to $STATE_DIRECTORY/import/OUTPUT/ (0600) and used as cert, key and ca (a ca set here wins)' },
      { key: 'enroll_username', type: { kind: 'string', pattern: /^[^\s:/\\]{1,128}$/, hint: 'a user name without spaces, colons or slashes' }, doc: 'tls:// outputs: enroll as this user at the server\'s port 8446 (with enroll_password) and connect with the certificate it signs, as a tak:// link does', pytak: 'PYTAK_TLS_CERT_ENROLLMENT_USERNAME' },
      { key: 'enroll_password', type: { kind: 'string' }, secret: true, doc: 'tls:// outputs: the enrollment password or one-time token of enroll_username', pytak: 'PYTAK_TLS_CERT_ENROLLMENT_PASSWORD' },
      { key: 'enroll_passphrase', type: { kind: 'string' }, secret: true, doc: 'enrolled outputs: encrypt the stored private key with this passphrase (it is 0600 either way)', pytak: 'PYTAK_TLS_CERT_ENROLLMENT_PASSPHRASE' },
      { key: 'enroll_port', type: { kind: 'integer', min: 1, max: 65_535 }, default: 8446, doc: 'url = tak://com.atakmap.app/enroll?host=HOST&username=USER&token=TOKEN (a TAK Server enrollment link) and tls:// with enroll_username: at each start the client certificate comes from https://HOST:enroll_port (verified against ca, else the system store; dont_verify skips it, warned), is stored 0600 under $STATE_DIRECTORY/enroll/HOST-USER/ and reused until 7 days before it expires; a tak:// output connects to tls://HOST:8089 (or the port in host=HOST:PORT)' },
      { key: 'dont_check_hostname', type: { kind: 'boolean' }, default: false, doc: 'verify the chain but not the name', pytak: 'PYTAK_TLS_DONT_CHECK_HOSTNAME' },
      { key: 'expected_hostname', type: { kind: 'string' }, doc: 'name the server certificate must carry', pytak: 'PYTAK_TLS_SERVER_EXPECTED_HOSTNAME' },
      { key: 'ciphers', type: { kind: 'string' }, doc: 'OpenSSL cipher list', pytak: 'PYTAK_TLS_CLIENT_CIPHERS' },
      { key: 'max_queue', type: { kind: 'integer', min: 1, max: 1_000_000 }, default: 100, doc: 'listeners: events queued per client before the oldest are dropped (other outputs queue in the router)', pytak: 'MAX_OUT_QUEUE' },
      {
        key: 'max_in_flight',
        type: { kind: 'integer', min: 1_024, max: 16 * 2 ** 20, unit: 'bytes' },
        default: 64 * 1024,
        doc: 'tcp/tls clients and files: bytes written and not yet taken by the kernel; past it events wait in the router, and a dead connection gives them back',
      },
      { key: 'sleep', type: seconds(0, 3600), default: 0, doc: 'pause between writes', pytak: 'PYTAK_SLEEP' },
      { key: 'fts_compat', type: { kind: 'boolean' }, default: false, doc: 'random pause up to 5 s between writes (FreeTAKServer flood protection)', pytak: 'FTS_COMPAT' },
      { key: 'hello', type: { kind: 'boolean' }, default: true, doc: 'send our position first on every new connection', pytak: 'PYTAK_NO_HELLO', pytakInverted: true },
      { key: 'pli', type: { kind: 'boolean' }, default: true, doc: 'send our own position reports here' },
      ...transportKeys(),
      ...listenerKeys,
      ...routingKeys,
    ],
  },
  {
    name: 'pli',
    named: false,
    doc: 'Own-position reports (ATAK-style dynamic rate).',
    keys: [
      { key: 'enabled', type: { kind: 'boolean' }, default: true, doc: 'report our own position from the GPS sources' },
      { key: 'no_fix', type: { kind: 'enum', values: ['last-known', 'silent'] }, default: 'last-known', doc: 'without a fix: re-send the last position (ce grows with age) or stay silent' },
      { key: 'stale', type: seconds(1, 86400), defaultText: 'interval × 2 + 15 s', doc: 'fixed stale time of our reports' },
      { key: 'stationary_interval', type: seconds(1, 3600), default: 180, doc: 'report interval when not moving' },
      { key: 'moving_slowest', type: seconds(1, 3600), default: 20, doc: 'report interval when moving slowly' },
      { key: 'moving_fastest', type: seconds(0.5, 3600), default: 2, doc: 'report interval at speed' },
      { key: 'max_last_known_age', type: seconds(0, 86400), default: 900, doc: 'stop re-sending the last position after this long without a fix' },
    ],
  },
  {
    name: 'health',
    named: false,
    doc: 'Health telemetry carried in our position reports.',
    keys: [
      { key: 'battery', type: { kind: 'boolean' }, default: true, doc: 'battery percent in status@battery, when the machine has one' },
      { key: 'remarks', type: { kind: 'boolean' }, default: false, doc: 'temperature, throttling and clock state in remarks' },
    ],
  },
  {
    name: 'log',
    named: false,
    doc: 'Logging: JSON lines on stdout (journald), human-readable on a terminal.',
    keys: [
      { key: 'level', type: { kind: 'enum', values: ['trace', 'debug', 'info', 'warn', 'error', 'silent'] }, default: 'info', doc: 'least important level logged', flag: '--log-level' },
      { key: 'format', type: { kind: 'enum', values: ['auto', 'json', 'pretty'] }, default: 'auto', doc: 'auto: pretty when stdout is a terminal, else JSON', flag: '--log-format' },
      { key: 'repeat_interval', type: seconds(0, 3600), default: 60, doc: 'a repeated warning is logged at most once per interval (with a count)' },
    ],
  },
  {
    name: 'marti',
    named: false,
    doc: 'The data-package server (Marti sync API) phones use to share files: ATAK\'s and iTAK\'s uploads, downloads, search (daemon/marti/README.md).',
    keys: [
      { key: 'url', type: { kind: 'string', hint: 'https+listen://HOST:PORT or http+listen://HOST:PORT', check: (v) => parseMartiUrl(v) }, doc: 'https+listen://0.0.0.0:8443 (client certificates required), or http+listen://0.0.0.0:8080 where phones use plain TCP; unset: no data-package server' },
      { key: 'cert', type: { kind: 'path' }, doc: 'https: server certificate (PEM with key, or .p12/.pfx)' },
      { key: 'key', type: { kind: 'path' }, doc: 'https: PEM private key, when not inside cert' },
      { key: 'password', type: { kind: 'string' }, secret: true, doc: 'https: password of the .p12 or encrypted key (prefer password_file)' },
      { key: 'password_file', type: { kind: 'path' }, doc: 'https: file holding that password (one line)' },
      { key: 'client_ca', type: { kind: 'path' }, doc: 'https: CA that client certificates must chain to (the TLS listener\'s)' },
      { key: 'require_client_cert', type: { kind: 'boolean' }, default: true, doc: 'https: refuse clients without a certificate from client_ca; false lets anyone who reaches the port in (warned at start)' },
      { key: 'advertise', type: { kind: 'string', hint: 'host or host:port phones reach', check: (v) => parseAdvertise(v) }, defaultText: 'the address each phone connected to', doc: 'host (and port) in the download URLs handed to phones; never a wildcard' },
      { key: 'dir', type: { kind: 'path' }, defaultText: '$STATE_DIRECTORY/packages, else /var/lib/takd/packages', doc: 'where packages are stored (each named by its sha256)' },
      { key: 'max_file_size', type: { kind: 'integer', min: 1, max: 1_099_511_627_776, unit: 'bytes' }, default: 100 * 1024 * 1024, doc: 'largest package; larger uploads are refused (413) before they are read' },
      { key: 'quota', type: { kind: 'integer', min: 1, max: 1_099_511_627_776, unit: 'bytes' }, default: 1024 * 1024 * 1024, doc: 'total size of stored packages; an upload that would pass it is refused (507)' },
      { key: 'max_uploads', type: { kind: 'integer', min: 1, max: 1000 }, default: 4, doc: 'uploads at once; more are answered 503' },
      { key: 'max_clients_per_address', type: { kind: 'integer', min: 1, max: 100_000 }, default: 16, doc: 'connections at most from one address' },
      { key: 'upload_timeout', type: seconds(1, 86400), default: 600, doc: 'an upload must arrive within this (and never pause for 30 s), else 408' },
    ],
  },
  {
    name: 'pki',
    named: false,
    doc: 'The box\'s own certificate authority (`takd ca init`, `takd user add`, `takd package client`): where it lives and what it issues.',
    keys: [
      { key: 'dir', type: { kind: 'path' }, default: '/etc/takd/pki', doc: 'CA, server certificate, users and the revocation list (keys 0600); made by `takd ca init`, never at start' },
      { key: 'client_days', type: { kind: 'integer', min: 1, max: 3650 }, default: 365, doc: 'validity of the client certificates enrollment and `takd package client` issue' },
      { key: 'token_hours', type: { kind: 'number', min: 0.01, max: 8760, unit: 'h' }, default: 24, doc: 'how long a `takd user add` enrollment token stays usable (once)' },
    ],
  },
  {
    name: 'enrollment',
    named: false,
    doc: 'Certificate enrollment for phones (TAK Server\'s port 8446: tls/config, signClient, profile/enrollment), with the box\'s CA ([pki]).',
    keys: [
      { key: 'url', type: { kind: 'string', hint: 'https+listen://HOST:PORT', check: (v) => parseEnrollmentUrl(v) }, doc: 'https+listen://0.0.0.0:8446 serves enrollment with [pki]\'s server certificate; unset: no enrollment server' },
      { key: 'advertise', type: { kind: 'string', hint: 'host phones reach' }, defaultText: 'the server certificate\'s first name', doc: 'host in the tak://com.atakmap.app/enroll links `takd user add` prints' },
      { key: 'max_clients_per_address', type: { kind: 'integer', min: 1, max: 100_000 }, default: 16, doc: 'connections at most from one address' },
      { key: 'max_failures', type: { kind: 'integer', min: 1, max: 100_000 }, default: 10, doc: 'wrong user names or tokens from one address in 10 minutes before its requests are answered 429' },
      { key: 'failure_delay', type: seconds(0, 60), default: 2, doc: 'a wrong user name or token is answered 401 after this fixed delay' },
      { key: 'max_csr_bytes', type: { kind: 'integer', min: 1024, max: 1_048_576, unit: 'bytes' }, default: 16384, doc: 'larger certificate signing requests are refused (413) before they are read' },
    ],
  },
  {
    name: 'status',
    named: false,
    doc: 'status.json and the optional HTTP endpoint: /health, /metrics, /status, the console page and its REST API (/api, daemon/console).',
    keys: [
      { key: 'dir', type: { kind: 'path' }, defaultText: '$RUNTIME_DIRECTORY, else /run/takd', doc: 'directory of status.json' },
      { key: 'http', type: { kind: 'hostport' }, default: '', doc: 'serve /health, /metrics, /status, the console and /api here, e.g. 127.0.0.1:8080 (empty: off); an address off loopback requires the bearer token (token_file) or, over HTTPS with client_ca, a client certificate from that CA on all but /health', flag: '--status-http' },
      { key: 'token_file', type: { kind: 'path' }, defaultText: '$STATE_DIRECTORY/console.token, else /var/lib/takd/console.token', doc: 'the bearer token the HTTP endpoint asks for when bound off loopback or require_token = yes; created (0600) at start when missing; `takd token` prints it' },
      { key: 'require_token', type: { kind: 'boolean' }, default: false, doc: 'ask for the bearer token on loopback too (all but /health)' },
      { key: 'api_rate', type: { kind: 'integer', min: 1, max: 100_000 }, default: 600, doc: 'requests per minute from one client address to the HTTP endpoint (burst: a tenth of it, at least 10); more answer 429' },
      { key: 'tiles', type: { kind: 'string', hint: 'https://HOST/{z}/{x}/{y}.png', check: (v) => parseTileUrl(v) }, doc: 'a raster tile server for the console map, e.g. https://tiles.example.org/{z}/{x}/{y}.png: drawn over the built-in offline basemap; the page may load images from this origin and no other (unset: the built-in basemap only)' },
      { key: 'tiles_attribution', type: { kind: 'string' }, doc: 'the tile server\'s attribution shown under the map, e.g. © OpenStreetMap contributors' },
      { key: 'cert', type: { kind: 'path' }, doc: 'serve the HTTP endpoint over HTTPS with this certificate (PEM with key, or .p12/.pfx); required for client_ca' },
      { key: 'key', type: { kind: 'path' }, doc: 'HTTPS: PEM private key, when not inside cert' },
      { key: 'password_file', type: { kind: 'path' }, doc: 'HTTPS: file holding the password of the .p12 or encrypted key' },
      { key: 'client_ca', type: { kind: 'path' }, doc: 'HTTPS: CA whose client certificates get in without the token (the box\'s: the tls+listen input\'s client_ca); a certificate from another CA is refused' },
      { key: 'client_cert', type: { kind: 'enum', values: ['required', 'optional'] }, default: 'optional', doc: 'with client_ca: required: only clients with a certificate from client_ca (no token); optional: a certificate from client_ca or the bearer token' },
    ],
  },
];

/** PyTAK's keys that are not the default of an output key, and what each sets. */
export const PYTAK_STANDALONE: readonly (KeySpec & { pytak: string; target: string })[] = [
  { key: 'cot_url', pytak: 'COT_URL', target: 'output.cot_url url', type: { kind: 'transport-url', enroll: true }, doc: 'one more output, named output.cot_url (a tak:// enrollment link too)', flag: '--cot-url' },
  { key: 'pref_package', pytak: 'PREF_PACKAGE', target: 'output.cot_url package', type: { kind: 'path' }, doc: 'a connection package (zip) for output.cot_url: its server, client certificate and truststore' },
  { key: 'tak_url', pytak: 'TAK_URL', target: 'output.cot_url url', type: { kind: 'transport-url', enroll: true }, doc: 'a tak:// enrollment link for output.cot_url; wins over COT_URL, as in PyTAK' },
  { key: 'cot_host_id', pytak: 'COT_HOST_ID', target: 'takd.uid', type: { kind: 'string', pattern: /^[\x21-\x7e]{1,128}$/, hint: 'printable ASCII without spaces' }, doc: 'our uid' },
  { key: 'cot_stale', pytak: 'COT_STALE', target: 'pli.stale', type: seconds(1, 86400), doc: 'stale time of our reports' },
  { key: 'debug', pytak: 'DEBUG', target: 'log.level = debug', type: { kind: 'boolean' }, doc: 'debug logging' },
  { key: 'max_in_queue', pytak: 'MAX_IN_QUEUE', target: 'takd.max_in_queue', type: { kind: 'integer', min: 1, max: 1_000_000 }, doc: 'inbound queue' },
  { key: 'pytak_multicast_local_addr', pytak: 'PYTAK_MULTICAST_LOCAL_ADDR', target: 'output.*.interface', type: { kind: 'list' }, doc: 'multicast interface address (older name)' },
];

/** The [pytak] section: standalone keys plus every output key with a PyTAK name. */
function pytakSection(): SectionSpec {
  const output = SECTIONS.find((s) => s.name === 'output') as SectionSpec;
  const perOutput: KeySpec[] = output.keys
    .filter((k): k is KeySpec & { pytak: string } => k.pytak !== undefined)
    .map((k) => ({ key: k.pytak.toLowerCase(), type: k.pytakInverted ? { kind: 'boolean' } : k.type, doc: `default of output.*.${k.key}${k.pytakInverted ? ' (inverted)' : ''}`, pytak: k.pytak, secret: k.secret }));
  return {
    name: 'pytak',
    named: false,
    doc: "PyTAK's keys (any case; also in a PyTAK app section such as [aiscot], and as environment variables under their own names).",
    keys: [...PYTAK_STANDALONE, ...perOutput],
  };
}

export const ALL_SECTIONS: readonly SectionSpec[] = [...SECTIONS, pytakSection()];

export function sectionSpec(kind: string): SectionSpec | undefined {
  return ALL_SECTIONS.find((s) => s.name === kind);
}

export function keySpec(kind: string, key: string): KeySpec | undefined {
  return sectionSpec(kind)?.keys.find((k) => k.key === key);
}

/** `output.mesh` → { kind: 'output', name: 'mesh' }; `takd` → { kind: 'takd' }. */
export function splitSectionId(id: string): { kind: string; name?: string } {
  const dot = id.indexOf('.');
  return dot < 0 ? { kind: id } : { kind: id.slice(0, dot), name: id.slice(dot + 1) };
}

/** Section names: letters, digits, '_' and '-'. */
export const SECTION_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;
