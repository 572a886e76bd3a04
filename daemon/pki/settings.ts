/**
 * [pki] and [enrollment] as takd uses them. Parsing only: nothing here opens a socket or
 * loads forge, so config/ may import it.
 */
import { DEFAULT_PKI_DIR } from './paths.js';

export interface PkiSettings {
  dir: string;
  clientDays: number;
  tokenHours: number;
}

export interface EnrollmentListen {
  host: string;
  port: number;
}

export interface EnrollmentSettings {
  listen: EnrollmentListen;
  /** Host phones reach (the tak:// link's host=); undefined: the server certificate's first name. */
  advertise?: string;
  maxClientsPerAddress: number;
  /** Wrong passwords from one address per 10 minutes before it is answered 429. */
  maxFailures: number;
  failureDelayMs: number;
  maxCsrBytes: number;
}

export const ENROLLMENT_DEFAULTS = { port: 8446, maxClientsPerAddress: 16, maxFailures: 10, failureDelaySeconds: 2, maxCsrBytes: 16 * 1024 } as const;
export const PKI_DEFAULTS = { dir: DEFAULT_PKI_DIR, clientDays: 365, tokenHours: 24 } as const;

/** `https+listen://0.0.0.0:8446` → host and port; throws Error saying what is allowed. */
export function parseEnrollmentUrl(text: string): EnrollmentListen {
  const match = /^https\+listen:\/\/(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+))(?::(\d{1,5}))?\/?$/.exec(text.trim());
  if (!match) throw new Error(`'${text.slice(0, 100)}' is not https+listen://HOST:PORT (e.g. https+listen://0.0.0.0:8446); enrollment is HTTPS only`);
  const port = match[3] === undefined ? ENROLLMENT_DEFAULTS.port : Number(match[3]);
  if (port < 1 || port > 65535) throw new Error(`port ${port} is out of range (1-65535)`);
  return { host: match[1] ?? match[2], port };
}

type Values = ReadonlyMap<string, { value: unknown }> | undefined;

function reader(values: Values): { text(key: string): string | undefined; number(key: string, fallback: number): number } {
  return {
    text: (key) => {
      const value = values?.get(key)?.value;
      return value === undefined || value === '' ? undefined : String(value);
    },
    number: (key, fallback) => {
      const value = values?.get(key)?.value;
      return value === undefined ? fallback : Number(value);
    },
  };
}

export function pkiSettings(values: Values): PkiSettings {
  const r = reader(values);
  return { dir: r.text('dir') ?? PKI_DEFAULTS.dir, clientDays: r.number('client_days', PKI_DEFAULTS.clientDays), tokenHours: r.number('token_hours', PKI_DEFAULTS.tokenHours) };
}

/** Undefined without a url: no enrollment server. */
export function enrollmentSettings(values: Values): EnrollmentSettings | undefined {
  const r = reader(values);
  const url = r.text('url');
  if (url === undefined) return undefined;
  const settings: EnrollmentSettings = {
    listen: parseEnrollmentUrl(url),
    maxClientsPerAddress: r.number('max_clients_per_address', ENROLLMENT_DEFAULTS.maxClientsPerAddress),
    maxFailures: r.number('max_failures', ENROLLMENT_DEFAULTS.maxFailures),
    failureDelayMs: Math.round(r.number('failure_delay', ENROLLMENT_DEFAULTS.failureDelaySeconds) * 1000),
    maxCsrBytes: r.number('max_csr_bytes', ENROLLMENT_DEFAULTS.maxCsrBytes),
  };
  const advertise = r.text('advertise');
  if (advertise !== undefined) settings.advertise = advertise;
  return settings;
}
