// The parts of node-forge p12.ts loads (its index would bring TLS, SSH and PKCS#7 along);
// @types/node-forge types only the index, whose type the loaded object has.
declare module 'node-forge/lib/forge.js';
declare module 'node-forge/lib/pki.js';
declare module 'node-forge/lib/pkcs12.js';
declare module 'node-forge/lib/x509.js';
declare module 'node-forge/lib/sha256.js';
