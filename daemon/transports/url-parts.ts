/**
 * The pieces every row's URL parser uses (the rows' `parse`, contract.ts): a URL cut into
 * scheme, modifiers and the rest; host:port with defaults; +wo/+ro; the one error wording.
 */
import { isIP } from 'node:net';
import { TransportConfigError } from './errors.js';
import type { Direction } from './url.js';

/** A transport URL cut once by parseTransportUrl, for the row that answers its scheme. */
export interface UrlParts {
  /** The URL as given, for error messages. */
  url: string;
  /** The scheme before any modifier, lower case: `tcp` of `tcp+listen+ro://`. */
  base: string;
  /** The modifiers after it, lower case, in order (never repeated). */
  modifiers: string[];
  unique: Set<string>;
  /** Everything after `://`. */
  rest: string;
}

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*\.?$/;

export function fail(url: string, what: string): never {
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
export function splitAuthority(url: string, authority: string, defaultPort: number): { host: string; port: number } {
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

/** Refuses a modifier the row does not take: `unknown modifier '+x' for tcp://`. */
export function checkModifiers(parts: UrlParts, allowed: readonly string[], scheme = parts.base): void {
  for (const modifier of parts.unique) {
    if (!allowed.includes(modifier)) fail(parts.url, `unknown modifier '+${modifier}' for ${scheme}://`);
  }
}

/** +wo: send only, +ro: receive only, neither: both. */
export function directionOf(url: string, unique: Set<string>): Direction {
  if (unique.has('wo') && unique.has('ro')) fail(url, '+wo and +ro together');
  return unique.has('wo') ? 'send' : unique.has('ro') ? 'receive' : 'both';
}

/** A listener binds an address of this box (or localhost), never a name to resolve. */
export function checkListenAddress(url: string, host: string): void {
  if (isIP(host) === 0 && host !== 'localhost') fail(url, `a listener binds an address, not '${host}' (0.0.0.0 for all)`);
}

/** Clients connect to a real port; only listeners may ask for port 0 (any free one). */
export function checkClientPort(url: string, port: number): void {
  if (port === 0) fail(url, "bad port '0' (1-65535)");
}

export function parseTtl(text: string, key = 'ttl'): number {
  const ttl = Number(text);
  if (!/^\d+$/.test(text) || ttl < 1 || ttl > 255) throw new TransportConfigError(key, `'${text}' is not a TTL (allowed: 1-255)`);
  return ttl;
}

/** `host:port`, with IPv6 in brackets: for logs and EventOrigin.peer. */
export function formatAddress(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}
