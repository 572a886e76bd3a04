/**
 * A certificate signing request from the network, checked as TAK Server checks it: base64
 * DER with or without PEM armour (or raw DER), a valid self-signature, an RSA key of
 * 2048–4096 bits, and a subject of exactly CN = the user plus the CA's name entries, one
 * attribute per RDN. Anything else is a CsrError whose reason the client is told.
 */
import { loadForge, type Forge } from './forge.js';
import type { NameEntry } from './x509.js';

export const MAX_CSR_BYTES = 16 * 1024;

export class CsrError extends Error {
  constructor(
    /** Counter name: too-large, not-pem-or-der, not-a-csr, bad-signature, bad-key, bad-subject, wrong-user. */
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

export interface CheckedCsr {
  subject: Forge.pki.CertificateField[];
  publicKey: Forge.pki.rsa.PublicKey;
}

const ARMOUR = /-----BEGIN (?:NEW )?CERTIFICATE REQUEST-----([\s\S]*?)-----END (?:NEW )?CERTIFICATE REQUEST-----/;

/** The DER bytes of a body: PEM, bare base64 (TAK Server's form) or DER. */
export function csrDer(body: Buffer, maxBytes = MAX_CSR_BYTES): Buffer {
  if (body.length > maxBytes) throw new CsrError('too-large', `the CSR is over ${maxBytes} bytes`);
  if (body.length > 0 && body[0] === 0x30) return body;
  const text = body.toString('latin1');
  const armoured = ARMOUR.exec(text);
  const base64 = (armoured ? armoured[1] : text).replace(/\s+/g, '');
  if (base64 === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || base64.length % 4 === 1) {
    throw new CsrError('not-pem-or-der', 'the body is not a CSR in PEM, base64 DER or DER');
  }
  const der = Buffer.from(base64, 'base64');
  if (der[0] !== 0x30) throw new CsrError('not-pem-or-der', 'the decoded body is not DER');
  return der;
}

/** Parses and checks a CSR for `user`; throws CsrError. */
export async function checkCsr(body: Buffer, user: string, entries: readonly NameEntry[], maxBytes = MAX_CSR_BYTES): Promise<CheckedCsr> {
  return checkCsrWith(await loadForge(), body, user, entries, maxBytes);
}

/** The same with forge at hand (synchronous: the fuzz target calls it). */
export function checkCsrWith(forge: typeof Forge, body: Buffer, user: string, entries: readonly NameEntry[], maxBytes = MAX_CSR_BYTES): CheckedCsr {
  const der = csrDer(body, maxBytes);
  let csr: Forge.pki.CertificateSigningRequest;
  let rdns: number;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')), { strict: true, parseAllBytes: true } as unknown as boolean);
    csr = forge.pki.certificationRequestFromAsn1(asn1);
    // CertificationRequest { info { version, subject Name (a SEQUENCE of RDN SETs), … }, … }
    const info = (asn1.value as Forge.asn1.Asn1[])[0];
    rdns = ((info.value as Forge.asn1.Asn1[])[1].value as Forge.asn1.Asn1[]).length;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/OID is not RSA/i.test(message)) throw new CsrError('bad-key', 'the CSR\'s key is not RSA (RSA 2048-4096 bits)');
    throw new CsrError('not-a-csr', `not a PKCS#10 request: ${message.slice(0, 120)}`);
  }
  let verified: boolean;
  try {
    verified = csr.verify();
  } catch {
    verified = false;
  }
  if (!verified) throw new CsrError('bad-signature', 'the CSR\'s signature does not verify with its own key');
  const publicKey = csr.publicKey as Forge.pki.rsa.PublicKey | null;
  const bits = publicKey?.n?.bitLength() ?? 0;
  if (publicKey === null || bits < 2048 || bits > 4096) throw new CsrError('bad-key', `the CSR's RSA key has ${bits} bits (2048-4096)`);
  checkSubject(csr, rdns, user, entries);
  return { subject: csr.subject.attributes, publicKey };
}

/** `rdns`: the RDN SETs in the DER (forge flattens a multi-valued RDN into its attributes). */
function checkSubject(csr: Forge.pki.CertificateSigningRequest, rdns: number, user: string, entries: readonly NameEntry[]): void {
  const attributes = csr.subject.attributes;
  if (rdns !== attributes.length) throw new CsrError('bad-subject', 'the subject has an RDN with more than one attribute');
  const cns = attributes.filter((a) => a.shortName === 'CN');
  if (cns.length !== 1) throw new CsrError('bad-subject', `the subject has ${cns.length} CN entries (exactly one: the user name)`);
  if (String(cns[0].value).toLowerCase() !== user.toLowerCase()) throw new CsrError('wrong-user', `the CSR is for CN=${String(cns[0].value).slice(0, 64)}, not for the user '${user}'`);
  if (attributes.length !== entries.length + 1) {
    const wanted = ['CN', ...entries.map((e) => e.name)].join(', ');
    throw new CsrError('bad-subject', `the subject has ${attributes.length} entries; it must be exactly ${wanted} (GET /Marti/api/tls/config lists them)`);
  }
  for (const entry of entries) {
    const found = attributes.find((a) => a.shortName === entry.name);
    if (found === undefined || String(found.value) !== entry.value) throw new CsrError('bad-subject', `the subject lacks ${entry.name}=${entry.value} (GET /Marti/api/tls/config lists the entries)`);
  }
}
