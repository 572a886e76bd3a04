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
