// Parts of node-forge and qrcode imported one by one (forge.ts, qr.ts): the packages declare
// types for their index only. Each forge part registers itself on the object lib/forge.js exports.
declare module 'node-forge/lib/forge.js' {
  const forge: unknown;
  export default forge;
}
declare module 'node-forge/lib/pki.js';
declare module 'node-forge/lib/pkcs12.js';
declare module 'node-forge/lib/sha1.js';
declare module 'node-forge/lib/sha256.js';
// qrcode's encoder and two of its renderers (qr.ts).
declare module 'qrcode/lib/core/qrcode.js';
declare module 'qrcode/lib/renderer/svg-tag.js';
declare module 'qrcode/lib/renderer/terminal/terminal-small.js';
