// udp://: Mesh SA (multicast when the address is a group), unicast, and udp+broadcast://;
// the implementation is ../udp.ts. Query parameters: ttl=N, interface=IF (repeatable or
// comma-separated).
import type { TransportKind, UrlParts } from '../contract.js';
import { checkModifiers, directionOf, fail, isMulticast, parseTtl, splitAuthority } from '../url-parts.js';
import type { Cast, Direction } from '../url.js';
import { isIP } from 'node:net';

export interface UdpSpec {
  kind: 'udp';
  host: string;
  port: number;
  cast: Cast;
  direction: Direction;
  ttl?: number;
  interfaces: string[];
}

/** ATAK's Mesh SA port. */
export const UDP_PORT = 6969;

function parseQuery(url: string, query: string): URLSearchParams {
  const params = new URLSearchParams(query);
  for (const key of params.keys()) {
    if (key !== 'ttl' && key !== 'interface') fail(url, `unknown parameter '${key}' (allowed: ttl, interface)`);
  }
  return params;
}

function parseUdp(parts: UrlParts): UdpSpec {
  const { url, unique } = parts;
  const [authority = '', query = ''] = parts.rest.replace(/\/+(?=\?|$)/, '').split('?', 2);
  const direction = directionOf(url, unique);
  checkModifiers(parts, udpKind.modifiers);
  const { host, port } = splitAuthority(url, authority, UDP_PORT);
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

export const udpKind: TransportKind<UdpSpec> = {
  scheme: 'udp',
  listens: false,
  modifiers: ['wo', 'ro', 'broadcast'],
  kinds: ['udp'],
  role: 'mesh',
  receives: true,
  usage: 'udp://GROUP:6969',
  summary: 'Mesh SA (multicast when the address is a group; udp+broadcast://, +wo, +ro; ?ttl=N&interface=IF)',
  example: 'udp://239.2.3.1:6969',
  parse: parseUdp,
  keys: [],
  load: async () => {
    const { UdpTransport } = await import('../udp.js');
    return { create: (spec, options) => new UdpTransport(spec, options) };
  },
};
