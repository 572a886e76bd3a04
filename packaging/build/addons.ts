// The native addons each target carries: serialport's prebuild from @serialport/bindings-cpp
// and takd's sd_notify addon from native/prebuilds (native/prebuild.sh makes them).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ADDON_NAMES, type AddonName } from '../runtime/addons.js';

/** Debian's architecture names; the binary uses Node's (x64, arm64). */
export type DebArch = 'amd64' | 'arm64' | 'armhf';

export const DEB_TO_NODE_ARCH: Record<DebArch, 'x64' | 'arm64' | 'arm'> = { amd64: 'x64', arm64: 'arm64', armhf: 'arm' };

export interface AddonFile {
  name: AddonName;
  path: string;
}

const SERIALPORT_PREBUILD: Record<DebArch, string> = {
  amd64: 'linux-x64/@serialport+bindings-cpp.glibc.node',
  arm64: 'linux-arm64/@serialport+bindings-cpp.armv8.glibc.node',
  armhf: 'linux-arm/@serialport+bindings-cpp.armv7.glibc.node',
};

/** The argument native/prebuild.sh takes for each architecture. */
const PREBUILD_TARGET: Record<DebArch, string> = { amd64: 'x64', arm64: 'arm64', armhf: 'armv7' };

const NATIVE_PREBUILD: Record<DebArch, string> = {
  amd64: 'linux-x64/node.napi.node',
  arm64: 'linux-arm64/node.napi.node',
  armhf: 'linux-arm/node.napi.armv7.node',
};

/**
 * The addon files for `arch`. serialport's is required (serial is the point of takd); ours is
 * optional because the daemon falls back to `systemd-notify` without it — `missing` says so.
 */
export function addonFiles(repoRoot: string, arch: DebArch): { files: AddonFile[]; missing: string[] } {
  const serialport = resolve(repoRoot, 'node_modules/@serialport/bindings-cpp/prebuilds', SERIALPORT_PREBUILD[arch]);
  if (!existsSync(serialport)) throw new Error(`serialport prebuild missing: ${serialport} (run npm ci)`);
  const files: AddonFile[] = [{ name: ADDON_NAMES.serialport, path: serialport }];
  const missing: string[] = [];
  const native = resolve(repoRoot, 'native/prebuilds', NATIVE_PREBUILD[arch]);
  // A clean checkout has no prebuilds: native/prebuild.sh makes them with Debian's compilers.
  if (!existsSync(native)) spawnSync('bash', [resolve(repoRoot, 'native/prebuild.sh'), PREBUILD_TARGET[arch]], { stdio: 'ignore' });
  if (existsSync(native)) files.push({ name: ADDON_NAMES.native, path: native });
  else missing.push(`${native} (run native/prebuild.sh; the daemon falls back to systemd-notify)`);
  return { files, missing };
}
