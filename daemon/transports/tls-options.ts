/**
 * TLS settings → Node tls options, checked when loaded so a wrong path, an unreadable key
 * or a wrong PKCS#12 password fails at startup naming the setting, not at the first connect.
 *
 * Client certificate forms: PEM cert + PEM key, one PEM holding both, or PKCS#12 (.p12/.pfx)
 * with a password (inline or from a password file). Verification is on by default.
 */
import { createRequire } from 'node:module';
import type * as Tls from 'node:tls';
import type { ConnectionOptions, SecureContextOptions, TlsOptions } from 'node:tls';
import { TransportConfigError } from './errors.js';
import { peerRevoked, type PeerSocket } from './revocation.js';
import { readSmallFile, SmallFileError } from './small-file.js';

let tlsModule: typeof Tls | undefined;

/**
 * node:tls, loaded on first use rather than imported: a daemon with only plain tcp/udp
 * transports would otherwise keep ~1.5 MiB of it resident for nothing. Synchronous, so the
 * TLS material is still checked in start() and a bad setting still fails at startup.
 */
export function nodeTls(): typeof Tls {
  tlsModule ??= createRequire(import.meta.url)('node:tls') as typeof Tls;
  return tlsModule;
}

export interface TlsSettings {
  /** Client (or, for listeners, server) certificate: PEM file, combined PEM, or .p12/.pfx. */
  cert?: string;
  /** PEM private key, when not inside `cert`. */
  key?: string;
  password?: string;
  passwordFile?: string;
  /** CA bundle (PEM) that signed the server's certificate (clients). */
  ca?: string;
  /** Listeners: CA that client certificates must chain to; set → client certificates required. */
  clientCa?: string;
  /**
   * Listeners: 'required' (default) — a client must present a certificate from `clientCa`,
   * and a listener without `clientCa` does not start; 'optional' — a client may connect
   * without one (one it presents must still chain to `clientCa` when that is set).
   */
  clientCert?: 'required' | 'optional';
  /** PYTAK_TLS_DONT_VERIFY: accept any server certificate. Loudly warned at each connect. */
  dontVerify?: boolean;
  /** PYTAK_TLS_DONT_CHECK_HOSTNAME: verify the chain but not the name. */
  dontCheckHostname?: boolean;
  /** PYTAK_TLS_SERVER_EXPECTED_HOSTNAME: the name the server certificate must carry. */
  expectedHostname?: string;
  /** PYTAK_TLS_CLIENT_CIPHERS (OpenSSL cipher list); default: Node's. */
  ciphers?: string;
}

/** The names the settings have in the config file, for error messages. */
const KEY_NAMES: Record<keyof TlsSettings, string> = {
  cert: 'cert',
  key: 'key',
  password: 'password',
  passwordFile: 'password_file',
  ca: 'ca',
  clientCa: 'client_ca',
  clientCert: 'client_cert',
  dontVerify: 'dont_verify',
  dontCheckHostname: 'dont_check_hostname',
  expectedHostname: 'expected_hostname',
  ciphers: 'ciphers',
};

function readSetting(settings: TlsSettings, key: 'cert' | 'key' | 'ca' | 'clientCa' | 'passwordFile'): Buffer | undefined {
  const path = settings[key];
  if (path === undefined || path === '') return undefined;
  try {
    return readSmallFile(path);
  } catch (error) {
    if (error instanceof SmallFileError) throw new TransportConfigError(KEY_NAMES[key], error.message);
    throw error;
  }
}

function isPem(bytes: Buffer): boolean {
  return bytes.includes('-----BEGIN ');
}

function hasPrivateKey(pem: Buffer): boolean {
  return /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(pem.toString('latin1'));
}

function password(settings: TlsSettings): string | undefined {
  if (settings.password !== undefined) return settings.password;
  const file = readSetting(settings, 'passwordFile');
  // A password file conventionally ends with a newline that is not part of the password.
  return file?.toString('utf8').replace(/\r?\n$/, '');
}

/** Key material common to clients and listeners. */
function identityOptions(settings: TlsSettings): SecureContextOptions {
  const options: SecureContextOptions = {};
  const cert = readSetting(settings, 'cert');
  const key = readSetting(settings, 'key');
  const pass = password(settings);
  if (cert && !isPem(cert)) {
    options.pfx = cert;
    if (pass !== undefined) options.passphrase = pass;
  } else if (cert) {
    options.cert = cert;
    options.key = key ?? (hasPrivateKey(cert) ? cert : undefined);
    if (!options.key) throw new TransportConfigError('key', `no private key: ${settings.cert} holds none and no key file is set`);
    if (pass !== undefined) options.passphrase = pass;
  } else if (key) {
    throw new TransportConfigError('cert', 'a key is set but no certificate');
  }
  if (settings.ciphers) options.ciphers = settings.ciphers;
  options.minVersion = 'TLSv1.2';
  return options;
}

/** Builds a secure context once, to turn bad key material into a named configuration error. */
function validate(options: SecureContextOptions, settings: TlsSettings): void {
  try {
    nodeTls().createSecureContext(options);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: string }).code ?? '';
    if (/mac verify failure|bad decrypt|unsupported|maybe wrong password|interrupted or cancelled/i.test(message + code)) {
      throw new TransportConfigError(settings.passwordFile && settings.password === undefined ? 'password_file' : 'password', `wrong password for ${settings.cert} (${message})`);
    }
    if (/cipher/i.test(message)) throw new TransportConfigError('ciphers', message);
    if (/key values mismatch/i.test(message)) throw new TransportConfigError('key', `${settings.key ?? settings.cert} does not match the certificate`);
    if (/ca|certificate/i.test(message) && settings.ca) throw new TransportConfigError('ca', `${settings.ca}: ${message}`);
    throw new TransportConfigError('cert', `${settings.cert ?? ''}: ${message}`);
  }
}

/** Options for tls.connect. Throws TransportConfigError. */
export function loadTlsClientOptions(settings: TlsSettings, host: string): ConnectionOptions {
  const context = identityOptions(settings);
  const ca = readSetting(settings, 'ca');
  if (ca) context.ca = ca;
  validate(context, settings);
  const options: ConnectionOptions = { ...context };
  options.rejectUnauthorized = !settings.dontVerify;
  const expected = settings.expectedHostname || host.replace(/^\[|\]$/g, '');
  if (settings.dontCheckHostname) {
    options.checkServerIdentity = () => undefined;
  } else {
    options.checkServerIdentity = (_host, cert) => nodeTls().checkServerIdentity(expected, cert);
  }
  // SNI takes names only; an IP literal there is not permitted.
  if (!/^[\d.]+$|:/.test(expected)) options.servername = expected;
  return options;
}

/** Options for tls.createServer. Throws TransportConfigError. */
export function loadTlsServerOptions(settings: TlsSettings): TlsOptions {
  if (!settings.cert) throw new TransportConfigError('cert', "a TLS listener needs a server certificate: set cert (and client_ca); 'takd ca init' makes a CA and a server certificate in [pki] dir (/etc/takd/pki/server.pem, server.key, ca.pem)");
  const context = identityOptions(settings);
  const clientCa = readSetting(settings, 'clientCa');
  if (clientCa) context.ca = clientCa;
  validate(context, settings);
  const options: TlsOptions = { ...context };
  const optional = settings.clientCert === 'optional';
  if (!clientCa && !optional) {
    throw new TransportConfigError('client_ca', 'a TLS listener requires client certificates: set client_ca = the CA file that signed them (or client_cert = optional to let clients in without one)');
  }
  if (clientCa) {
    options.requestCert = true;
    // Optional: the listener checks a certificate the client did present (listenerCertificateProblem).
    options.rejectUnauthorized = !optional;
  }
  return options;
}

/** A client certificate that a listener with client_cert = optional must still refuse: presented but not from client_ca. */
export function listenerCertificateProblem(settings: TlsSettings, socket: PeerSocket & { authorized: boolean; authorizationError?: unknown }): string | undefined {
  // Every TLS listener's one revocation check (revocation.ts): `takd user revoke`.
  if (peerRevoked(socket)) return 'CERT_REVOKED';
  if (settings.clientCert !== 'optional' || !settings.clientCa || socket.authorized) return undefined;
  const presented = socket.getPeerCertificate();
  if (presented === null || presented.subject === undefined) return undefined;
  return typeof socket.authorizationError === 'string' ? socket.authorizationError : 'CERT_UNTRUSTED';
}

/** The warning to log at a listener's start when client certificates are not required. */
export function optionalClientCertWarning(settings: TlsSettings): string | undefined {
  if (settings.clientCert !== 'optional') return undefined;
  return settings.clientCa
    ? 'TLS listener lets clients in WITHOUT a certificate (client_cert = optional): anyone who reaches the port can connect'
    : 'TLS listener accepts ANY client, with or without a certificate (client_cert = optional, no client_ca): anyone who reaches the port can connect';
}

/** The warnings to log at every connect when verification is weakened. */
export function weakenedVerificationWarnings(settings: TlsSettings): string[] {
  const warnings: string[] = [];
  if (settings.dontVerify) warnings.push('TLS server certificate NOT VERIFIED (dont_verify / PYTAK_TLS_DONT_VERIFY): anyone on the path can impersonate the server');
  if (settings.dontCheckHostname) warnings.push('TLS server hostname NOT CHECKED (dont_check_hostname / PYTAK_TLS_DONT_CHECK_HOSTNAME): any certificate from the CA is accepted');
  return warnings;
}
