/**
 * The [marti] section as the server uses it: listen URL, TLS files, advertised host,
 * limits and the store directory. Parsing only; nothing here opens sockets or files.
 */
import { join } from 'node:path';
import type { TlsSettings } from '../transports/tls-options.js';

export interface MartiListen {
  scheme: 'http' | 'https';
  host: string;
  port: number;
}

export interface MartiSettings {
  listen: MartiListen;
  tls: TlsSettings;
  /** false: HTTPS without client certificates (warned at start). */
  requireClientCert: boolean;
  /** Host (and optional :port) phones use in download URLs. */
  advertise?: string;
  maxFileSize: number;
  quota: number;
  /** Store directory; undefined: $STATE_DIRECTORY/packages, else /var/lib/takd/packages. */
  dir?: string;
  maxUploads: number;
  maxClientsPerAddress: number;
  uploadTimeoutMs: number;
}

export const MARTI_DEFAULTS = {
  maxFileSize: 100 * 1024 * 1024,
  quota: 1024 * 1024 * 1024,
  maxUploads: 4,
  maxClientsPerAddress: 16,
  uploadTimeoutSeconds: 600,
} as const;

/** `https+listen://0.0.0.0:8443` → { scheme, host, port }; throws Error with what is allowed. */
export function parseMartiUrl(text: string): MartiListen {
  const match = /^(https?)\+listen:\/\/(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+))(?::(\d{1,5}))?\/?$/.exec(text.trim());
  if (!match) throw new Error(`'${text.slice(0, 100)}' is not https+listen://HOST:PORT or http+listen://HOST:PORT (e.g. https+listen://0.0.0.0:8443)`);
  const scheme = match[1] as 'http' | 'https';
  const port = match[4] === undefined ? (scheme === 'https' ? 8443 : 8080) : Number(match[4]);
  if (port < 1 || port > 65535) throw new Error(`port ${port} is out of range (1-65535)`);
  return { scheme, host: match[2] ?? match[3], port };
}

/** `host`, `host:port` or `[v6]:port` → parts; throws on anything else (and on wildcards). */
export function parseAdvertise(text: string): { host: string; port?: number } {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)|([0-9A-Fa-f]*:[0-9A-Fa-f:.]+))(?::(\d{1,5}))?$/.exec(text.trim());
  if (!match) throw new Error(`'${text.slice(0, 100)}' is not a host name or address (e.g. 192.168.1.10 or tak.local:8443)`);
  const host = match[1] ?? match[2] ?? match[3];
  if (host === '0.0.0.0' || host === '::' || /^\[?::0*\]?$/.test(host)) throw new Error('a wildcard address is not reachable by phones: give the address they connect to');
  const result: { host: string; port?: number } = { host };
  if (match[4] !== undefined) result.port = Number(match[4]);
  return result;
}

/** The store directory when [marti] dir is unset. */
export function defaultPackageDir(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.STATE_DIRECTORY?.split(':')[0];
  return join(state !== undefined && state !== '' ? state : '/var/lib/takd', 'packages');
}

type Values = ReadonlyMap<string, { value: unknown }>;

/** The [marti] section's values (already type-checked by the loader) → settings; undefined when no url is set. */
export function martiSettings(values: Values | undefined): MartiSettings | undefined {
  const get = (key: string): unknown => values?.get(key)?.value;
  const text = (key: string): string | undefined => {
    const value = get(key);
    return value === undefined || value === '' ? undefined : String(value);
  };
  const url = text('url');
  if (url === undefined) return undefined;
  const tls: TlsSettings = {};
  for (const [key, name] of [['cert', 'cert'], ['key', 'key'], ['password', 'password'], ['passwordFile', 'password_file'], ['clientCa', 'client_ca']] as const) {
    const value = text(name);
    if (value !== undefined) tls[key] = value;
  }
  const number = (key: string, fallback: number): number => (get(key) === undefined ? fallback : Number(get(key)));
  const settings: MartiSettings = {
    listen: parseMartiUrl(url),
    tls,
    requireClientCert: get('require_client_cert') !== false,
    maxFileSize: number('max_file_size', MARTI_DEFAULTS.maxFileSize),
    quota: number('quota', MARTI_DEFAULTS.quota),
    maxUploads: number('max_uploads', MARTI_DEFAULTS.maxUploads),
    maxClientsPerAddress: number('max_clients_per_address', MARTI_DEFAULTS.maxClientsPerAddress),
    uploadTimeoutMs: Math.round(number('upload_timeout', MARTI_DEFAULTS.uploadTimeoutSeconds) * 1000),
  };
  const advertise = text('advertise');
  if (advertise !== undefined) settings.advertise = advertise;
  const dir = text('dir');
  if (dir !== undefined) settings.dir = dir;
  return settings;
}
