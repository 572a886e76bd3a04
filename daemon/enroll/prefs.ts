/**
 * ATAK's preference files (`*.pref`, tak-server-api.md §3): `<entry key="…">value</entry>`
 * under one or more `<preference name="…">`. Read by a linear scan (no regular expression
 * that could backtrack over a hostile megabyte), entities decoded, keys merged across the
 * preferences. PyTAK's writer suffixes the stream keys with 0 (`clientPassword0`) while its
 * reader and ATAK's own packages use plain ones: `streamSetting` accepts both.
 */

export type Prefs = Map<string, string>;

/** Entries at most: a connection package has a few dozen. */
const MAX_ENTRIES = 1000;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,4});/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name] ?? whole;
  });
}

/** An attribute's value in the inside of a start tag, entities decoded. */
export function attribute(tag: string, name: string): string | undefined {
  const at = tag.search(new RegExp(`\\s${name}\\s*=\\s*["']`));
  if (at < 0) return undefined;
  const open = tag.indexOf('=', at) + 1;
  const quoteAt = tag.slice(open).search(/["']/) + open;
  const quote = tag[quoteAt] as string;
  const close = tag.indexOf(quote, quoteAt + 1);
  return close < 0 ? undefined : decodeEntities(tag.slice(quoteAt + 1, close));
}

/** Every `<entry key=…>value</entry>` of the file; the first of a repeated key wins. */
export function parsePrefs(xml: string): Prefs {
  const prefs: Prefs = new Map();
  let at = 0;
  while (prefs.size < MAX_ENTRIES) {
    const start = xml.indexOf('<entry', at);
    if (start < 0) break;
    const tagEnd = xml.indexOf('>', start);
    if (tagEnd < 0) break;
    const tag = xml.slice(start + 6, tagEnd);
    at = tagEnd + 1;
    if (tag !== '' && !/^[\s/]/.test(tag)) continue; // <entryFoo>
    if (tag.endsWith('/')) continue; // <entry key="x"/>: no value
    const close = xml.indexOf('</entry>', at);
    if (close < 0) break;
    const key = attribute(tag, 'key');
    const value = decodeEntities(xml.slice(at, close)).trim();
    at = close + 8;
    if (key !== undefined && key !== '' && !prefs.has(key)) prefs.set(key, value);
  }
  return prefs;
}

/** A cot_streams setting of stream 0: `connectString0` or `connectString`. */
export function streamSetting(prefs: Prefs, key: string): string | undefined {
  const value = prefs.get(`${key}0`) ?? prefs.get(key);
  return value === undefined || value === '' ? undefined : value;
}

export interface ConnectTarget {
  host: string;
  port: number;
  protocol: 'ssl' | 'tcp' | 'udp';
}

/** `HOST:PORT:ssl|tcp|udp` (connectString0); the host may be an IPv6 address, in brackets or not. */
export function parseConnectString(text: string): ConnectTarget {
  const parts = text.trim().split(':');
  if (parts.length < 3) throw new Error(`connectString '${text}' is not HOST:PORT:ssl|tcp|udp`);
  const protocol = (parts.pop() as string).toLowerCase();
  const portText = parts.pop() as string;
  const host = parts.join(':').replace(/^\[(.*)\]$/, '$1');
  const port = Number(portText);
  if (protocol !== 'ssl' && protocol !== 'tcp' && protocol !== 'udp') throw new Error(`connectString '${text}': protocol '${protocol}' is not ssl, tcp or udp`);
  if (!/^\d{1,5}$/.test(portText) || port < 1 || port > 65535) throw new Error(`connectString '${text}': bad port '${portText}'`);
  if (host === '' || /[\s/?#@[\]]/.test(host)) throw new Error(`connectString '${text}': bad host '${host}'`);
  return { host, port, protocol };
}

/** The takd URL of a connect string: ssl → tls://, tcp → tcp://, udp → udp://. */
export function connectUrl(target: ConnectTarget): string {
  const scheme = target.protocol === 'ssl' ? 'tls' : target.protocol;
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `${scheme}://${host}:${target.port}`;
}
