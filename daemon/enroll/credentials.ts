/**
 * The keys of a connection package: its client PKCS#12 and truststore opened in memory
 * (p12.ts, node-forge loaded now) and returned as PEM text for the caller to write 0600.
 */
import { ZipRefused, type ZipEntry } from './zip-reader.js';
import { PackageError, type ConnectionPackage } from './connection-package.js';
import { readP12, P12Error, type P12Contents } from './p12.js';

export interface Credentials {
  /** The client certificate followed by its chain, PEM. */
  certChain: string;
  key: string;
  /** The CAs the server certificate is checked against (the truststore), PEM; undefined: none in the package. */
  ca?: string;
}

async function open(member: { entry: ZipEntry; password: string }, what: string): Promise<P12Contents> {
  try {
    return await readP12(member.entry.read(), member.password);
  } catch (error) {
    if (error instanceof P12Error || error instanceof ZipRefused) throw new PackageError(`${what} ${member.entry.name}: ${error.message}`);
    throw error;
  }
}

/** Opens the client PKCS#12 and the truststore (forge, loaded now). */
export async function extractCredentials(pkg: ConnectionPackage): Promise<Credentials | undefined> {
  if (pkg.client === undefined) return undefined;
  const client = await open(pkg.client, 'client certificate');
  if (client.cert === undefined || client.key === undefined) throw new PackageError(`client certificate ${pkg.client.entry.name}: holds no private key`);
  const credentials: Credentials = { certChain: [client.cert, ...client.others].join(''), key: client.key };
  if (pkg.truststore !== undefined) {
    const trust = await open(pkg.truststore, 'truststore');
    const cas = [...trust.others, ...(trust.cert === undefined ? [] : [trust.cert])];
    if (cas.length === 0) throw new PackageError(`truststore ${pkg.truststore.entry.name}: holds no certificate`);
    credentials.ca = cas.join('');
  }
  return credentials;
}
