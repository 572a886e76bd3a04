// marti:// (HTTPS) and marti+http://: TAK Server's REST API, events sent by its injector and
// received by polling (client.ts).
import type { TransportKey, TransportKeyValues, TransportKind, UrlParts } from '../contract.js';
import type { MartiClientSettings, TransportOptions } from '../options.js';
import { checkClientPort, checkModifiers, directionOf, fail, splitAuthority } from '../url-parts.js';
import type { Direction } from '../url.js';

/** marti:// (HTTPS) and marti+http://: TAK Server REST, send by injector, receive by polling. */
export interface MartiSpec {
  kind: 'marti';
  secure: boolean;
  host: string;
  port: number;
  direction: Direction;
}

export const MARTI_PORTS = { https: 8443, http: 8080 } as const;

function parseMarti(parts: UrlParts): MartiSpec {
  const { url, unique } = parts;
  checkModifiers(parts, martiKind.modifiers);
  const direction = directionOf(url, unique);
  const authority = parts.rest.replace(/\/+$/, '');
  if (/[/?#]/.test(authority)) fail(url, 'marti:// takes no path or query (the API paths are fixed)');
  const secure = !unique.has('http');
  const { host, port } = splitAuthority(url, authority, secure ? MARTI_PORTS.https : MARTI_PORTS.http);
  checkClientPort(url, port);
  return { kind: 'marti', secure, host, port, direction };
}

const seconds = (min: number, max: number) => ({ kind: 'number', min, max, unit: 's' }) as const;

/** PyTAK's MARTI_* names; the client applies its own defaults (DEFAULTS.marti*). */
const MARTI_KEYS: readonly TransportKey[] = [
  { key: 'marti_cot_uid', type: { kind: 'string' }, defaultText: 'takd.uid', doc: 'the uid sent with every event to POST /Marti/api/injectors/cot/uid', pytak: 'MARTI_COT_UID' },
  { key: 'marti_poll_interval', type: seconds(0.1, 3600), default: 5, doc: 'how often GET /Marti/api/cot/sa is polled for new events', pytak: 'MARTI_POLL_INTERVAL' },
  { key: 'marti_poll_seconds_ago', type: seconds(0, 86400), default: 30, doc: 'how far back the first poll window reaches (later windows overlap the previous one by one interval; duplicates are dropped)', pytak: 'MARTI_POLL_SECONDS_AGO' },
];

/** The keys' values → TransportOptions.marti (seconds → ms). */
function martiOptions(values: TransportKeyValues): Partial<TransportOptions> {
  const ms = (key: string): number => Math.round(Number(values[key]) * 1000);
  const marti: MartiClientSettings = { pollIntervalMs: ms('marti_poll_interval'), pollSecondsAgoMs: ms('marti_poll_seconds_ago') };
  const cotUid = values.marti_cot_uid;
  if (cotUid !== undefined && cotUid !== '') marti.cotUid = String(cotUid);
  return { marti };
}

export const martiKind: TransportKind<MartiSpec> = {
  scheme: 'marti',
  listens: false,
  modifiers: ['wo', 'ro', 'http'],
  kinds: ['marti'],
  role: 'server',
  receives: true,
  usage: 'marti://HOST:8443',
  summary: 'TAK Server REST: injector out, polling in (marti+http://HOST:8080 plain; +wo, +ro)',
  example: 'marti://tak.example.org:8443',
  parse: parseMarti,
  tls: (spec) => (spec.secure ? 'client' : undefined),
  keys: MARTI_KEYS,
  options: martiOptions,
  load: async () => {
    const { MartiClient } = await import('./client.js');
    return { create: (spec, options) => new MartiClient(spec, options) };
  },
};
