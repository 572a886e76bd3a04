// tcp://, tls:// (ssl://), tcp+listen://, tls+listen://: TAK's streams, as clients
// (stream-client.ts) and as listeners for end-user devices (stream-listener.ts). One URL
// parser for the four rows.
import type { TransportKind, UrlParts } from '../contract.js';
import { checkClientPort, checkListenAddress, checkModifiers, directionOf, fail, splitAuthority } from '../url-parts.js';
import type { Direction } from '../url.js';

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

/** ATAK's and PyTAK's: 8087 plain, 8089 TLS. */
export const STREAM_PORTS = { tcp: 8087, tls: 8089 } as const;

const MODIFIERS = ['wo', 'ro', 'listen'] as const;

function parseStream(parts: UrlParts): StreamSpec | ListenSpec {
  const { url, base, unique } = parts;
  const [authority = '', query = ''] = parts.rest.replace(/\/+(?=\?|$)/, '').split('?', 2);
  const direction = directionOf(url, unique);
  const kind = base === 'tcp' ? 'tcp' : 'tls';
  checkModifiers(parts, MODIFIERS);
  if (query !== '') fail(url, `${base}:// takes no parameters`);
  const { host, port } = splitAuthority(url, authority, STREAM_PORTS[kind]);
  if (unique.has('listen')) {
    checkListenAddress(url, host);
    // Port 0: any free port (tests; the bound port is in status and `port`).
    return { kind: kind === 'tcp' ? 'tcp-listen' : 'tls-listen', host, port, direction };
  }
  checkClientPort(url, port);
  return { kind, host, port, direction };
}

function clientRow(scheme: 'tcp' | 'tls'): TransportKind<StreamSpec> {
  return {
    scheme,
    ...(scheme === 'tls' ? { aliases: ['ssl'] } : {}),
    listens: false,
    modifiers: MODIFIERS,
    kinds: [scheme],
    role: 'server',
    receives: true,
    usage: scheme === 'tcp' ? 'tcp://HOST:8087' : 'tls://HOST:8089 (ssl://)',
    example: `${scheme}://tak.example.org:${STREAM_PORTS[scheme]}`,
    summary: scheme === 'tcp' ? 'a TAK Server over TCP (+wo send only, +ro receive only)' : 'a TAK Server over TLS, with a client certificate (+wo, +ro)',
    parse: (parts) => parseStream(parts) as StreamSpec,
    ...(scheme === 'tls' ? { tls: () => 'client' as const } : {}),
    keys: [],
    load: async () => {
      const { StreamClient } = await import('../stream-client.js');
      return { create: (spec, options) => new StreamClient(spec, options) };
    },
  };
}

function listenRow(scheme: 'tcp' | 'tls'): TransportKind<ListenSpec> {
  return {
    scheme,
    ...(scheme === 'tls' ? { aliases: ['ssl'] } : {}),
    listens: true,
    modifiers: MODIFIERS,
    kinds: [scheme === 'tcp' ? 'tcp-listen' : 'tls-listen'],
    role: 'peers',
    receives: true,
    usage: scheme === 'tcp' ? 'tcp+listen://ADDR:8087' : 'tls+listen://ADDR:8089',
    example: `${scheme}+listen://0.0.0.0:${STREAM_PORTS[scheme]}`,
    summary: scheme === 'tcp' ? 'end-user devices (ATAK, iTAK) connect to takd (+wo, +ro)' : 'end-user devices connect with certificates from client_ca (+wo, +ro)',
    parse: (parts) => parseStream(parts) as ListenSpec,
    ...(scheme === 'tls' ? { tls: () => 'server' as const } : {}),
    keys: [],
    load: async () => {
      const { StreamListener } = await import('../stream-listener.js');
      return { create: (spec, options) => new StreamListener(spec, options) };
    },
  };
}

export const tcpKind = clientRow('tcp');
export const tlsKind = clientRow('tls');
export const tcpListenKind = listenRow('tcp');
export const tlsListenKind = listenRow('tls');
