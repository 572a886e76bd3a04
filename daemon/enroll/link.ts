/**
 * The enrollment deep link phones scan (tak-server-api.md §4):
 * `tak://com.atakmap.app/enroll?host=HOST&username=USER&token=TOKEN`. `host` may carry the
 * streaming port (`host=tak.example.org:8089`, PyTAK's reading); without one takd connects
 * to 8089. No key material here: config/ parses links with this file alone.
 */
import { isIP } from 'node:net';
import { TransportConfigError } from '../transports/errors.js';

export interface EnrollLink {
  /** The server's name or address (IPv6 without brackets). */
  host: string;
  /** The streaming port when the link names one. */
  port?: number;
  username: string;
  /** One-time token or password: a secret, never logged. */
  token: string;
}

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*\.?$/;

export function isEnrollLink(url: string): boolean {
  return /^tak:\/\//i.test(url.trim());
}

function fail(what: string): never {
  throw new TransportConfigError('url', `${what} (e.g. tak://com.atakmap.app/enroll?host=tak.example.org&username=alice&token=…)`);
}

/** Throws TransportConfigError naming what is wrong; the message never quotes the token. */
export function parseEnrollLink(url: string): EnrollLink {
  const match = /^tak:\/\/([^/?#]*)(\/[^?#]*)?\?([^#]*)$/i.exec(url.trim());
  if (!match) fail('not a tak:// enrollment link');
  if (!/^\/enroll\/?$/i.test(match[2] ?? '')) fail(`tak:// link path '${match[2] ?? ''}' is not /enroll`);
  const params = new URLSearchParams(match[3]);
  for (const key of params.keys()) {
    if (key !== 'host' && key !== 'username' && key !== 'token') fail(`unknown parameter '${key}' in the tak:// link (allowed: host, username, token)`);
  }
  const one = (key: string): string => {
    const values = params.getAll(key);
    if (values.length !== 1 || (values[0] as string).trim() === '') fail(`the tak:// link needs exactly one ${key}=`);
    return (values[0] as string).trim();
  };
  const hostParam = one('host');
  const username = one('username');
  const token = one('token');
  if (/[\s:/\\]/.test(username) || username.length > 128) fail(`bad username '${username}' in the tak:// link`);
  const hostMatch = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(hostParam) ?? (isIP(hostParam) === 6 ? [hostParam, hostParam, undefined, undefined] : null);
  if (!hostMatch) fail(`bad host '${hostParam}' in the tak:// link`);
  const host = (hostMatch[1] ?? hostMatch[2]) as string;
  if (isIP(host) === 0 && !HOSTNAME.test(host)) fail(`bad host '${host}' in the tak:// link`);
  if (hostMatch[1] !== undefined && isIP(host) !== 6) fail(`bad IPv6 address '${host}' in the tak:// link`);
  const link: EnrollLink = { host, username, token };
  if (hostMatch[3] !== undefined) {
    const port = Number(hostMatch[3]);
    if (port < 1 || port > 65535) fail(`bad port '${hostMatch[3]}' in the tak:// link`);
    link.port = port;
  }
  return link;
}

/** The link with its token hidden, for logs and `config show`. */
export function redactEnrollLink(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, '$1<redacted>');
}
