// npm run build:binary -- --arch x64|arm64  →  dist/takd-linux-<arch>
// Options: --no-code-cache (V8 code cache off), --out DIR.
import { buildBinary } from '../packaging/build/binary.js';
import type { BinaryArch } from '../packaging/build/node-dist.js';
import { repoRoot, runPackagingCommand } from './packaging-command.js';

runPackagingCommand({
  name: 'build-binary',
  arches: ['x64', 'arm64'],
  defaultArch: process.arch,
  options: { 'no-code-cache': { type: 'boolean', default: false }, out: { type: 'string' } },
  async build(arch, values, log) {
    const built = await buildBinary({ repoRoot, arch: arch as BinaryArch, outDir: values.out as string | undefined, useCodeCache: !values['no-code-cache'], log });
    for (const note of built.missingAddons) log(`warning: addon not embedded: ${note}`);
    return `${built.path} ${(built.bytes / 1e6).toFixed(1)} MB (bundle ${(built.bundleBytes / 1e3).toFixed(0)} kB)${built.cached ? ', from cache' : ''}`;
  },
});
