/**
 * Issuing a client certificate to a user and recording it (users.json): what enrollment's
 * signClient and `takd package client` share.
 */
import type { Forge } from './forge.js';
import { loadForge } from './forge.js';
import type { PkiPaths } from './paths.js';
import { UserDb } from './users.js';
import { certificateDer, fingerprint256, issueClientCert, type CaMaterial } from './x509.js';

export interface Issued {
  cert: Forge.pki.Certificate;
  der: Buffer;
  /** The CA chain, base64 DER each (ca0, ca1, …). */
  chainDer: Buffer[];
  fingerprint256: string;
}

/**
 * Signs for `user` (the subject already checked) and records the certificate; with
 * `consumeToken`, the user's one-time token is used up in the same write.
 */
export async function issueForUser(paths: PkiPaths, ca: CaMaterial, user: string, request: { subject: Forge.pki.CertificateField[]; publicKey: Forge.pki.rsa.PublicKey; uid?: string }, options: { days: number; consumeToken: boolean }): Promise<Issued> {
  const forge = await loadForge();
  const certRequest: Parameters<typeof issueClientCert>[1] = { subject: request.subject, publicKey: request.publicKey, days: options.days };
  if (request.uid !== undefined) certRequest.uid = request.uid;
  const cert = await issueClientCert(ca, certRequest);
  const fingerprint = await fingerprint256(cert);
  const record = { serial: cert.serialNumber, fingerprint256: fingerprint, notAfter: cert.validity.notAfter.toISOString(), issuedAt: new Date().toISOString(), ...(request.uid === undefined ? {} : { uid: request.uid }) };
  UserDb.update(paths, (db) => {
    if (options.consumeToken) db.consume(user, record);
    else db.get(user)?.certs.push(record);
  });
  return { cert, der: certificateDer(forge, cert), chainDer: [certificateDer(forge, ca.cert)], fingerprint256: fingerprint };
}
