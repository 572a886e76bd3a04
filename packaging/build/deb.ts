// dist/takd_<version>_<arch>.deb with dpkg-deb. amd64/arm64 carry the single binary;
// armhf carries the esbuild bundle and a launcher for Debian's nodejs. All carry the
// addons in /usr/lib/takd, the hardened unit and the commented default takd.ini.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { addonFiles, type DebArch } from './addons.js';
import { buildBinary } from './binary.js';
import { bundleDaemon } from './bundle.js';
import { copyrightFile } from './copyright.js';
import { defaultIni } from './default-ini.js';
import { NODE_VERSION, officialNodeLicense, packagingCacheDir } from './node-dist.js';
import { NODE_V8_FLAGS } from '../runtime/node-flags.js';

export const MAINTAINER = 'takd developers <takd@example.org>';

const STRIP: Record<DebArch, string> = { amd64: 'strip', arm64: 'aarch64-linux-gnu-strip', armhf: 'arm-linux-gnueabihf-strip' };

/** Node 24's official binary needs glibc 2.28; armhf runs on Debian's nodejs instead. */
const DEPENDS: Record<DebArch, string> = {
  amd64: 'libc6 (>= 2.28), libgcc-s1, libstdc++6, adduser, udev',
  arm64: 'libc6 (>= 2.28), libgcc-s1, libstdc++6, adduser, udev',
  armhf: 'nodejs (>= 18), libc6, adduser, udev',
};

const DESCRIPTION = `GPS receivers and tactical radios to Cursor-on-Target
 takd reads GPS receivers (NMEA 0183 over serial, gpsd) and serial radios
 (AIS, APRS KISS TNCs, Meshtastic), turns what they report into
 Cursor-on-Target events and publishes them to ATAK, WinTAK and iTAK users:
 as Mesh SA on the local network and to a TAK Server over TLS. It accepts
 PyTAK's URLs and configuration keys.`;

const ARMHF_LAUNCHER = `#!/bin/sh
# takd on armhf: Debian's nodejs runs the bundle; native addons are in /usr/lib/takd.
exec /usr/bin/node ${NODE_V8_FLAGS.join(' ')} /usr/lib/takd/takd.cjs "$@"
`;

export interface DebOptions {
  repoRoot: string;
  arch: DebArch;
  /** Default: package.json's version. */
  version?: string;
  outDir?: string;
  /** dpkg-deb compressor: xz for releases; none in tests, where only the contents matter. */
  compression?: 'xz' | 'gzip' | 'none';
  log?: (line: string) => void;
}

export interface BuiltDeb {
  path: string;
  bytes: number;
  version: string;
  missingAddons: string[];
}

function put(stage: string, path: string, contents: string | Buffer, mode = 0o644): void {
  const target = join(stage, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, contents);
  chmodSync(target, mode);
}

function install(stage: string, path: string, source: string, mode = 0o644): void {
  put(stage, path, readFileSync(source), mode);
}

function walkFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walkFiles(path) : [path];
  });
}

/** Stable dates make the package reproducible: SOURCE_DATE_EPOCH, else the last commit. */
function buildDate(repoRoot: string): Date {
  const fromEnv = process.env.SOURCE_DATE_EPOCH;
  if (fromEnv) return new Date(Number(fromEnv) * 1000);
  try {
    return new Date(Number(execFileSync('git', ['-C', repoRoot, 'log', '-1', '--format=%ct'], { encoding: 'utf8' }).trim()) * 1000);
  } catch {
    return new Date();
  }
}

function changelog(version: string, date: Date): Buffer {
  const rfc2822 = date.toUTCString().replace(/GMT$/, '+0000');
  const text = `takd (${version}) unstable; urgency=medium\n\n  * Release ${version}.\n\n -- ${MAINTAINER}  ${rfc2822}\n`;
  return gzipSync(text, { level: 9 });
}

function controlFile(version: string, arch: DebArch, installedKiB: number): string {
  return [
    'Package: takd',
    `Version: ${version}`,
    `Architecture: ${arch}`,
    `Maintainer: ${MAINTAINER}`,
    `Installed-Size: ${installedKiB}`,
    `Depends: ${DEPENDS[arch]}`,
    'Section: net',
    'Priority: optional',
    `Description: ${DESCRIPTION}`,
    '',
  ].join('\n');
}

function stripAddon(arch: DebArch, path: string, log: (line: string) => void): void {
  try {
    execFileSync(STRIP[arch], ['--strip-unneeded', '--remove-section=.comment', '--remove-section=.note', path], { stdio: 'ignore' });
  } catch {
    log(`warning: ${STRIP[arch]} not available; ${path} left unstripped`);
  }
}

/** The payload: programs, addons, unit, conffile, documentation. */
async function stagePayload(options: DebOptions, stage: string, version: string, log: (line: string) => void): Promise<string[]> {
  const { repoRoot, arch } = options;
  const workDir = join(stage, '..', 'bundle');
  const bundle = await bundleDaemon(repoRoot, join(workDir, 'takd.cjs'));
  const doc = 'usr/share/doc/takd';
  let nodeRuntime: { version: string; licensePath: string } | undefined;
  if (arch === 'armhf') {
    install(stage, 'usr/lib/takd/takd.cjs', bundle.path);
    put(stage, 'usr/bin/takd', ARMHF_LAUNCHER, 0o755);
  } else {
    const binaryArch = arch === 'amd64' ? 'x64' : 'arm64';
    const binary = await buildBinary({ repoRoot, arch: binaryArch, outDir: workDir, log });
    install(stage, 'usr/bin/takd', binary.path, 0o755);
    nodeRuntime = { version: NODE_VERSION, licensePath: `/${doc}/LICENSE.nodejs.gz` };
    put(stage, `${doc}/LICENSE.nodejs.gz`, gzipSync(await officialNodeLicense(binaryArch), { level: 9 }));
  }
  const { files: addons, missing } = addonFiles(repoRoot, arch);
  for (const addon of addons) {
    const target = `usr/lib/takd/${addon.name}.node`;
    install(stage, target, addon.path);
    stripAddon(arch, join(stage, target), log);
  }
  install(stage, 'lib/systemd/system/takd.service', resolve(repoRoot, 'packaging/systemd/takd.service'));
  put(stage, 'etc/takd/takd.ini', defaultIni());
  put(stage, `${doc}/copyright`, copyrightFile({ repoRoot, packageDirs: bundle.packageDirs, nodeRuntime }));
  put(stage, 'usr/share/man/man1/takd.1.gz', gzipSync(readFileSync(resolve(repoRoot, 'packaging/deb/takd.1')), { level: 9 }));
  put(stage, `${doc}/changelog.gz`, changelog(version, buildDate(repoRoot)));
  install(stage, `${doc}/README.md`, resolve(repoRoot, 'README.md'));
  const examples = resolve(repoRoot, 'config/examples');
  for (const file of readdirSync(examples).filter((f) => f.endsWith('.ini'))) install(stage, `${doc}/examples/${file}`, join(examples, file));
  // Only the single binary needs overrides (Node's own build choices); see the file.
  if (arch !== 'armhf') install(stage, 'usr/share/lintian/overrides/takd', resolve(repoRoot, 'packaging/deb/lintian-overrides.binary'));
  return missing;
}

function stageControl(repoRoot: string, stage: string, version: string, arch: DebArch): void {
  const payload = walkFiles(stage);
  const installedKiB = Math.ceil(payload.reduce((sum, f) => sum + statSync(f).size, 0) / 1024);
  const conffiles = readFileSync(resolve(repoRoot, 'packaging/deb/conffiles'), 'utf8');
  const conffileSet = new Set(conffiles.split('\n').filter(Boolean));
  const md5sums = payload
    .map((f) => `/${relative(stage, f)}`)
    .filter((p) => !conffileSet.has(p))
    .sort()
    .map((p) => `${createHash('md5').update(readFileSync(join(stage, p))).digest('hex')}  ${p.slice(1)}`);
  put(stage, 'DEBIAN/control', controlFile(version, arch, installedKiB));
  put(stage, 'DEBIAN/conffiles', conffiles);
  put(stage, 'DEBIAN/md5sums', `${md5sums.join('\n')}\n`);
  for (const script of ['postinst', 'prerm', 'postrm']) install(stage, `DEBIAN/${script}`, resolve(repoRoot, 'packaging/deb', script), 0o755);
}

export async function buildDeb(options: DebOptions): Promise<BuiltDeb> {
  const log = options.log ?? (() => {});
  const { repoRoot, arch } = options;
  const version = options.version ?? (JSON.parse(readFileSync(resolve(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const outDir = options.outDir ?? resolve(repoRoot, 'dist');
  const root = join(packagingCacheDir(), 'work', `deb-${arch}-${process.pid}-${randomBytes(4).toString('hex')}`);
  const stage = join(root, 'stage');
  rmSync(root, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  try {
    const missing = await stagePayload(options, stage, version, log);
    stageControl(repoRoot, stage, version, arch);
    mkdirSync(outDir, { recursive: true });
    const path = join(outDir, `takd_${version}_${arch}.deb`);
    const compression = options.compression ?? 'xz';
    log(`dpkg-deb (${compression})`);
    execFileSync('dpkg-deb', ['--root-owner-group', `-Z${compression}`, '--build', stage, path], { stdio: ['ignore', 'ignore', 'inherit'] });
    return { path, bytes: statSync(path).size, version, missingAddons: missing };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
