// npm run build:deb -- --arch amd64|arm64|armhf [--version V] [--gzip]
//   →  dist/takd_<version>_<arch>.deb
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { DebArch } from '../packaging/build/addons.js';
import { buildDeb } from '../packaging/build/deb.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const ARCHES: readonly string[] = ['amd64', 'arm64', 'armhf'];

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { arch: { type: 'string', default: 'amd64' }, version: { type: 'string' }, gzip: { type: 'boolean', default: false }, out: { type: 'string' } },
  });
  if (!ARCHES.includes(values.arch)) {
    process.stderr.write(`build-deb: --arch must be one of ${ARCHES.join(', ')}\n`);
    return 2;
  }
  const built = await buildDeb({
    repoRoot,
    arch: values.arch as DebArch,
    version: values.version,
    outDir: values.out,
    compression: values.gzip ? 'gzip' : 'xz',
    log: (line) => process.stderr.write(`build-deb: ${line}\n`),
  });
  for (const note of built.missingAddons) process.stderr.write(`build-deb: warning: addon not packaged: ${note}\n`);
  process.stdout.write(`${built.path} ${(built.bytes / 1e6).toFixed(1)} MB\n`);
  return 0;
}

main().then(
  (status) => (process.exitCode = status),
  (error: unknown) => {
    process.stderr.write(`build-deb: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
