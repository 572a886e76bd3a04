/**
 * Error classification: a configuration mistake fails fast naming the key, a rejected
 * certificate retries slowly with one clear message, anything else on the network retries
 * with the normal backoff.
 */

/** A configuration mistake. `key` names the setting to fix (`url`, `cert`, `password`, …). */
export class TransportConfigError extends Error {
  readonly key: string;
  constructor(key: string, message: string) {
    super(`${key}: ${message}`);
    this.name = 'TransportConfigError';
    this.key = key;
  }
}

export type ErrorClass = 'config' | 'certificate' | 'network';

export interface ClassifiedError {
  kind: ErrorClass;
  /** Short cause for logs and status: an errno or OpenSSL code plus a plain sentence. */
  cause: string;
}

/** OpenSSL / Node codes that mean "the peer's certificate (or ours) was refused". */
const CERTIFICATE_CODES: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server certificate is not signed by a trusted CA (set the CA file)',
  UNABLE_TO_GET_ISSUER_CERT: 'the server certificate issuer is not trusted (set the CA file)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the server certificate issuer is not trusted (set the CA file)',
  SELF_SIGNED_CERT_IN_CHAIN: 'the server certificate chain ends in an untrusted CA (set the CA file)',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is self-signed and not trusted',
  CERT_HAS_EXPIRED: 'the server certificate has expired',
  CERT_NOT_YET_VALID: 'the server certificate is not valid yet (check the clock)',
  CERT_REVOKED: 'the server certificate is revoked',
  CERT_SIGNATURE_FAILURE: 'the server certificate signature is invalid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the server certificate does not name this host (set the expected hostname)',
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: 'the server requires a client certificate',
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: 'the server rejected our client certificate',
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: 'the peer does not trust the CA of the certificate it was shown',
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN: 'the server rejected our client certificate',
  ERR_SSL_TLSV1_ALERT_ACCESS_DENIED: 'the server denied access for our client certificate',
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED: 'the server says our client certificate has expired',
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_REVOKED: 'the server says our client certificate is revoked',
};

/** Errors that no retry can fix: the configuration must change. */
const CONFIG_CODES: Record<string, string> = {
  EACCES: 'permission denied (a port below 1024 needs privileges)',
  EADDRNOTAVAIL: 'the address is not one of this machine\'s addresses',
  ERR_SSL_NO_PROTOCOLS_AVAILABLE: 'no TLS version is allowed (takd requires TLS 1.2 or newer)',
  ERR_SSL_NO_CIPHER_MATCH: 'the cipher list matches no cipher',
};

function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

export function classifyError(error: unknown): ClassifiedError {
  if (error instanceof TransportConfigError) return { kind: 'config', cause: error.message };
  const code = errorCode(error) ?? '';
  const message = error instanceof Error ? error.message : String(error);
  const certificate = CERTIFICATE_CODES[code];
  if (certificate) return { kind: 'certificate', cause: `${code}: ${certificate}` };
  const config = CONFIG_CODES[code];
  if (config) return { kind: 'config', cause: `${code}: ${config}` };
  // Alerts we do not list individually still mean a TLS handshake refusal, not a flaky link.
  if (/^ERR_SSL_.*ALERT/.test(code)) return { kind: 'certificate', cause: `${code}: ${message}` };
  return { kind: 'network', cause: code ? `${code}: ${message}` : message };
}
