// dist/takd-linux-<arch>: bundle → SEA blob (by the target's own node) → postject into the
// stripped official node. Finished binaries are cached by the hash of everything that goes
// into them, so CI and the tests rebuild only when the sources change.
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { addonFiles, type DebArch } from './addons.js';
import { bundleDaemon } from './bundle.js';
import { PAGE_ASSET } from './plugins.js';
import { cacheEntry, pruneEntries } from './cache-entry.js';
import { NODE_VERSION, officialNode, packagingCacheDir, type BinaryArch } from './node-dist.js';
import { generateSeaBlob, injectBlob } from './sea.js';
import { NODE_V8_FLAGS } from '../runtime/node-flags.js';

/** Bump when the recipe changes in a way the inputs' hash cannot see (4: an entry that
 *  exists is complete; caches of earlier versions did not promise that). */
const RECIPE_VERSION = 4;

/** Binaries are ~110 MB: the cache keeps the most recent few. */
const CACHED_BINARIES_KEPT = 6;

export interface BinaryOptions {
  repoRoot: string;
  arch: BinaryArch;
  /** Where dist/takd-linux-<arch> goes; default <repoRoot>/dist. */
  outDir?: string;
  useCodeCache?: boolean;
  log?: (line: string) => void;
}

export interface BuiltBinary {
  path: string;
  bytes: number;
  bundleBytes: number;
  cached: boolean;
  missingAddons: string[];
}

const BINARY_TO_DEB: Record<BinaryArch, DebArch> = { x64: 'amd64', arm64: 'arm64' };

/** The console page's files as JSON for the SEA asset, from what `npm run build` generated; undefined when not built. */
function pageAsset(repoRoot: string, workDir: string): string | undefined {
  const generated = join(repoRoot, 'daemon/console/page-assets.generated.js');
  if (!existsSync(generated)) return undefined;
  const match = /export const PAGE_FILES = (\{[\s\S]*\});\s*$/.exec(readFileSync(generated, 'utf8'));
  if (match === null) throw new Error(`${generated}: not what scripts/build-page.mjs writes`);
  const path = join(workDir, PAGE_ASSET);
  writeFileSync(path, match[1] as string);
  return path;
}

export async function buildBinary(options: BinaryOptions): Promise<BuiltBinary> {
  const log = options.log ?? (() => {});
  const { repoRoot, arch } = options;
  const useCodeCache = options.useCodeCache ?? true;
  const outDir = options.outDir ?? resolve(repoRoot, 'dist');
  const outPath = join(outDir, `takd-linux-${arch}`);
  mkdirSync(outDir, { recursive: true });

  // Private scratch: the bundle and SEA blob of concurrent builders never meet.
  const workDir = join(packagingCacheDir(), 'work', `${arch}-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(workDir, { recursive: true });
  try {
    const bundle = await bundleDaemon(repoRoot, join(workDir, 'takd.cjs'), { pageAsset: true });
    const addonSet = addonFiles(repoRoot, BINARY_TO_DEB[arch]);
    const page = pageAsset(repoRoot, workDir);

    const key = createHash('sha256');
    key.update(`${RECIPE_VERSION} ${NODE_VERSION} ${arch} ${useCodeCache} ${NODE_V8_FLAGS.join(' ')}\n`);
    key.update(readFileSync(bundle.path));
    for (const addon of addonSet.files) key.update(addon.name).update(readFileSync(addon.path));
    if (page !== undefined) key.update(PAGE_ASSET).update(readFileSync(page));
    const binariesDir = join(packagingCacheDir(), 'binaries');
    const fileName = `takd-linux-${arch}`;
    const entry = await cacheEntry(
      binariesDir,
      key.digest('hex').slice(0, 24),
      async (temp) => {
        const nodePath = await officialNode(arch, log);
        log(`generating the SEA blob with the ${arch} node${arch === process.arch ? '' : ' under qemu'}`);
        const blob = generateSeaBlob({ arch, nodePath, bundlePath: bundle.path, addons: addonSet.files, assets: page === undefined ? {} : { [PAGE_ASSET]: page }, workDir, useCodeCache });
        log('injecting into the stripped official node');
        injectBlob(arch, nodePath, blob, join(temp, fileName));
      },
      (path) => {
        const now = new Date();
        utimesSync(path, now, now); // recently used: kept by pruneEntries
        // Copied under the entry's lock, so a concurrent prune cannot remove it midway.
        copyFileSync(join(path, fileName), `${outPath}.${process.pid}`);
        renameSync(`${outPath}.${process.pid}`, outPath);
      },
      { log },
    );
    log(entry.made ? `built: ${entry.path}` : `cached: ${entry.path}`);
    if (entry.made) await pruneEntries(binariesDir, CACHED_BINARIES_KEPT);
    return { path: outPath, bytes: statSync(outPath).size, bundleBytes: bundle.bytes, cached: !entry.made, missingAddons: addonSet.missing };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
