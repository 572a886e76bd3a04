/**
 * Command-line flags shared by `takd send` and `takd listen`, merged over PyTAK's
 * environment keys (flags win). Returns the URL parsed once, the transport options and the
 * flags specific to the command; throws UsageError, TransportConfigError (a bad URL or
 * flag value) or ConfigError (a bad PyTAK environment value, named as the daemon names it).
 */
import { pytakOutput } from '../../config/pytak-output.js';
import { UsageError } from './command.js';
import type { TransportOptions } from '../transports/options.js';
import { outputTransportOptions } from '../transports/output-settings.js';
import type { TlsSettings } from '../transports/tls-options.js';
import { userTransportKinds, type RegisteredKind } from '../transports/table.js';
import { parseTransportUrl, parseTtl, type TransportSpec } from '../transports/url.js';

/** The help lines of the transport table's rows a command takes (contract.ts `help`), one a line. */
export function schemeHelp(takes: (row: RegisteredKind) => boolean): string {
  const rows = userTransportKinds().filter(takes);
  const width = Math.max(...rows.map((row) => row.usage.length));
  return rows.map((row) => `  ${row.usage.padEnd(width)}  ${row.summary}`).join('\n');
}

export const TRANSPORT_FLAGS_HELP = `Transport options (PyTAK environment keys work too: TAK_PROTO, PYTAK_TLS_*, PYTAK_MULTICAST_*):
  --proto 0|1            TAK protocol: 0 XML (default), 1 protobuf (negotiated on streams)
  --cert FILE            TLS client certificate: PEM, PEM with key, or .p12/.pfx
  --key FILE             TLS private key (PEM), when not inside --cert
  --password-file FILE   password of the .p12 or encrypted key
  --ca FILE              CA that signed the server certificate
  --client-ca FILE       tls+listen: require client certificates signed by this CA
  --client-cert optional tls+listen: let clients in without a certificate (warned)
  --hostname NAME        name the server certificate must carry
  --ttl N                multicast TTL, 1-255 (default 1)
  --interface IF         multicast interface, by name or IPv4 address (repeatable)
  -v, --verbose          log connects and retries on stderr
`;

export interface ParsedFlags {
  url: string;
  spec: TransportSpec;
  options: TransportOptions;
  verbose: boolean;
  /** Flags the command handles itself: name → value ('' for switches). */
  extra: Map<string, string>;
}

const VALUE_FLAGS = new Set(['--proto', '--cert', '--key', '--password-file', '--ca', '--client-ca', '--client-cert', '--hostname', '--ttl', '--interface']);

/** `commandFlags`: the command's own flags, each mapped to whether it takes a value. */
export function parseTransportFlags(args: string[], commandFlags: Record<string, boolean>, env: NodeJS.ProcessEnv): ParsedFlags {
  /** What the flags set; applied over the environment's settings once the URL is known. */
  const options: TransportOptions = {};
  const tls: TlsSettings = {};
  const interfaces: string[] = [];
  const extra = new Map<string, string>();
  let url: string | undefined;
  let verbose = false;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    const takesValue = VALUE_FLAGS.has(arg) || commandFlags[arg] === true;
    const value = takesValue ? args[i + 1] : '';
    if (takesValue) {
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      i += 1;
    }
    switch (arg) {
      case '--proto':
        if (value !== '0' && value !== '1') throw new UsageError(`--proto ${value}: allowed: 0, 1`);
        options.proto = value === '1' ? 1 : 0;
        break;
      case '--cert':
        tls.cert = value;
        break;
      case '--key':
        tls.key = value;
        break;
      case '--password-file':
        tls.passwordFile = value;
        break;
      case '--ca':
        tls.ca = value;
        break;
      case '--client-ca':
        tls.clientCa = value;
        break;
      case '--client-cert':
        if (value !== 'optional' && value !== 'required') throw new UsageError(`--client-cert ${value ?? ''}: allowed: required, optional`);
        tls.clientCert = value;
        break;
      case '--hostname':
        tls.expectedHostname = value;
        break;
      case '--ttl':
        options.ttl = parseTtl(value ?? '', '--ttl');
        break;
      case '--interface':
        interfaces.push(value ?? '');
        break;
      case '-v':
      case '--verbose':
        verbose = true;
        break;
      default:
        if (arg in commandFlags) extra.set(arg, value ?? '');
        else if (arg.startsWith('-')) throw new UsageError(`unknown option '${arg}'`);
        else if (url === undefined) url = arg;
        else throw new UsageError(`unexpected argument '${arg}'`);
    }
  }
  if (url === undefined) {
    if (env.COT_URL) url = env.COT_URL;
    else throw new UsageError('missing URL (or set COT_URL)');
  }
  const spec = parseTransportUrl(url);
  // PyTAK's environment for this URL first, the flags over it.
  const { tls: envTls, ...fromEnv } = outputTransportOptions(pytakOutput(url, env));
  const merged: TransportOptions = { ...fromEnv, ...options };
  if (interfaces.length > 0) merged.interfaces = interfaces;
  const mergedTls: TlsSettings = { ...envTls, ...tls };
  // --password-file replaces PYTAK_TLS_CLIENT_PASSWORD.
  if (tls.passwordFile !== undefined && tls.password === undefined) delete mergedTls.password;
  if (Object.keys(mergedTls).length > 0) merged.tls = mergedTls;
  return { url, spec, options: merged, verbose, extra };
}
