// The official Node binaries the single binary is built from, taken from the npm registry
// (node-linux-<arch> packages carry the nodejs.org build), pinned and checked by sha256.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

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
export function officialNodeLicense(arch: BinaryArch): string {
  return readFileSync(join(officialNode(arch), '..', 'LICENSE'), 'utf8');
}

/**
 * Path of the unmodified `node` for `arch`, extracted once from the pinned tarball.
 * `npm pack` goes through npm's cache, so a second build does not touch the network.
 */
export function officialNode(arch: BinaryArch, log: (line: string) => void = () => {}): string {
  const dir = join(packagingCacheDir(), `node-${NODE_VERSION}-linux-${arch}`);
  const nodePath = join(dir, 'node');
  if (existsSync(nodePath)) return nodePath;
  mkdirSync(dir, { recursive: true });
  const spec = `node-linux-${arch}@${NODE_VERSION}`;
  log(`fetching ${spec} from the npm registry (npm cache)`);
  execFileSync('npm', ['pack', spec, '--prefer-offline', '--silent', '--pack-destination', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  const tarball = join(dir, `node-linux-${arch}-${NODE_VERSION}.tgz`);
  const actual = sha256File(tarball);
  if (actual !== TARBALL_SHA256[arch]) {
    rmSync(tarball);
    throw new Error(`${spec}: sha256 ${actual} does not match the pinned ${TARBALL_SHA256[arch]}`);
  }
  // Extracted beside, then renamed: an interrupted build never leaves a half-written node.
  const staging = join(dir, 'staging');
  mkdirSync(staging, { recursive: true });
  execFileSync('tar', ['xzf', tarball, '-C', staging, 'package/bin/node', 'package/LICENSE']);
  renameSync(join(staging, 'package/LICENSE'), join(dir, 'LICENSE'));
  renameSync(join(staging, 'package/bin/node'), nodePath);
  rmSync(staging, { recursive: true });
  rmSync(tarball);
  return nodePath;
}
