/**
 * PKCS#12 as ATAK and iTAK read it: the legacy encryption (PBE-SHA1-3DES, MAC HMAC-SHA1),
 * what `openssl pkcs12 -export -legacy` writes. The TAK world's default password is
 * `atakatak`; every command lets the operator set another.
 */
import { loadForge, type Forge } from './forge.js';

export const DEFAULT_P12_PASSWORD = 'atakatak';

/** A key with its certificate and chain, or (key undefined) a trust store of certificates. */
export async function pkcs12(key: Forge.pki.rsa.PrivateKey | undefined, certs: readonly Forge.pki.Certificate[], password: string, friendlyName?: string): Promise<Buffer> {
  const forge = await loadForge();
  const options: Record<string, unknown> = { algorithm: '3des', generateLocalKeyId: true };
  if (friendlyName !== undefined) options.friendlyName = friendlyName;
  const asn1 = forge.pkcs12.toPkcs12Asn1(key ?? null, [...certs], password, options);
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

export class Pkcs12Error extends Error {}

/** A PKCS#12 (legacy or not, as forge reads it) → PEM key (if any) and certificates, leaf first. Throws Pkcs12Error on a wrong password or damaged file. */
export async function readPkcs12(bytes: Buffer, password: string): Promise<{ keyPem?: string; certPems: string[] }> {
  const forge = await loadForge();
  let p12: Forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(bytes.toString('binary'))), password);
  } catch (error) {
    throw new Pkcs12Error(`not a PKCS#12 this password opens: ${(error as Error).message}`, { cause: error });
  }
  const keyBags = [...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? []), ...(p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? [])];
  const certBags = p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [];
  const key = keyBags.find((b) => b.key !== undefined)?.key;
  const certs = certBags.flatMap((b) => (b.cert === undefined ? [] : [b.cert]));
  // The leaf (not a CA) first.
  certs.sort((a, b) => Number(a.getExtension('basicConstraints') !== null && (a.getExtension('basicConstraints') as { cA?: boolean }).cA === true) - Number(b.getExtension('basicConstraints') !== null && (b.getExtension('basicConstraints') as { cA?: boolean }).cA === true));
  const result: { keyPem?: string; certPems: string[] } = { certPems: certs.map((c) => forge.pki.certificateToPem(c)) };
  if (key !== undefined && key !== null) result.keyPem = forge.pki.privateKeyToPem(key);
  return result;
}
