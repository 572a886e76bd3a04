// npm run build:deb -- --arch amd64|arm64|armhf [--version V] [--gzip]
//   →  dist/takd_<version>_<arch>.deb
import type { DebArch } from '../packaging/build/addons.js';
import { buildDeb } from '../packaging/build/deb.js';
import { repoRoot, runPackagingCommand } from './packaging-command.js';

runPackagingCommand({
  name: 'build-deb',
  arches: ['amd64', 'arm64', 'armhf'],
  defaultArch: 'amd64',
  options: { version: { type: 'string' }, gzip: { type: 'boolean', default: false }, out: { type: 'string' } },
  async build(arch, values, log) {
    const built = await buildDeb({
      repoRoot,
      arch: arch as DebArch,
      version: values.version as string | undefined,
      outDir: values.out as string | undefined,
      compression: values.gzip ? 'gzip' : 'xz',
      log,
    });
    for (const note of built.missingAddons) log(`warning: addon not packaged: ${note}`);
    return `${built.path} ${(built.bytes / 1e6).toFixed(1)} MB`;
  },
});
