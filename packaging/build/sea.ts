// Single executable: SEA blob made by a node of the target architecture (arm64 under
// qemu-aarch64-static, called directly since binfmt is not registered), injected with
// postject into a stripped copy of the official node binary.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { AddonFile } from './addons.js';
import type { BinaryArch } from './node-dist.js';
import { NODE_V8_FLAGS } from '../runtime/node-flags.js';

/** The fuse string Node's SEA support looks for (from Node's documentation). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/** Where Debian's libc6-arm64-cross puts the aarch64 loader and libraries. */
export const AARCH64_SYSROOT = '/usr/aarch64-linux-gnu';

export const STRIP: Record<BinaryArch, string> = { x64: 'strip', arm64: 'aarch64-linux-gnu-strip' };

/** argv prefix that runs `nodePath` as a process of its own architecture on this machine. */
export function nodeCommand(arch: BinaryArch, nodePath: string): string[] {
  if (arch === process.arch) return [nodePath];
  if (arch === 'arm64') return ['qemu-aarch64-static', '-L', AARCH64_SYSROOT, nodePath];
  throw new Error(`cannot run a ${arch} node on ${process.arch}`);
}

export interface SeaBlobOptions {
  arch: BinaryArch;
  nodePath: string;
  bundlePath: string;
  addons: AddonFile[];
  /** More SEA assets by name → file (the console page). */
  assets?: Record<string, string>;
  workDir: string;
  useCodeCache: boolean;
}

/** Writes the SEA config and has the target node produce the blob; returns its path. */
export function generateSeaBlob(options: SeaBlobOptions): string {
  const blobPath = join(options.workDir, `sea-${options.arch}.blob`);
  const configPath = join(options.workDir, `sea-config-${options.arch}.json`);
  const assets = { ...Object.fromEntries(options.addons.map((a) => [`${a.name}.node`, a.path])), ...options.assets };
  const config = {
    main: options.bundlePath,
    output: blobPath,
    disableExperimentalSEAWarning: true,
    useSnapshot: false,
    useCodeCache: options.useCodeCache,
    execArgv: NODE_V8_FLAGS,
    assets,
  };
  writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
  const [command, ...args] = nodeCommand(options.arch, options.nodePath);
  // V8 rejects a code cache made under other flags (it checks a hash of them), and node
  // then warns at every start: make it under the flags the binary runs with.
  execFileSync(command, [...args, ...NODE_V8_FLAGS, '--experimental-sea-config', configPath], { stdio: 'pipe' });
  return blobPath;
}

/** Strips a copy of the official node and injects the blob; the result is `outPath`. */
export function injectBlob(arch: BinaryArch, nodePath: string, blobPath: string, outPath: string): void {
  const staging = `${outPath}.partial`;
  copyFileSync(nodePath, staging);
  chmodSync(staging, 0o755);
  // Stripped before injection: strip would rewrite the section postject adds.
  execFileSync(STRIP[arch], ['--strip-all', staging]);
  // postject's CLI in a child process: its ELF library prints a warning per stripped note
  // section, noise that is shown only if the injection fails.
  const postjectCli = join(dirname(createRequire(import.meta.url).resolve('postject')), 'cli.js');
  execFileSync(process.execPath, [postjectCli, staging, 'NODE_SEA_BLOB', blobPath, '--sentinel-fuse', SEA_FUSE], { stdio: 'pipe' });
  renameSync(staging, outPath);
}
