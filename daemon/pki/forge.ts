/**
 * node-forge, loaded on first use: `takd run` without enrollment never pays for it. Only
 * the parts the PKI uses (X.509, PKCS#10, PKCS#12 with its ciphers, SHA-1 and SHA-256) are
 * imported, not forge's index, which also brings TLS, SSH and ed25519 (~200 KiB of the
 * single binary's bundle).
 */
import type Forge from 'node-forge';

export type { Forge };

let loaded: typeof Forge | undefined;

export async function loadForge(): Promise<typeof Forge> {
  if (loaded !== undefined) return loaded;
  const [core] = await Promise.all([
    import('node-forge/lib/forge.js'),
    import('node-forge/lib/pki.js'),
    import('node-forge/lib/pkcs12.js'),
    import('node-forge/lib/x509.js'),
    import('node-forge/lib/sha1.js'),
    import('node-forge/lib/sha256.js'),
  ]);
  loaded = core.default as typeof Forge;
  return loaded;
}
