// wss:// (TAK Server's WebSocket endpoint, client.ts) and wss+listen:// (websocket clients
// join the hub, listener.ts): TAK protocol v1 frames in WebSocket messages. `ws` itself
// loads on start (load-ws.ts).
import type { TransportKind, UrlParts } from '../contract.js';
import { checkClientPort, checkListenAddress, checkModifiers, directionOf, fail, splitAuthority } from '../url-parts.js';
import type { Direction } from '../url.js';

/** wss:// client (TAK Server's WebSocket endpoint) and wss+listen:// (websocket clients join the hub). */
export interface WssSpec {
  kind: 'wss' | 'wss-listen';
  host: string;
  port: number;
  /** Request path (client) or the path accepted (listener); default /takproto/1. */
  path: string;
  direction: Direction;
}

export const WSS_PORT = 8443;

/** TAK Server's WebSocket path (WebSocketConfiguration). */
export const DEFAULT_WSS_PATH = '/takproto/1';

const MODIFIERS = ['wo', 'ro', 'listen'] as const;

function parseWss(parts: UrlParts): WssSpec {
  const { url, unique } = parts;
  checkModifiers(parts, MODIFIERS, 'wss');
  const direction = directionOf(url, unique);
  const match = /^([^/?#]*)(\/[^?#]*)?$/.exec(parts.rest);
  if (!match) fail(url, 'wss:// takes no query or fragment');
  const { host, port } = splitAuthority(url, match[1] ?? '', WSS_PORT);
  const path = match[2] === undefined || match[2] === '/' ? DEFAULT_WSS_PATH : match[2];
  if (unique.has('listen')) {
    checkListenAddress(url, host);
    return { kind: 'wss-listen', host, port, path, direction };
  }
  checkClientPort(url, port);
  return { kind: 'wss', host, port, path, direction };
}

export const wssKind: TransportKind<WssSpec> = {
  scheme: 'wss',
  listens: false,
  modifiers: MODIFIERS,
  kinds: ['wss'],
  role: 'server',
  receives: true,
  usage: 'wss://HOST:8443/takproto/1',
  summary: 'TAK Server\'s WebSocket (+wo, +ro)',
  example: 'wss://tak.example.org:8443/takproto/1',
  parse: parseWss,
  tls: () => 'client',
  keys: [],
  load: async () => {
    const { WssClient } = await import('./client.js');
    return { create: (spec, options) => new WssClient(spec, options) };
  },
};

export const wssListenKind: TransportKind<WssSpec> = {
  scheme: 'wss',
  listens: true,
  modifiers: MODIFIERS,
  kinds: ['wss-listen'],
  role: 'peers',
  receives: true,
  usage: 'wss+listen://ADDR:8443/PATH',
  summary: 'websocket clients connect to takd (hub members)',
  example: 'wss+listen://0.0.0.0:8443/takproto/1',
  parse: parseWss,
  tls: () => 'server',
  keys: [],
  load: async () => {
    const { WssListener } = await import('./listener.js');
    return { create: (spec, options) => new WssListener(spec, options) };
  },
};
