// The official Node binaries the single binary is built from, taken from the npm registry
// (node-linux-<arch> packages carry the nodejs.org build), pinned and checked by sha256.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { cacheEntry } from './cache-entry.js';

export type BinaryArch = 'x64' | 'arm64';

export const NODE_VERSION = '24.21.0';

/** sha256 of the npm tarballs node-linux-<arch>-24.21.0.tgz, checked before use. */
const TARBALL_SHA256: Record<BinaryArch, string> = {
  x64: '61ecf27ad70afee991b671c28561eb497028294a67d132f9bbaac9ad73f81d3b',
  arm64: 'fba3076c16d21e5d814577436bdcb782b9b66bed09c6fa8278298e8933288bbb',
};

/** Built artefacts live beside npm's own cache so CI caches one directory. */
export function packagingCacheDir(): string {
  const npmCache = process.env.npm_config_cache ?? join(homedir(), '.npm');
  return join(npmCache, '_takd-packaging');
}

function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Node's LICENSE (its own and its bundled libraries'), beside the extracted binary. */
export async function officialNodeLicense(arch: BinaryArch): Promise<string> {
  return readFileSync(join(await officialNode(arch), '..', 'LICENSE'), 'utf8');
}

/**
 * Path of the unmodified `node` for `arch`, extracted once from the pinned tarball into a
 * cache entry named by that tarball's sha256 (see cache-entry.ts: concurrent builders wait
 * for one download; the entry appears complete or not at all). `npm pack` goes through npm's
 * cache, so a second build does not touch the network.
 */
export async function officialNode(arch: BinaryArch, log: (line: string) => void = () => {}): Promise<string> {
  const sha256 = TARBALL_SHA256[arch];
  const entry = await cacheEntry(
    packagingCacheDir(),
    `node-${NODE_VERSION}-linux-${arch}-${sha256.slice(0, 16)}`,
    (temp) => {
      const spec = `node-linux-${arch}@${NODE_VERSION}`;
      log(`fetching ${spec} from the npm registry (npm cache)`);
      execFileSync('npm', ['pack', spec, '--prefer-offline', '--silent', '--pack-destination', temp], { stdio: ['ignore', 'ignore', 'inherit'] });
      const tarball = join(temp, `node-linux-${arch}-${NODE_VERSION}.tgz`);
      const actual = sha256File(tarball);
      if (actual !== sha256) throw new Error(`${spec}: sha256 ${actual} does not match the pinned ${sha256}`);
      execFileSync('tar', ['xzf', tarball, '-C', temp, 'package/bin/node', 'package/LICENSE']);
      renameSync(join(temp, 'package/LICENSE'), join(temp, 'LICENSE'));
      renameSync(join(temp, 'package/bin/node'), join(temp, 'node'));
      rmSync(join(temp, 'package'), { recursive: true });
      rmSync(tarball);
    },
    (path) => join(path, 'node'),
    { log },
  );
  return entry.value;
}
