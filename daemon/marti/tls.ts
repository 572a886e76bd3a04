/**
 * The HTTPS server's TLS options from [marti]: the listener's loader, plus the rule that a
 * client certificate from client_ca is required unless require_client_cert = false. Shared
 * by the server's start and `takd config check`.
 */
import type { TlsOptions } from 'node:tls';
import { TransportConfigError } from '../transports/errors.js';
import { loadTlsServerOptions } from '../transports/tls-options.js';
import type { MartiSettings } from './settings.js';

/** Throws TransportConfigError naming the key. */
export function martiTlsOptions(settings: MartiSettings): TlsOptions {
  if (settings.requireClientCert && settings.tls.clientCa === undefined) {
    throw new TransportConfigError('client_ca', 'https+listen requires client certificates from a CA: set client_ca (or require_client_cert = false, which lets anyone who reaches the port up- and download)');
  }
  return loadTlsServerOptions(settings.requireClientCert ? settings.tls : { ...settings.tls, clientCa: undefined, clientCert: 'optional' });
}
