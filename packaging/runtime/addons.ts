// Loads a native addon when takd runs as the single binary or as the .deb's bundle, where
// node-gyp-build has no node_modules tree to search. Order: the .deb's /usr/lib/takd (or
// $TAKD_ADDON_DIR), then an asset embedded in the single binary, extracted once to the
// runtime directory (dlopen needs a real file).
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the .deb installs the addons for its architecture. */
export const INSTALLED_ADDON_DIR = '/usr/lib/takd';

/** Addon names shared by the build (asset keys, .deb file names) and the loader. */
export const ADDON_NAMES = { serialport: 'serialport', native: 'takd-native' } as const;
export type AddonName = (typeof ADDON_NAMES)[keyof typeof ADDON_NAMES];

interface SeaModule {
  isSea(): boolean;
  getRawAsset(key: string): ArrayBuffer;
}

// Required from the executable's path: inside the binary `require` only knows built-ins, and
// node:sea does not exist on Debian's Node 18 (armhf), so it is looked up, not imported.
const requireFromExecutable = createRequire(process.execPath);

function seaModule(): SeaModule | undefined {
  try {
    const sea = requireFromExecutable('node:sea') as SeaModule;
    return sea.isSea() ? sea : undefined;
  } catch {
    return undefined;
  }
}

/** A private directory for extracted addons: systemd's RuntimeDirectory first. */
export function extractionDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.RUNTIME_DIRECTORY) return join(env.RUNTIME_DIRECTORY.split(':')[0], 'addons');
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, 'takd', 'addons');
  return join(tmpdir(), `takd-addons-${process.getuid?.() ?? 'user'}`);
}

/** Refuses a directory someone else could have planted (a shared /tmp). */
function ensurePrivateDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = lstatSync(dir);
  const uid = process.getuid?.();
  if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid) || (stat.mode & 0o022) !== 0) {
    throw new Error(`takd: ${dir} is not a private directory owned by this user; cannot extract native addons`);
  }
}

/** Writes the asset under a name keyed by its content, once; concurrent starts are safe. */
function extractAsset(name: string, bytes: Buffer, dir: string): string {
  const digest = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const path = join(dir, `${name}-${digest}.node`);
  if (existsSync(path)) return path;
  ensurePrivateDirectory(dir);
  const partial = `${path}.${process.pid}.tmp`;
  writeFileSync(partial, bytes, { mode: 0o500 });
  renameSync(partial, path);
  return path;
}

/** The addon's file path, or undefined when neither the .deb nor the binary carries it. */
export function locateAddon(name: AddonName, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const installedDir = env.TAKD_ADDON_DIR ?? INSTALLED_ADDON_DIR;
  const installed = join(installedDir, `${name}.node`);
  if (existsSync(installed)) return installed;
  const sea = seaModule();
  if (!sea) return undefined;
  let asset: ArrayBuffer;
  try {
    asset = sea.getRawAsset(`${name}.node`);
  } catch {
    return undefined; // this binary was built without that addon
  }
  return extractAsset(name, Buffer.from(asset), extractionDirectory(env));
}

/** Loads the addon; throws (like node-gyp-build does) when it is nowhere to be found. */
export function loadAddon(name: AddonName): unknown {
  const path = locateAddon(name);
  if (!path) throw new Error(`takd: native addon '${name}' not found in ${INSTALLED_ADDON_DIR} nor in this binary`);
  return requireFromExecutable(path);
}
