/**
 * `takd import`: a connection package → PEM files under a directory of ours (0600) and the
 * [output.NAME] section that uses them. The PKCS#12 files are decrypted in memory only;
 * nothing is written until everything in the package was read and checked.
 */
import { join } from 'node:path';
import { readConnectionPackage, type ConnectionPackage } from './connection-package.js';
import { extractCredentials } from './credentials.js';
import { writePrivateFiles } from './files.js';

export interface ImportResult {
  pkg: ConnectionPackage;
  /** The files written (cert, key, ca), absolute. */
  files: { cert?: string; key?: string; ca?: string };
  /** The INI text of the output, ready to append to takd.ini. */
  section: string;
}

/** A section name from the package (letters, digits, _ and -), else `takserver`. */
export function outputName(pkg: ConnectionPackage): string {
  const base = (pkg.description ?? pkg.target.host).toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[-_]+|-+$/g, '');
  return /^[a-z0-9]/.test(base) ? base.slice(0, 32) : 'takserver';
}

/** Reads the package and writes its credentials under `dir/import/NAME/`. Throws PackageError or ZipRefused. */
export async function importPackage(zip: Buffer, dir: string, name?: string): Promise<ImportResult> {
  const pkg = readConnectionPackage(zip);
  const section = name ?? outputName(pkg);
  const credentials = await extractCredentials(pkg);
  const files: ImportResult['files'] = {};
  if (credentials !== undefined) {
    const home = join(dir, 'import', section);
    files.cert = join(home, 'client.pem');
    files.key = join(home, 'client.key');
    const content: Record<string, string> = { [files.cert]: credentials.certChain, [files.key]: credentials.key };
    if (credentials.ca !== undefined) content[(files.ca = join(home, 'ca.pem'))] = credentials.ca;
    writePrivateFiles(content);
  }
  const lines = [`[output.${section}]`, `url = ${pkg.url}`];
  if (pkg.target.protocol === 'ssl') {
    if (files.cert !== undefined) lines.push(`cert = ${files.cert}`, `key = ${files.key}`);
    // No truststore in the package: the server is checked against the system's CAs.
    if (files.ca !== undefined) lines.push(`ca = ${files.ca}`);
  }
  const identity = Object.entries({ callsign: pkg.identity.callsign, team: pkg.identity.team, role: pkg.identity.role }).filter(([, v]) => v !== undefined);
  if (identity.length > 0) lines.push('', `# the package also sets, for [takd]: ${identity.map(([k, v]) => `${k} = ${v}`).join(', ')}`);
  return { pkg, files, section: `${lines.join('\n')}\n` };
}
