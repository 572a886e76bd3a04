/**
 * Certificates of the box's CA: the CA itself, the server certificate for the box's names
 * and addresses, and client certificates signed from a checked CSR. forge does the DER.
 */
import { createHash, randomBytes, sign as nativeSign } from 'node:crypto';
import { isIP } from 'node:net';
import { loadForge, type Forge } from './forge.js';

type Certificate = Forge.pki.Certificate;
type PrivateKey = Forge.pki.rsa.PrivateKey;
type PublicKey = Forge.pki.rsa.PublicKey;

export interface NameEntry {
  /** Short name: O, OU, C, ST, L. */
  name: string;
  value: string;
}

export interface CaMaterial {
  cert: Certificate;
  key: PrivateKey;
  /** The key as PEM: node:crypto signs with it. */
  keyPem: string;
  certPem: string;
}

/**
 * Signs a certificate or CSR through forge's own sign() with node:crypto doing the RSA: forge
 * hands the DER of what it signs to the digest's update(), and the signature is native.
 * forge's pure-JS RSA 3072 takes ~0.3 s on a PC (seconds on a Pi) and blocks the event loop
 * of a daemon that is routing; node:crypto takes milliseconds.
 */
function signNatively(target: { sign(key: PrivateKey, md: Forge.md.MessageDigest): void }, keyPem: string): void {
  let signed = '';
  const recorder = {
    algorithm: 'sha256',
    update(bytes: string) {
      signed += bytes;
      return recorder;
    },
  };
  const signer = { sign: () => nativeSign('sha256', Buffer.from(signed, 'binary'), keyPem).toString('binary') };
  target.sign(signer as unknown as PrivateKey, recorder as unknown as Forge.md.MessageDigest);
}

const DAY_MS = 86_400_000;

/** A positive 128-bit serial (RFC 5280: positive, at most 20 octets). */
function newSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x10;
  return bytes.toString('hex');
}

function validity(cert: Certificate, days: number, now = Date.now()): void {
  // Back-dated an hour: a phone whose clock is a little behind still accepts it.
  cert.validity.notBefore = new Date(now - 3_600_000);
  cert.validity.notAfter = new Date(now + days * DAY_MS);
}

function attributes(cn: string, entries: readonly NameEntry[]): { shortName: string; value: string }[] {
  return [{ shortName: 'CN', value: cn }, ...entries.map((e) => ({ shortName: e.name, value: e.value }))];
}

/** SHA-256 of the DER, as Node's getPeerCertificate().fingerprint256 spells it (AB:CD:…). */
export async function fingerprint256(cert: Certificate): Promise<string> {
  const forge = await loadForge();
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  return createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':');
}

export function certificateDer(forge: typeof Forge, cert: Certificate): Buffer {
  return Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
}

/** A self-signed CA: CN, the name entries every CSR must carry (O, OU), 10 years. */
export async function createCa(keyPem: string, cn: string, entries: readonly NameEntry[], days = 3650): Promise<CaMaterial> {
  const forge = await loadForge();
  const key = forge.pki.privateKeyFromPem(keyPem) as PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = newSerial();
  validity(cert, days);
  const subject = attributes(cn, entries);
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true, pathLenConstraint: 0 },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  signNatively(cert, keyPem);
  return { cert, key, keyPem, certPem: forge.pki.certificateToPem(cert) };
}

export async function loadCa(certPem: string, keyPem: string): Promise<CaMaterial> {
  const forge = await loadForge();
  return { cert: forge.pki.certificateFromPem(certPem), key: forge.pki.privateKeyFromPem(keyPem) as PrivateKey, keyPem, certPem };
}

/** The CA's name entries (every attribute of its subject but CN): what tls/config lists. */
export function caNameEntries(ca: CaMaterial): NameEntry[] {
  return ca.cert.subject.attributes.filter((a) => a.shortName !== 'CN' && a.shortName !== undefined).map((a) => ({ name: String(a.shortName), value: String(a.value) }));
}

function signed(ca: CaMaterial, cert: Certificate): Certificate {
  cert.setIssuer(ca.cert.subject.attributes);
  signNatively(cert, ca.keyPem);
  return cert;
}

/** The server certificate for the box's host names and IP addresses (first name is the CN). */
export async function issueServerCert(ca: CaMaterial, keyPem: string, names: readonly string[], ips: readonly string[], days = 825): Promise<Certificate> {
  const forge = await loadForge();
  const key = forge.pki.privateKeyFromPem(keyPem) as PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = newSerial();
  validity(cert, days);
  cert.setSubject(attributes(names[0] ?? ips[0] ?? 'takd', caNameEntries(ca)));
  const altNames = [...names.map((value) => ({ type: 2, value })), ...ips.map((ip) => ({ type: 7, ip }))];
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.cert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  return signed(ca, cert);
}

export interface ClientCertRequest {
  /** The CSR's subject attributes, already checked (CN = the user, the name entries). */
  subject: { shortName?: string; type?: string; value?: unknown }[];
  publicKey: PublicKey;
  /** The phone's uid: an email SAN, as goatak writes it. */
  uid?: string;
  days: number;
}

/** A client certificate: extended key usage clientAuth, the uid as a SAN. */
export async function issueClientCert(ca: CaMaterial, request: ClientCertRequest, now = Date.now()): Promise<Certificate> {
  const forge = await loadForge();
  const cert = forge.pki.createCertificate();
  cert.publicKey = request.publicKey;
  cert.serialNumber = newSerial();
  validity(cert, request.days, now);
  cert.setSubject(request.subject as Forge.pki.CertificateField[]);
  const extensions: object[] = [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', clientAuth: true },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.cert.generateSubjectKeyIdentifier().getBytes() },
  ];
  if (request.uid !== undefined) extensions.push({ name: 'subjectAltName', altNames: [{ type: 1, value: request.uid }] });
  cert.setExtensions(extensions);
  return signed(ca, cert);
}

/** Splits `--ip`/`--name` values: addresses go to IP SANs, the rest to DNS SANs. */
export function splitHosts(hosts: readonly string[]): { names: string[]; ips: string[] } {
  const names: string[] = [];
  const ips: string[] = [];
  for (const host of hosts) (isIP(host) !== 0 ? ips : names).push(host);
  return { names, ips };
}

/** A PKCS#10 request (PEM) for CN plus the name entries, signed with the key: what an enrolling client sends. */
export async function createCsrPem(keyPem: string, cn: string, entries: readonly NameEntry[]): Promise<string> {
  const forge = await loadForge();
  const key = forge.pki.privateKeyFromPem(keyPem) as PrivateKey;
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  csr.setSubject(attributes(cn, entries));
  signNatively(csr, keyPem);
  return forge.pki.certificationRequestToPem(csr);
}
