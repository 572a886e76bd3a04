/**
 * COT_URL-style URLs → a validated transport description. PyTAK's schemes plus listeners:
 *
 *   tcp://host:port  tls://host:port (ssl://)   +wo send only, +ro receive only
 *   tcp+listen://addr:port  tls+listen://addr:port            end-user devices connect to us
 *   udp://group:port (multicast)  udp://host:port  udp+broadcast://addr:port  udp+wo://  udp+ro://
 *   log://stdout  log://stderr  file://PATH
 *   mqtt://[user[:password]@]host:1883/TOPIC  mqtts://…:8883/TOPIC   +wo publish only, +ro subscribe only
 *   wss://host:8443/takproto/1   TAK protocol v1 frames in WebSocket messages (TAK Server)
 *   wss+listen://addr:port/PATH  websocket clients connect to us (hub members)
 *   marti://host:8443  marti+http://host:8080   TAK Server REST: inject and poll
 *
 * Query parameters for UDP: `ttl=N`, `interface=eth0` (repeatable, or comma-separated).
 * Default ports follow ATAK/PyTAK: 8087 tcp, 8089 tls, 6969 mesh.
 */
import { isIP } from 'node:net';
import { TransportConfigError } from './errors.js';

export type Direction = 'both' | 'send' | 'receive';
export type Cast = 'unicast' | 'multicast' | 'broadcast';

export interface StreamSpec {
  kind: 'tcp' | 'tls';
  host: string;
  port: number;
  direction: Direction;
}

export interface ListenSpec {
  kind: 'tcp-listen' | 'tls-listen';
  host: string;
  port: number;
  direction: Direction;
}

export interface UdpSpec {
  kind: 'udp';
  host: string;
  port: number;
  cast: Cast;
  direction: Direction;
  ttl?: number;
  interfaces: string[];
}

export interface LogSpec {
  kind: 'log';
  stream: 'stdout' | 'stderr';
}

export interface FileSpec {
  kind: 'file';
  path: string;
}

/** mqtt:// and mqtts:// (daemon/transports/mqtt/): the topic is the URL path (PyTAK). */
export interface MqttSpec {
  kind: 'mqtt' | 'mqtts';
  host: string;
  port: number;
  /** Publish topic, and the subscription unless `subscribe` is given (wildcards + and #: +ro only). */
  topic: string;
  /** `?subscribe=FILTER`: the subscription (e.g. tak/fleet1/+/cot) when it differs from the topic. */
  subscribe?: string;
  direction: Direction;
  /** From the URL's userinfo (%-decoded); MQTT_USERNAME / MQTT_PASSWORD otherwise. */
  username?: string;
  password?: string;
}

/** wss:// client (TAK Server's WebSocket endpoint) and wss+listen:// (websocket clients join the hub). */
export interface WssSpec {
  kind: 'wss' | 'wss-listen';
  host: string;
  port: number;
  /** Request path (client) or the path accepted (listener); default /takproto/1. */
  path: string;
  direction: Direction;
}

/** marti:// (HTTPS) and marti+http://: TAK Server REST, send by injector, receive by polling. */
export interface MartiSpec {
  kind: 'marti';
  secure: boolean;
  host: string;
  port: number;
  direction: Direction;
}

export type TransportSpec = StreamSpec | ListenSpec | UdpSpec | LogSpec | FileSpec | MqttSpec | WssSpec | MartiSpec;

/**
 * What the far end of a transport is to the box, by kind (the router's link roles,
 * daemon/routing/roles.ts): a TAK server we connect to, Mesh SA, phones that connect to us,
 * or a record of everything. A `+ro`/`+wo` modifier changes the direction, never the role.
 */
export type TransportRole = 'server' | 'mesh' | 'peers' | 'sink' | 'fleet';

const ROLE_OF_KIND: Record<TransportSpec['kind'], TransportRole> = {
  tcp: 'server',
  tls: 'server',
  'tcp-listen': 'peers',
  'tls-listen': 'peers',
  udp: 'mesh',
  wss: 'server',
  'wss-listen': 'peers',
  marti: 'server',
  log: 'sink',
  file: 'sink',
  mqtt: 'fleet',
  mqtts: 'fleet',
};

export function transportRole(spec: TransportSpec): TransportRole {
  return ROLE_OF_KIND[spec.kind];
}

/** Which way events flow; log:// and file:// only ever write. */
export function transportDirection(spec: TransportSpec): Direction {
  return 'direction' in spec ? spec.direction : 'send';
}

export const DEFAULT_PORTS = { tcp: 8087, tls: 8089, udp: 6969, wss: 8443, marti: 8443, martiHttp: 8080, mqtt: 1883, mqtts: 8883 } as const;

/** TAK Server's WebSocket path (WebSocketConfiguration). */
export const DEFAULT_WSS_PATH = '/takproto/1';

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*\.?$/;

function fail(url: string, what: string): never {
  throw new TransportConfigError('url', `${what} in '${url}' (e.g. tcp://host:8087, tls://host:8089, udp://239.2.3.1:6969, tcp+listen://0.0.0.0:8087, log://stdout, file:///path)`);
}

export function isMulticast(address: string): boolean {
  if (isIP(address) === 4) {
    const first = Number(address.split('.')[0]);
    return first >= 224 && first <= 239;
  }
  return isIP(address) === 6 && /^ff/i.test(address);
}

/** Splits `host:port`, `[v6]:port`, `host` or `[v6]`; the host comes back without brackets. */
function splitAuthority(url: string, authority: string, defaultPort: number): { host: string; port: number } {
  const match = /^(?:\[([^\]]*)\]|([^:[\]]*))(?::(\d*))?$/.exec(authority);
  if (!match) fail(url, 'bad host:port (IPv6 addresses go in brackets: [::1]:8087)');
  const v6 = match[1];
  const host = v6 ?? match[2] ?? '';
  if (host === '') fail(url, 'missing host');
  if (v6 !== undefined && isIP(v6) !== 6) fail(url, `bad IPv6 address '${v6}'`);
  if (v6 === undefined && isIP(host) === 0 && !HOSTNAME.test(host)) fail(url, `bad host '${host}'`);
  const portText = match[3];
  if (portText === undefined || portText === '') return { host, port: defaultPort };
  const port = Number(portText);
  if (!Number.isInteger(port) || port > 65535) fail(url, `bad port '${portText}' (1-65535)`);
  return { host, port };
}

function parseQuery(url: string, query: string): URLSearchParams {
  const params = new URLSearchParams(query);
  for (const key of params.keys()) {
    if (key !== 'ttl' && key !== 'interface') fail(url, `unknown parameter '${key}' (allowed: ttl, interface)`);
  }
  return params;
}

export function parseTtl(text: string, key = 'ttl'): number {
  const ttl = Number(text);
  if (!/^\d+$/.test(text) || ttl < 1 || ttl > 255) throw new TransportConfigError(key, `'${text}' is not a TTL (allowed: 1-255)`);
  return ttl;
}

export function parseTransportUrl(url: string): TransportSpec {
  const schemeMatch = /^([a-z0-9+]+):\/\/(.*)$/i.exec(url.trim());
  if (!schemeMatch) fail(url, 'not a URL');
  const [base, ...modifiers] = (schemeMatch[1] as string).toLowerCase().split('+');
  const rest = schemeMatch[2] as string;
  const unique = new Set(modifiers);
  if (unique.size !== modifiers.length) fail(url, 'repeated modifier');

  if (base === 'log') {
    if (modifiers.length > 0) fail(url, 'log:// takes no modifiers');
    if (rest !== 'stdout' && rest !== 'stderr') fail(url, "log:// must be log://stdout or log://stderr");
    return { kind: 'log', stream: rest };
  }
  if (base === 'file') {
    if (modifiers.length > 0) fail(url, 'file:// takes no modifiers');
    if (rest === '') fail(url, 'missing path');
    let path: string;
    try {
      path = decodeURIComponent(rest);
    } catch {
      fail(url, 'bad %-escape in the path');
    }
    return { kind: 'file', path };
  }

  if (base === 'mqtt' || base === 'mqtts') return parseMqtt(url, base, modifiers, rest);
  if (base === 'wss') return parseWss(url, rest, modifiers);
  if (base === 'marti') return parseMarti(url, rest, modifiers);

  const [authority = '', query = ''] = rest.replace(/\/+(?=\?|$)/, '').split('?', 2);
  const direction: Direction = unique.has('wo') ? 'send' : unique.has('ro') ? 'receive' : 'both';
  if (unique.has('wo') && unique.has('ro')) fail(url, '+wo and +ro together');

  if (base === 'tcp' || base === 'tls' || base === 'ssl') {
    const kind = base === 'tcp' ? 'tcp' : 'tls';
    for (const modifier of unique) {
      if (modifier !== 'wo' && modifier !== 'ro' && modifier !== 'listen') fail(url, `unknown modifier '+${modifier}' for ${base}://`);
    }
    if (query !== '') fail(url, `${base}:// takes no parameters`);
    const { host, port } = splitAuthority(url, authority, DEFAULT_PORTS[kind]);
    if (unique.has('listen')) {
      if (isIP(host) === 0 && host !== 'localhost') fail(url, `a listener binds an address, not '${host}' (0.0.0.0 for all)`);
      // Port 0: any free port (tests; the bound port is in status and `port`).
      return { kind: kind === 'tcp' ? 'tcp-listen' : 'tls-listen', host, port, direction };
    }
    if (port === 0) fail(url, "bad port '0' (1-65535)");
    return { kind, host, port, direction };
  }

  if (base === 'udp') {
    for (const modifier of unique) {
      if (modifier !== 'wo' && modifier !== 'ro' && modifier !== 'broadcast') fail(url, `unknown modifier '+${modifier}' for udp://`);
    }
    const { host, port } = splitAuthority(url, authority, DEFAULT_PORTS.udp);
    if (port === 0 && direction !== 'receive') fail(url, "bad port '0' (1-65535)");
    const params = parseQuery(url, query);
    const cast: Cast = unique.has('broadcast') ? 'broadcast' : isMulticast(host) ? 'multicast' : 'unicast';
    if (cast === 'broadcast' && isIP(host) === 6) fail(url, 'IPv6 has no broadcast; use a multicast group');
    const ttlText = params.get('ttl');
    const interfaces = params.getAll('interface').flatMap((value) => value.split(',')).map((s) => s.trim()).filter((s) => s !== '');
    const spec: UdpSpec = { kind: 'udp', host, port, cast, direction, interfaces };
    if (ttlText !== null) spec.ttl = parseTtl(ttlText, 'url ttl');
    return spec;
  }

  fail(url, `unknown scheme '${schemeMatch[1] as string}'`);
}

function directionOf(url: string, unique: Set<string>): Direction {
  if (unique.has('wo') && unique.has('ro')) fail(url, '+wo and +ro together');
  return unique.has('wo') ? 'send' : unique.has('ro') ? 'receive' : 'both';
}

function parseMqtt(url: string, kind: 'mqtt' | 'mqtts', modifiers: string[], rest: string): MqttSpec {
  for (const modifier of modifiers) {
    if (modifier !== 'wo' && modifier !== 'ro') fail(url, `unknown modifier '+${modifier}' for ${kind}://`);
  }
  if (modifiers.includes('wo') && modifiers.includes('ro')) fail(url, '+wo and +ro together');
  const direction: Direction = modifiers.includes('wo') ? 'send' : modifiers.includes('ro') ? 'receive' : 'both';
  const [beforeQuery = '', query] = rest.split('?', 2) as [string, string | undefined];
  const slash = beforeQuery.indexOf('/');
  const authorityPart = slash < 0 ? beforeQuery : beforeQuery.slice(0, slash);
  const path = slash < 0 ? '' : beforeQuery.slice(slash + 1);
  const params = new URLSearchParams(query ?? '');
  for (const key of params.keys()) {
    if (key !== 'subscribe') fail(url, `unknown parameter '${key}' (allowed: subscribe)`);
  }
  const at = authorityPart.lastIndexOf('@');
  const userinfo = at < 0 ? undefined : authorityPart.slice(0, at);
  const { host, port } = splitAuthority(url, at < 0 ? authorityPart : authorityPart.slice(at + 1), DEFAULT_PORTS[kind]);
  if (port === 0) fail(url, "bad port '0' (1-65535)");
  let topic: string;
  try {
    topic = decodeURIComponent(path);
  } catch {
    fail(url, 'bad %-escape in the topic');
  }
  if (topic === '') fail(url, `missing topic: ${kind}://host:${DEFAULT_PORTS[kind]}/TOPIC`);
  const wildcard = /[+#]/.test(topic);
  if (wildcard && direction !== 'receive') fail(url, `the topic '${topic}' has a wildcard: only ${kind}+ro:// can subscribe to it (publish to a plain topic)`);
  const spec: MqttSpec = { kind, host, port, topic, direction };
  const subscribe = params.get('subscribe');
  if (subscribe !== null) {
    if (subscribe === '') fail(url, 'empty subscribe filter');
    if (direction === 'send') fail(url, 'subscribe= on a +wo URL, which subscribes to nothing');
    spec.subscribe = subscribe;
  }
  if (userinfo !== undefined) {
    const colon = userinfo.indexOf(':');
    try {
      spec.username = decodeURIComponent(colon < 0 ? userinfo : userinfo.slice(0, colon));
      if (colon >= 0) spec.password = decodeURIComponent(userinfo.slice(colon + 1));
    } catch {
      fail(url, 'bad %-escape in the user or password');
    }
  }
  return spec;
}

function parseWss(url: string, rest: string, modifiers: string[]): WssSpec {
  const unique = new Set(modifiers);
  for (const modifier of unique) {
    if (modifier !== 'wo' && modifier !== 'ro' && modifier !== 'listen') fail(url, `unknown modifier '+${modifier}' for wss://`);
  }
  const direction = directionOf(url, unique);
  const match = /^([^/?#]*)(\/[^?#]*)?$/.exec(rest);
  if (!match) fail(url, 'wss:// takes no query or fragment');
  const { host, port } = splitAuthority(url, match[1] ?? '', DEFAULT_PORTS.wss);
  const path = match[2] === undefined || match[2] === '/' ? DEFAULT_WSS_PATH : match[2];
  if (unique.has('listen')) {
    if (isIP(host) === 0 && host !== 'localhost') fail(url, `a listener binds an address, not '${host}' (0.0.0.0 for all)`);
    return { kind: 'wss-listen', host, port, path, direction };
  }
  if (port === 0) fail(url, "bad port '0' (1-65535)");
  return { kind: 'wss', host, port, path, direction };
}

function parseMarti(url: string, rest: string, modifiers: string[]): MartiSpec {
  const unique = new Set(modifiers);
  for (const modifier of unique) {
    if (modifier !== 'wo' && modifier !== 'ro' && modifier !== 'http') fail(url, `unknown modifier '+${modifier}' for marti://`);
  }
  const direction = directionOf(url, unique);
  const authority = rest.replace(/\/+$/, '');
  if (/[/?#]/.test(authority)) fail(url, 'marti:// takes no path or query (the API paths are fixed)');
  const secure = !unique.has('http');
  const { host, port } = splitAuthority(url, authority, secure ? DEFAULT_PORTS.marti : DEFAULT_PORTS.martiHttp);
  if (port === 0) fail(url, "bad port '0' (1-65535)");
  return { kind: 'marti', secure, host, port, direction };
}

/** `host:port`, with IPv6 in brackets: for logs and EventOrigin.peer. */
export function formatAddress(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}
