/**
 * An enrolled output ([output.*] url = tak://…, or tls:// with enroll_username) → the TLS
 * settings its tls:// transport is built with: the stored or newly enrolled certificate and
 * key, the server checked against the CA the user gave, else the chain enrollment returned.
 * Called by the output's component at each start (lifecycle), so a restart renews a
 * certificate that came within 7 days of expiry. When renewal fails but the stored
 * certificate has not expired yet, it is used and the failure is warned, not fatal.
 * The certificate's end is returned too: the component restarts the output when the
 * certificate enters its last 7 days (renewAt), so a daemon that runs for weeks renews.
 */
import type { TlsSettings } from '../transports/tls-options.js';
import { enroll, EnrollError, RENEW_BEFORE_MS, storedEnrollment, type EnrollRequest, type Enrollment } from './enroll.js';
import { stateDirectory } from './files.js';
import { enrollmentOutput } from './output.js';

/** The shape of config's OutputEnrollment (enroll/ does not import config/). */
export interface EnrollSettings {
  host: string;
  port: number;
  username: string;
  password: string;
  passphrase?: string;
}

export interface ResolveOptions {
  /** The streaming port the output connects to (the spec's). */
  streamingPort: number;
  clientUid: string;
  env?: NodeJS.ProcessEnv;
  warn: (message: string) => void;
  info?: (message: string) => void;
}

export interface EnrolledTls {
  tls: TlsSettings;
  notAfter: Date;
}

/** When an output with this certificate should enroll again: 7 days before it expires. */
export function renewAt(notAfter: Date): number {
  return notAfter.getTime() - RENEW_BEFORE_MS;
}

export async function enrolledTls(settings: EnrollSettings, tls: TlsSettings, options: ResolveOptions): Promise<EnrolledTls> {
  const request: EnrollRequest = {
    host: settings.host,
    port: settings.port,
    username: settings.username,
    password: settings.password,
    caFile: tls.ca,
    dontVerify: tls.dontVerify,
    dir: stateDirectory(options.env),
    clientUid: options.clientUid,
    passphrase: settings.passphrase,
    warn: options.warn,
  };
  let enrolled: Enrollment;
  try {
    enrolled = await enroll(request);
    options.info?.(enrolled.reused ? `using the stored certificate for ${settings.username}@${settings.host} (valid until ${enrolled.notAfter.toISOString()})` : `enrolled ${settings.username} at ${settings.host}:${settings.port} (certificate valid until ${enrolled.notAfter.toISOString()})`);
  } catch (error) {
    const stored = error instanceof EnrollError ? storedEnrollment(request, 0) : undefined;
    if (stored === undefined) throw error;
    options.warn(`renewing the certificate at ${settings.host}:${settings.port} failed (${(error as Error).message}); using the stored one until it expires ${stored.notAfter.toISOString()}`);
    enrolled = stored;
  }
  const output = enrollmentOutput({ host: settings.host, port: options.streamingPort }, enrolled, { ca: tls.ca });
  const resolved: TlsSettings = { ...tls, cert: output.cert, key: output.key, ca: output.ca };
  delete resolved.passwordFile;
  if (settings.passphrase !== undefined) resolved.password = settings.passphrase;
  else delete resolved.password;
  return { tls: resolved, notAfter: enrolled.notAfter };
}
