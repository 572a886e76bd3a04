/**
 * The box's CA on disk: made once by `takd ca init` (never silently at start), its server
 * certificate re-issued by `takd ca server`. Keys 0600, certificates 0644.
 */
import { existsSync, readFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { PRIVATE_MODE, PUBLIC_MODE, writeFileAtomic } from './files.js';
import { newRsaKeyPem } from './keys.js';
import type { PkiPaths } from './paths.js';
import { loadForge } from './forge.js';
import { createCa, issueServerCert, loadCa, type CaMaterial, type NameEntry } from './x509.js';

export interface CaInitOptions {
  /** The CA's O and OU (every client CSR must carry them): default O=takd, OU=the host name. */
  entries?: NameEntry[];
  names?: string[];
  ips?: string[];
  /** Replace an existing CA (every certificate it issued stops working). */
  force?: boolean;
}

export class PkiMissingError extends Error {}

/** The box's host names and non-internal addresses: the server certificate's default SANs. */
export function defaultHosts(): { names: string[]; ips: string[] } {
  const host = hostname();
  const names = [host, ...(host.includes('.') ? [] : [`${host}.local`]), 'localhost'];
  const ips = ['127.0.0.1', '::1'];
  for (const list of Object.values(networkInterfaces())) for (const address of list ?? []) if (!address.internal) ips.push(address.address.replace(/%.*$/, ''));
  return { names: [...new Set(names)], ips: [...new Set(ips)] };
}

export async function initCa(paths: PkiPaths, options: CaInitOptions = {}): Promise<{ ca: CaMaterial; names: string[]; ips: string[] }> {
  if (existsSync(paths.caCert) && !options.force) throw new Error(`a CA exists already in ${paths.dir} (ca.pem); --force replaces it, and every certificate it issued stops working`);
  const entries = options.entries ?? [{ name: 'O', value: 'takd' }, { name: 'OU', value: hostname().split('.')[0] || 'takd' }];
  const caKeyPem = await newRsaKeyPem();
  const ca = await createCa(caKeyPem, `takd CA ${hostname()}`.slice(0, 64), entries);
  writeFileAtomic(paths.caKey, caKeyPem, PRIVATE_MODE);
  writeFileAtomic(paths.caCert, ca.certPem, PUBLIC_MODE);
  const hosts = defaultHosts();
  const names = options.names ?? hosts.names;
  const ips = options.ips ?? hosts.ips;
  await writeServerCert(paths, ca, names, ips);
  return { ca, names, ips };
}

export async function readCa(paths: PkiPaths): Promise<CaMaterial> {
  if (!existsSync(paths.caCert) || !existsSync(paths.caKey)) throw new PkiMissingError(`no CA in ${paths.dir}: run 'takd ca init' first (with -c FILE if [pki] dir is set there)`);
  return loadCa(readFileSync(paths.caCert, 'utf8'), readFileSync(paths.caKey, 'utf8'));
}

/** A new server key and certificate for these names and addresses (the CA stays). */
export async function writeServerCert(paths: PkiPaths, ca: CaMaterial, names: readonly string[], ips: readonly string[]): Promise<void> {
  if (names.length + ips.length === 0) throw new Error('the server certificate needs at least one --name or --ip');
  const forge = await loadForge();
  const keyPem = await newRsaKeyPem();
  const cert = await issueServerCert(ca, keyPem, names, ips);
  writeFileAtomic(paths.serverKey, keyPem, PRIVATE_MODE);
  // The chain (server, then CA) so a client that only knows the CA can build it.
  writeFileAtomic(paths.serverCert, forge.pki.certificateToPem(cert) + ca.certPem, PUBLIC_MODE);
}

/** The names and addresses in the current server certificate. */
export async function serverHosts(paths: PkiPaths): Promise<{ names: string[]; ips: string[]; notAfter: Date }> {
  const forge = await loadForge();
  const cert = forge.pki.certificateFromPem(readFileSync(paths.serverCert, 'utf8'));
  const san = cert.getExtension('subjectAltName') as { altNames?: { type: number; value?: string; ip?: string }[] } | null;
  const names: string[] = [];
  const ips: string[] = [];
  for (const alt of san?.altNames ?? []) {
    if (alt.type === 2 && alt.value !== undefined) names.push(alt.value);
    if (alt.type === 7 && alt.ip !== undefined) ips.push(alt.ip);
  }
  return { names, ips, notAfter: cert.validity.notAfter };
}
