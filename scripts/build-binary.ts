// npm run build:binary -- --arch x64|arm64  →  dist/takd-linux-<arch>
// Options: --no-code-cache (V8 code cache off), --out DIR.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildBinary } from '../packaging/build/binary.js';
import type { BinaryArch } from '../packaging/build/node-dist.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const ARCHES: readonly string[] = ['x64', 'arm64'];

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { arch: { type: 'string', default: process.arch }, 'no-code-cache': { type: 'boolean', default: false }, out: { type: 'string' } },
  });
  if (!ARCHES.includes(values.arch)) {
    process.stderr.write(`build-binary: --arch must be one of ${ARCHES.join(', ')}\n`);
    return 2;
  }
  const built = await buildBinary({
    repoRoot,
    arch: values.arch as BinaryArch,
    outDir: values.out,
    useCodeCache: !values['no-code-cache'],
    log: (line) => process.stderr.write(`build-binary: ${line}\n`),
  });
  for (const note of built.missingAddons) process.stderr.write(`build-binary: warning: addon not embedded: ${note}\n`);
  process.stdout.write(`${built.path} ${(built.bytes / 1e6).toFixed(1)} MB (bundle ${(built.bundleBytes / 1e3).toFixed(0)} kB)${built.cached ? ', from cache' : ''}\n`);
  return 0;
}

main().then(
  (status) => (process.exitCode = status),
  (error: unknown) => {
    process.stderr.write(`build-binary: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
