/**
 * Keys: RSA 3072, made by node:crypto (native, well under a second on a Pi) and handed to
 * forge as PEM. RSA rather than EC P-256: every ATAK/iTAK trust store and TAK Server reads
 * it, forge (the only PKCS#12 writer with the legacy encryption ATAK needs) has no EC, and
 * 3072 bits is the NIST level of a certificate that lives years.
 */
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';

export const RSA_BITS = 3072;

/** A new RSA private key as PKCS#1 PEM (what forge's privateKeyFromPem reads). */
export async function newRsaKeyPem(bits = RSA_BITS): Promise<string> {
  const { privateKey } = await promisify(generateKeyPair)('rsa', {
    modulusLength: bits,
    publicExponent: 0x10001,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return privateKey;
}
