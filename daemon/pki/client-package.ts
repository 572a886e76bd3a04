/**
 * `takd package client`: a key and certificate made on the box for a phone that cannot
 * scan a QR code, wrapped as ATAK and iTAK connection packages (legacy PKCS#12).
 */
import { loadForge, type Forge } from './forge.js';
import { issueForUser } from './issue.js';
import { newRsaKeyPem } from './keys.js';
import { connectionPackage } from './packages.js';
import type { PkiPaths } from './paths.js';
import { pkcs12 } from './pkcs12.js';
import { UserDb, USER_NAME } from './users.js';
import { caNameEntries, type CaMaterial } from './x509.js';

export interface ClientPackageOptions {
  name: string;
  host: string;
  port: number;
  password: string;
  days: number;
  team?: string;
  role?: string;
}

export interface ClientPackages {
  atak: Buffer;
  itak: Buffer;
  fingerprint256: string;
  notAfter: Date;
}

export async function clientPackages(paths: PkiPaths, ca: CaMaterial, options: ClientPackageOptions): Promise<ClientPackages> {
  if (!USER_NAME.test(options.name)) throw new Error(`'${options.name.slice(0, 80)}' is not a user name: letters, digits, '.', '_' and '-'`);
  const forge = await loadForge();
  const existing = UserDb.load(paths).get(options.name);
  if (existing?.revokedAt !== undefined) throw new Error(`user '${options.name}' is revoked: 'takd user add ${options.name}' lifts that first`);
  if (existing === undefined) {
    // Recorded as a user without a pending token: the package is the enrollment.
    UserDb.update(paths, (db) => {
      if (db.get(options.name) !== undefined) return;
      db.add(options.name, { ...(options.team === undefined ? {} : { team: options.team }), ...(options.role === undefined ? {} : { role: options.role }) });
      const record = db.get(options.name);
      if (record !== undefined) delete record.token;
    });
  }
  const record = UserDb.load(paths).get(options.name);
  const keyPem = await newRsaKeyPem();
  const key = forge.pki.privateKeyFromPem(keyPem) as Forge.pki.rsa.PrivateKey;
  const subject = [{ shortName: 'CN', value: record?.name ?? options.name }, ...caNameEntries(ca).map((e) => ({ shortName: e.name, value: e.value }))];
  const issued = await issueForUser(paths, ca, options.name, { subject, publicKey: forge.pki.setRsaPublicKey(key.n, key.e) }, { days: options.days, consumeToken: false });
  const clientP12 = await pkcs12(key, [issued.cert, ca.cert], options.password, options.name);
  const caP12 = await pkcs12(undefined, [ca.cert], options.password, 'ca');
  const profile = { callsign: record?.name ?? options.name, ...(options.team ?? record?.team ? { team: options.team ?? record?.team } : {}), ...(options.role ?? record?.role ? { role: options.role ?? record?.role } : {}) } as { callsign: string; team?: string; role?: string };
  const common = { name: `takd ${options.host}`, host: options.host, port: options.port, clientP12, caP12, password: options.password, profile };
  return {
    atak: connectionPackage({ ...common, layout: 'atak' }),
    itak: connectionPackage({ ...common, layout: 'itak' }),
    fingerprint256: issued.fingerprint256,
    notAfter: issued.cert.validity.notAfter,
  };
}
