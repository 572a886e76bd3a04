/**
 * COT_URL-style URLs → a validated transport description, by the transport table
 * (table.ts): each row parses its own scheme (tcp, tls/ssl, tcp+listen, tls+listen, udp,
 * wss, wss+listen, marti, mqtt, mqtts, log, file) and says its role. `takd send --help`
 * lists them. The shared pieces of parsing are in url-parts.ts.
 */
import type { TransportKey, TransportKind } from './contract.js';

export type { TransportKey, TransportKeyValues } from './contract.js';
import { fail, type UrlParts } from './url-parts.js';
import { kindForScheme, kindOf, type transportKinds } from './table.js';

export { formatAddress, isMulticast, parseTtl } from './url-parts.js';
export type { StreamSpec, ListenSpec } from './stream/row.js';
export type { UdpSpec } from './udp/row.js';
export type { LogSpec, FileSpec } from './line/row.js';
export type { MqttSpec } from './mqtt/row.js';
export type { WssSpec } from './wss/row.js';
export type { MartiSpec } from './marti/row.js';

export type Direction = 'both' | 'send' | 'receive';
export type Cast = 'unicast' | 'multicast' | 'broadcast';

/** The spec a row's parser makes. */
type SpecOf<K> = K extends TransportKind<infer S> ? S : never;

/** Any parsed transport URL: the union of what the table's rows make (table.ts). */
export type TransportSpec = SpecOf<(typeof transportKinds)[number]>;

/**
 * What the far end of a transport is to the box, by kind (the router's link roles,
 * daemon/routing/roles.ts): a TAK server we connect to, Mesh SA, phones that connect to us,
 * or a record of everything. A `+ro`/`+wo` modifier changes the direction, never the role.
 */
export type TransportRole = 'server' | 'mesh' | 'peers' | 'sink' | 'fleet';

/** Each row says its role (contract.ts `role`). */
export function transportRole(spec: TransportSpec): TransportRole {
  return kindOf(spec).role;
}

/** Which way events flow; log:// and file:// only ever write. */
export function transportDirection(spec: TransportSpec): Direction {
  return 'direction' in spec ? spec.direction : 'send';
}

/** The TLS material a spec's transport loads (its row's `tls`): as a client, as a server, or none. */
export function transportTls(spec: TransportSpec): 'client' | 'server' | undefined {
  return kindOf(spec).tls?.(spec);
}

/** The spec's transport's own section keys (its row's `keys`). */
export function transportOwnKeys(spec: TransportSpec): readonly TransportKey[] {
  return kindOf(spec).keys;
}

/** Whether the spec's transport accepts connections (a +listen row). */
export function transportListens(spec: TransportSpec): boolean {
  return kindOf(spec).listens;
}

/** Whether the spec's transport can receive at all (log:// and file:// cannot). */
export function transportReceives(spec: TransportSpec): boolean {
  return kindOf(spec).receives;
}

/**
 * URL → spec, by the row that answers its scheme (table.ts). Hidden rows (the template)
 * answer only when asked for.
 */
export function parseTransportUrl(url: string, options: { hidden?: boolean } = {}): TransportSpec {
  const schemeMatch = /^([a-z0-9+]+):\/\/(.*)$/i.exec(url.trim());
  if (!schemeMatch) fail(url, 'not a URL');
  const [base = '', ...modifiers] = (schemeMatch[1] as string).toLowerCase().split('+');
  const unique = new Set(modifiers);
  if (unique.size !== modifiers.length) fail(url, 'repeated modifier');
  const row = kindForScheme(base, unique.has('listen'), options.hidden === true);
  if (row === undefined) fail(url, `unknown scheme '${schemeMatch[1] as string}'`);
  const parts: UrlParts = { url, base, modifiers, unique, rest: schemeMatch[2] as string };
  return row.parse(parts) as TransportSpec;
}
