/**
 * node-forge, loaded on first use: `takd run` without enrollment never pays for it
 * (X.509, PKCS#10 and PKCS#12 in pure JavaScript, a few hundred KiB).
 */
import type Forge from 'node-forge';

export type { Forge };

let loaded: typeof Forge | undefined;

export async function loadForge(): Promise<typeof Forge> {
  loaded ??= (await import('node-forge')).default;
  return loaded;
}
