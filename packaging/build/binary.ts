// dist/takd-linux-<arch>: bundle → SEA blob (by the target's own node) → postject into the
// stripped official node. Finished binaries are cached by the hash of everything that goes
// into them, so CI and the tests rebuild only when the sources change.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { addonFiles, type DebArch } from './addons.js';
import { bundleDaemon } from './bundle.js';
import { NODE_VERSION, officialNode, packagingCacheDir, type BinaryArch } from './node-dist.js';
import { generateSeaBlob, injectBlob } from './sea.js';
import { NODE_V8_FLAGS } from '../runtime/node-flags.js';

/** Bump when the recipe changes in a way the inputs' hash cannot see. */
const RECIPE_VERSION = 3;

/** Binaries are ~110 MB: the cache keeps the most recent few. */
const CACHED_BINARIES_KEPT = 6;

function pruneCache(binariesDir: string): void {
  const entries = readdirSync(binariesDir)
    .map((name) => ({ path: join(binariesDir, name), mtime: statSync(join(binariesDir, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const stale of entries.slice(CACHED_BINARIES_KEPT)) rmSync(stale.path, { recursive: true, force: true });
}

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

export async function buildBinary(options: BinaryOptions): Promise<BuiltBinary> {
  const log = options.log ?? (() => {});
  const { repoRoot, arch } = options;
  const useCodeCache = options.useCodeCache ?? true;
  const outDir = options.outDir ?? resolve(repoRoot, 'dist');
  const outPath = join(outDir, `takd-linux-${arch}`);
  mkdirSync(outDir, { recursive: true });

  const workDir = join(packagingCacheDir(), 'work', `${arch}-${process.pid}`);
  mkdirSync(workDir, { recursive: true });
  let bundleBytes: number;
  let missing: string[];
  let cachedPath: string;
  let cached: boolean;
  try {
    const bundle = await bundleDaemon(repoRoot, join(workDir, 'takd.cjs'));
    bundleBytes = bundle.bytes;
    const addonSet = addonFiles(repoRoot, BINARY_TO_DEB[arch]);
    missing = addonSet.missing;

    const key = createHash('sha256');
    key.update(`${RECIPE_VERSION} ${NODE_VERSION} ${arch} ${useCodeCache} ${NODE_V8_FLAGS.join(' ')}\n`);
    key.update(readFileSync(bundle.path));
    for (const addon of addonSet.files) key.update(addon.name).update(readFileSync(addon.path));
    const binariesDir = join(packagingCacheDir(), 'binaries');
    cachedPath = join(binariesDir, key.digest('hex').slice(0, 24), `takd-linux-${arch}`);

    cached = existsSync(cachedPath);
    if (cached) {
      log(`cached: ${cachedPath}`);
      const now = new Date();
      utimesSync(join(cachedPath, '..'), now, now); // recently used: kept by pruneCache
    } else {
      const nodePath = officialNode(arch, log);
      log(`generating the SEA blob with the ${arch} node${arch === process.arch ? '' : ' under qemu'}`);
      const blob = generateSeaBlob({ arch, nodePath, bundlePath: bundle.path, addons: addonSet.files, workDir, useCodeCache });
      log('injecting into the stripped official node');
      mkdirSync(join(cachedPath, '..'), { recursive: true });
      injectBlob(arch, nodePath, blob, `${cachedPath}.${process.pid}`);
      renameSync(`${cachedPath}.${process.pid}`, cachedPath);
      pruneCache(binariesDir);
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  copyFileSync(cachedPath, `${outPath}.${process.pid}`);
  renameSync(`${outPath}.${process.pid}`, outPath);
  const bytes = statSync(outPath).size;
  return { path: outPath, bytes, bundleBytes, cached, missingAddons: missing };
}
