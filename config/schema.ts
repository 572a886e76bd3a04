/**
 * The configuration schema: one table that drives parsing, validation, defaults, the
 * environment and flag names, `takd config show` and docs/configuration.md.
 *
 * Sections read as the pipeline: [takd] identity, [source.NAME] devices, [input.NAME]
 * network inputs, [output.NAME] destinations, [pli], [health], [log], [status]. [pytak]
 * holds PyTAK's keys (generated below from the `pytak` column of the other sections), so an
 * existing PyTAK gateway's config.ini and environment work unchanged.
 */
import { parseBoundingBox, parseCircle, parseFsyncPolicy } from '../daemon/routing/settings.js';
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

/** Drivers known to config; the daemon checks the name against hal's registry at start. */
export const DRIVER_NAMES = ['nmea-gnss', 'gpsd', 'sim', 'ais', 'kiss-aprs', 'meshtastic'] as const;

const tlsKeys = (side: 'client' | 'server'): KeySpec[] => [
  { key: 'cert', type: { kind: 'path' }, doc: side === 'client' ? 'TLS client certificate: PEM, PEM with key, or .p12/.pfx' : 'TLS server certificate (PEM with key, or .p12/.pfx)', pytak: side === 'client' ? 'PYTAK_TLS_CLIENT_CERT' : undefined },
  { key: 'key', type: { kind: 'path' }, doc: 'PEM private key, when not inside cert', pytak: side === 'client' ? 'PYTAK_TLS_CLIENT_KEY' : undefined },
  { key: 'password', type: { kind: 'string' }, secret: true, doc: 'password of the .p12 or encrypted key (prefer password_file)', pytak: side === 'client' ? 'PYTAK_TLS_CLIENT_PASSWORD' : undefined },
  { key: 'password_file', type: { kind: 'path' }, doc: 'file holding that password (one line)' },
  { key: side === 'client' ? 'ca' : 'client_ca', type: { kind: 'path' }, doc: side === 'client' ? 'CA bundle that signed the server certificate' : 'CA that client certificates must chain to (set: client certificates required)', pytak: side === 'client' ? 'PYTAK_TLS_CLIENT_CAFILE' : undefined },
];

/** Listener limits (tcp+listen, tls+listen); unset: the transport's defaults (daemon/transports/listener-limits.ts). */
const listenerKeys: KeySpec[] = [
  { key: 'max_clients', type: { kind: 'integer', min: 1, max: 100_000 }, defaultText: '256', doc: 'listeners: connections at most, TLS handshakes included' },
  { key: 'max_clients_per_address', type: { kind: 'integer', min: 1, max: 100_000 }, defaultText: '16', doc: 'listeners: connections at most from one address (the last 16 slots are kept for new addresses)' },
  { key: 'handshake_timeout', type: seconds(0.1, 600), defaultText: '10', doc: 'tls+listen: a TLS handshake not finished by then is closed' },
  { key: 'first_event_timeout', type: seconds(0, 3600), defaultText: '30', doc: 'listeners that receive: a client must send a complete event (ATAK sends its position at once) by then; 0: no deadline. Clients that only read belong on a +wo listener' },
  { key: 'event_timeout', type: seconds(0, 3600), defaultText: '30', doc: 'listeners that receive: an event whose first byte arrived must be complete by then; 0: no deadline' },
  { key: 'idle_timeout', type: seconds(0, 86400), defaultText: '120', doc: 'listeners that receive: a client that sends no complete event (pings count) for this long is closed; 0: never' },
  { key: 'stall_timeout', type: seconds(0, 3600), defaultText: '30', doc: 'listeners: a client that reads nothing of what is queued for it for this long is closed; 0: never' },
];

/** AX.25 callsign with optional SSID (the APRS beacon's source address). */
const AX25_CALLSIGN: ValueType = { kind: 'string', pattern: /^[A-Za-z0-9]{1,6}(-(1[0-5]|[0-9]))?$/, hint: 'an amateur callsign of 1-6 letters/digits, optional -SSID 0-15, e.g. KD0ABC-9' };
/** What a meshtastic source sends to the mesh: `pli`, `chat`, both, or `none`. */
const MESH_SEND: ValueType = { kind: 'string', pattern: /^\s*(none|(pli|chat)(\s*,\s*(pli|chat))*)\s*$/i, hint: 'pli, chat, "pli, chat" or none' };

/** [source.*] keys of the radio drivers; each names the drivers it applies to (ignored by others). */
const radioSourceKeys: KeySpec[] = [
  { key: 'uid_prefix', type: { kind: 'string', pattern: /^[\x21-\x7e]{1,32}$/, hint: 'printable ASCII without spaces, up to 32' }, defaultText: 'ais: AIS.; kiss-aprs: APRS.', doc: 'ais, kiss-aprs: prefix of the CoT uid of each track (then the MMSI or callsign-SSID)' },
  { key: 'cot_type', type: COT_TYPE, defaultText: 'ais: a-u-S-X-M; kiss-aprs: a-f-G-I-U-T-r', doc: 'ais: CoT type when the ship type says nothing more; kiss-aprs: CoT type of every station' },
  { key: 'stale', type: seconds(10, 86400), defaultText: '3600', doc: 'ais, kiss-aprs: seconds until a track goes stale' },
  { key: 'own_position', type: { kind: 'boolean' }, defaultText: 'false', doc: 'ais: own-ship reports (!AIVDO) are the box\'s position, like a GPS' },
  { key: 'callsign', type: AX25_CALLSIGN, doc: 'kiss-aprs: amateur callsign to beacon our position with (unset or N0CALL: no transmit)' },
  { key: 'beacon_interval', type: seconds(60, 86400), defaultText: '600', doc: 'kiss-aprs: seconds between position beacons' },
  { key: 'pli_interval', type: seconds(15, 3600), defaultText: '30', doc: 'meshtastic: at most one position report per this many seconds on air (our own and relayed)' },
  { key: 'send', type: MESH_SEND, defaultText: 'pli, chat', doc: 'meshtastic: what goes to the mesh as TAK packets: pli (our own and relayed positions), chat (GeoChat)' },
];

/** Per-output routing policy (daemon/routing): what the output takes, its budget, store-and-forward. */
const routingKeys: KeySpec[] = [
  { key: 'types', type: { kind: 'list' }, defaultText: 'every type', doc: 'CoT type prefixes taken, e.g. a-f-, b-t-f' },
  { key: 'exclude_types', type: { kind: 'list' }, doc: 'CoT type prefixes refused (checked after types)' },
  { key: 'from', type: { kind: 'list' }, defaultText: 'by role: server → mesh/radios/phones, mesh/radios/phones → server, own PLI everywhere', doc: 'sources taken, by id (input.phones, source.ais) or role (self, device, server, mesh, peers)' },
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
    ],
  },
  {
    name: 'source',
    named: true,
    doc: 'A device: a driver reading a link (serial port, TCP, replay file, simulator).',
    keys: [
      { key: 'driver', type: { kind: 'enum', values: DRIVER_NAMES }, required: true, doc: 'device family' },
      { key: 'link', type: { kind: 'link-url' }, defaultText: 'gpsd: tcp://127.0.0.1:2947; others: required', doc: "serial:///dev/…?baud=N, tcp://host:port, udp://0.0.0.0:5050 (receive), file:///capture.log, sim://?speed=walk; without ?baud= (serial) or a port (tcp): the driver's default, e.g. meshtastic 115200 baud, ais 38400 (takd config show prints it)" },
      { key: 'enabled', type: { kind: 'boolean' }, default: true, doc: 'false keeps the section but does not open the device' },
      ...radioSourceKeys,
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
    doc: 'Where events go: Mesh SA, a TAK Server, a listener for phones, a log or a file.',
    keys: [
      { key: 'url', type: { kind: 'transport-url' }, required: true, doc: 'udp://239.2.3.1:6969, tls://host:8089, tcp+listen://0.0.0.0:8087, log://stdout, file:///path' },
      { key: 'proto', type: { kind: 'enum', values: ['0', '1'] }, default: '0', doc: 'TAK protocol: 0 XML, 1 protobuf (negotiated on streams)', pytak: 'TAK_PROTO' },
      { key: 'ttl', type: { kind: 'integer', min: 1, max: 255 }, default: 1, doc: 'multicast TTL', pytak: 'PYTAK_MULTICAST_TTL' },
      { key: 'interface', type: { kind: 'list' }, doc: 'multicast interfaces, by name or IPv4 address', pytak: 'PYTAK_MULTICAST_LOCAL_ADDRS' },
      ...tlsKeys('client'),
      { key: 'dont_verify', type: { kind: 'boolean' }, default: false, doc: 'accept any server certificate (warned at every connect)', pytak: 'PYTAK_TLS_DONT_VERIFY' },
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
    name: 'status',
    named: false,
    doc: 'status.json and the optional HTTP health/metrics endpoint.',
    keys: [
      { key: 'dir', type: { kind: 'path' }, defaultText: '$RUNTIME_DIRECTORY, else /run/takd', doc: 'directory of status.json' },
      { key: 'http', type: { kind: 'hostport' }, default: '', doc: 'serve /health and /metrics here, e.g. 127.0.0.1:8080 (empty: off)', flag: '--status-http' },
    ],
  },
];

/** PyTAK's keys that are not the default of an output key, and what each sets. */
export const PYTAK_STANDALONE: readonly (KeySpec & { pytak: string; target: string })[] = [
  { key: 'cot_url', pytak: 'COT_URL', target: 'output.cot_url url', type: { kind: 'transport-url' }, doc: 'one more output, named output.cot_url', flag: '--cot-url' },
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
