/**
 * PyTAK's environment keys → transport options, so an existing PyTAK gateway's settings
 * work unchanged with `takd send` / `takd listen` (the daemon's config loader reads the
 * same keys from INI and environment).
 */
import { TransportConfigError } from './errors.js';
import type { TransportOptions } from './options.js';
import type { TlsSettings } from './tls-options.js';
import { parseTtl } from './url.js';

/** PyTAK's pause between writes in FTS_COMPAT mode: a random part of 5 s. */
const FTS_COMPAT_MAX_SLEEP_MS = 5_000;

const TRUE = new Set(['true', 'yes', 'on', '1']);
const FALSE = new Set(['false', 'no', 'off', '0']);

export function parseBoolean(key: string, text: string): boolean {
  const value = text.trim().toLowerCase();
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  throw new TransportConfigError(key, `'${text}' is not a boolean (allowed: true/false/yes/no/on/off/1/0)`);
}

function positiveInteger(key: string, text: string, min: number): number {
  const value = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || value < min) throw new TransportConfigError(key, `'${text}' is not an integer >= ${min}`);
  return value;
}

export function optionsFromPytakEnv(env: NodeJS.ProcessEnv): TransportOptions {
  const options: TransportOptions = {};
  const get = (key: string): string | undefined => {
    const value = env[key];
    return value === undefined || value === '' ? undefined : value;
  };
  const proto = get('TAK_PROTO');
  if (proto !== undefined) {
    if (proto !== '0' && proto !== '1') throw new TransportConfigError('TAK_PROTO', `'${proto}' is not a TAK protocol version (allowed: 0, 1)`);
    options.proto = proto === '1' ? 1 : 0;
  }
  const tls: TlsSettings = {};
  const tlsKeys: [string, keyof TlsSettings][] = [
    ['PYTAK_TLS_CLIENT_CERT', 'cert'],
    ['PYTAK_TLS_CLIENT_KEY', 'key'],
    ['PYTAK_TLS_CLIENT_CAFILE', 'ca'],
    ['PYTAK_TLS_CLIENT_PASSWORD', 'password'],
    ['PYTAK_TLS_SERVER_EXPECTED_HOSTNAME', 'expectedHostname'],
    ['PYTAK_TLS_CLIENT_CIPHERS', 'ciphers'],
  ];
  for (const [envKey, setting] of tlsKeys) {
    const value = get(envKey);
    if (value !== undefined) (tls as Record<string, string>)[setting] = value;
  }
  const dontVerify = get('PYTAK_TLS_DONT_VERIFY');
  if (dontVerify !== undefined) tls.dontVerify = parseBoolean('PYTAK_TLS_DONT_VERIFY', dontVerify);
  const dontCheck = get('PYTAK_TLS_DONT_CHECK_HOSTNAME');
  if (dontCheck !== undefined) tls.dontCheckHostname = parseBoolean('PYTAK_TLS_DONT_CHECK_HOSTNAME', dontCheck);
  if (Object.keys(tls).length > 0) options.tls = tls;

  const addresses = get('PYTAK_MULTICAST_LOCAL_ADDRS') ?? get('PYTAK_MULTICAST_LOCAL_ADDR');
  if (addresses !== undefined) options.interfaces = addresses.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const ttl = get('PYTAK_MULTICAST_TTL');
  if (ttl !== undefined) options.ttl = parseTtl(ttl, 'PYTAK_MULTICAST_TTL');
  const maxOut = get('MAX_OUT_QUEUE');
  if (maxOut !== undefined) options.maxQueue = positiveInteger('MAX_OUT_QUEUE', maxOut, 1);

  const sleep = get('PYTAK_SLEEP');
  const ftsCompat = get('FTS_COMPAT');
  if (sleep !== undefined) {
    const ms = positiveInteger('PYTAK_SLEEP', sleep, 0) * 1000;
    options.pauseBetweenWritesMs = () => ms;
  } else if (ftsCompat !== undefined && parseBoolean('FTS_COMPAT', ftsCompat)) {
    options.pauseBetweenWritesMs = () => Math.floor(Math.random() * FTS_COMPAT_MAX_SLEEP_MS);
  }
  const noHello = get('PYTAK_NO_HELLO');
  if (noHello !== undefined) options.noHello = parseBoolean('PYTAK_NO_HELLO', noHello);
  return options;
}
