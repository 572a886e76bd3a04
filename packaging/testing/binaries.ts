// Test support for the packaging tests: the binaries built once per source hash (the cache
// in packaging/build/binary.ts), how to run each on this machine, and why a test must skip.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildBinary, type BuiltBinary } from '../build/binary.js';
import { officialNode, type BinaryArch } from '../build/node-dist.js';
import { AARCH64_SYSROOT, STRIP } from '../build/sea.js';

const MiB = 1024 * 1024;

/** Size budgets (issue 14): what takd adds to the node it is built on, and the release .deb. */
export const SIZE_BUDGET = { binaryOverNodeBytes: 3 * MiB, debBytes: 30 * MiB };

export function mib(bytes: number): string {
  return `${(bytes / MiB).toFixed(1)} MiB`;
}

/** Size of the official node for `arch` stripped as the binary's is: the floor of its size. */
export async function strippedOfficialNodeBytes(arch: BinaryArch, scratchDir: string): Promise<number> {
  const copy = join(scratchDir, `node-${arch}-stripped`);
  copyFileSync(await officialNode(arch), copy);
  try {
    execFileSync(STRIP[arch], ['--strip-all', copy]);
    return statSync(copy).size;
  } finally {
    rmSync(copy, { force: true });
  }
}

export function commandWorks(command: string, args: string[] = ['--version']): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

/** Why the binary for `arch` cannot be built and run here, or undefined when it can. */
export function binaryUnavailableReason(arch: BinaryArch): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return 'the packaging tests build on linux-x64';
  if (!commandWorks('strip')) return 'needs strip (apt: binutils)';
  if (arch === 'arm64') {
    if (!commandWorks('qemu-aarch64-static')) return 'needs qemu-aarch64-static (apt: qemu-user-static)';
    if (!existsSync(join(AARCH64_SYSROOT, 'lib/ld-linux-aarch64.so.1'))) return 'needs the aarch64 loader and libraries (apt: libc6-arm64-cross libstdc++6-arm64-cross)';
    if (!commandWorks('aarch64-linux-gnu-strip')) return 'needs aarch64-linux-gnu-strip (apt: binutils-aarch64-linux-gnu)';
  }
  return undefined;
}

/** argv that runs the built binary here: directly, or the arm64 one under qemu. */
export function binaryCommand(arch: BinaryArch, path: string): string[] {
  return arch === process.arch ? [path] : ['qemu-aarch64-static', '-L', AARCH64_SYSROOT, path];
}

/** Builds (or takes from the cache) the binary for `arch` into `outDir`. */
export function testBinary(repoRoot: string, arch: BinaryArch, outDir: string): Promise<BuiltBinary> {
  return buildBinary({ repoRoot, arch, outDir });
}
