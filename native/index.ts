/**
 * The only loader of the native addon (native/src: sd_notify and malloc_trim), found by
 * node-gyp-build in native/build/Release or native/prebuilds/<platform>-<arch>. Returns
 * undefined when there is no build for this machine: notify falls back to the
 * `systemd-notify` command, and the heap trim does without malloc_trim.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface NativeAddon {
  /** Sends `message` to the AF_UNIX datagram socket `socketPath` ('@' = abstract). 0, or a negative errno. */
  notify(socketPath: string, message: string): number;
  /** glibc's malloc_trim(0): 1 if memory went back to the kernel, 0 if none, -1 without glibc. Absent from builds before it. */
  trimMalloc?(): number;
}

/** The addon's folder in the source tree: two levels up from build*\/native/index.js. */
export const ADDON_DIR = fileURLToPath(new URL('../../native', import.meta.url));

/** Only a success is cached: a build made later (by a test, or an operator) is picked up. */
let loaded: NativeAddon | undefined;

export function loadNativeAddon(dir: string = ADDON_DIR): { addon?: NativeAddon; error?: string } {
  if (loaded !== undefined && dir === ADDON_DIR) return { addon: loaded };
  let result: { addon?: NativeAddon; error?: string };
  try {
    const require = createRequire(import.meta.url);
    const load = require('node-gyp-build') as (directory: string) => unknown;
    const addon = load(dir) as Partial<NativeAddon>;
    result = typeof addon.notify === 'function' ? { addon: addon as NativeAddon } : { error: 'the addon has no notify()' };
  } catch (error) {
    result = { error: (error instanceof Error ? error.message : String(error)).split('\n')[0] };
  }
  if (dir === ADDON_DIR) loaded = result.addon;
  return result;
}
