/**
 * The PKI's API for the rest of takd (the enrollment client in daemon/enroll/, the CLI):
 * keys, CSRs, certificates, PKCS#12, connection packages, the CA on disk. Everything that
 * needs forge loads it on first use; importing this file loads none of it.
 */
export { newRsaKeyPem, RSA_BITS } from './keys.js';
export { loadForge } from './forge.js';
export { createCsrPem, caNameEntries, fingerprint256, splitHosts, type CaMaterial, type NameEntry } from './x509.js';
export { checkCsr, CsrError, MAX_CSR_BYTES } from './csr.js';
export { pkcs12, readPkcs12, Pkcs12Error, DEFAULT_P12_PASSWORD } from './pkcs12.js';
export { configPref, connectionPackage, manifest, profilePackage, type ConnectionPackageInput, type ProfilePrefs, type StreamPrefs } from './packages.js';
export { PRIVATE_MODE, PUBLIC_MODE, writeFileAtomic } from './files.js';
export { pkiPaths, DEFAULT_PKI_DIR, type PkiPaths } from './paths.js';
export { initCa, readCa, writeServerCert, serverHosts, PkiMissingError } from './ca-store.js';
export { enrollmentLink } from './qr.js';
export { tlsConfigXml, signedAnswer, answerFormat, basicCredentials } from './enrollment-answers.js';
