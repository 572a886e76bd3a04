/**
 * The key and the certificate signing request of enrollment. The key is made by
 * node:crypto (RSA 3072: TAK servers and ATAK take RSA everywhere, and 3072 bits is the
 * 128-bit level that 2048 falls short of, at a fraction of 4096's key generation time on a
 * Pi); forge, loaded on first use, builds and signs the CSR, since Node has no CSR API.
 * The subject is CN=username followed by exactly the server's name entries, in its order
 * (TAK Server refuses a CSR with more, fewer or other RDNs).
 */
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { loadForge } from './p12.js';

export interface NameEntry {
  name: string;
  value: string;
}

/** The short names forge knows (and TAK servers send); another is refused, not guessed. */
const SHORT_NAMES = new Set(['CN', 'C', 'L', 'ST', 'O', 'OU', 'E']);

export const KEY_BITS = 3072;

export interface KeyAndCsr {
  /** PKCS#8 PEM, unencrypted (in memory only; encrypted when written, if a passphrase is set). */
  keyPem: string;
  /** PEM. */
  csrPem: string;
}

export async function makeKeyAndCsr(username: string, entries: NameEntry[], bits = KEY_BITS): Promise<KeyAndCsr> {
  for (const entry of entries) {
    if (!SHORT_NAMES.has(entry.name.toUpperCase())) throw new Error(`the server asks for the name entry '${entry.name}', which takd cannot put in a CSR (known: ${[...SHORT_NAMES].join(', ')})`);
    if (entry.name.toUpperCase() === 'CN') throw new Error('the server lists CN among its name entries; CN is the user name');
  }
  const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', { modulusLength: bits, publicExponent: 0x10001 });
  const forge = await loadForge();
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  csr.setSubject([{ shortName: 'CN', value: username }, ...entries.map((e) => ({ shortName: e.name.toUpperCase() === 'E' ? 'E' : e.name.toUpperCase(), value: e.value }))]);
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  csr.sign(forge.pki.privateKeyFromPem(keyPem) as never, forge.md.sha256.create());
  return { keyPem, csrPem: forge.pki.certificationRequestToPem(csr) };
}
