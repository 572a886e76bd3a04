/**
 * PKCS#12 files from TAK connection packages → PEM. ATAK's packages use the legacy
 * encryption (RC2-40 or 3DES with SHA-1), which OpenSSL 3 — and so Node's TLS — no longer
 * reads without its legacy provider; node-forge reads it. forge is loaded (daemon/pki/forge.ts) on first
 * use (a daemon without packages or enrollment never loads it). Certificates and keys forge
 * cannot model (EC) are passed through as DER, so any key type works.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { loadForge, type Forge } from '../pki/forge.js';

export { loadForge };

export interface P12Contents {
  /** The certificate that matches the key, PEM; undefined in a truststore. */
  cert?: string;
  /** PKCS#8 PEM; undefined in a truststore. */
  key?: string;
  /** Every other certificate (the CA chain, or a truststore's CAs), PEM. */
  others: string[];
}

export class P12Error extends Error {
  override name = 'P12Error';
}

function pem(label: string, der: Buffer): string {
  return `-----BEGIN ${label}-----\n${der.toString('base64').replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
}

/** Reads a PKCS#12 with its password; throws P12Error saying why not (wrong password, damaged). */
export async function readP12(bytes: Buffer, password: string): Promise<P12Contents> {
  const forge = await loadForge();
  let pfx: Forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(bytes.toString('binary'), false);
    pfx = forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new P12Error(/mac|password|decrypt|invalid/i.test(message) ? `cannot open it with the password given (${message})` : `not a PKCS#12 file (${message})`);
  }
  const der = (value: Forge.asn1.Asn1): Buffer => Buffer.from(forge.asn1.toDer(value).getBytes(), 'binary');
  const certs: string[] = [];
  let key: string | undefined;
  for (const content of pfx.safeContents) {
    for (const bag of content.safeBags) {
      if (bag.type === forge.pki.oids.certBag) {
        certs.push(pem('CERTIFICATE', der(bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1)));
      } else if (bag.type === forge.pki.oids.pkcs8ShroudedKeyBag || bag.type === forge.pki.oids.keyBag) {
        key ??= pem('PRIVATE KEY', der(bag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)) : bag.asn1));
      }
    }
  }
  if (key === undefined) return { others: certs };
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch (error) {
    throw new P12Error(`its private key cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
  const index = certs.findIndex((c) => new X509Certificate(c).checkPrivateKey(privateKey));
  if (index < 0) throw new P12Error('it holds a private key but no certificate for it');
  return { cert: certs[index], key, others: certs.filter((_, i) => i !== index) };
}
