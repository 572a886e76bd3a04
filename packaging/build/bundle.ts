// The esbuild bundle: daemon/main.ts and everything it can reach (lazy subcommands
// included) in one CommonJS file, the input of both the single binary and the armhf .deb.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { build } from 'esbuild';
import { bundlePlugins } from './plugins.js';

export interface BundleResult {
  path: string;
  bytes: number;
  /** node_modules directories (relative to the repository) whose code is in the bundle. */
  packageDirs: string[];
}

function bundledPackageDirs(inputs: string[]): string[] {
  const dirs = new Set<string>();
  for (const input of inputs) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) dirs.add(match[1]);
  }
  return [...dirs].sort();
}

/** Node 18 is Debian bookworm's nodejs (armhf); the binary embeds a newer one. */
const BUNDLE_TARGET = 'node18';

/** `pageAsset`: the console page is read from the SEA asset PAGE_ASSET (the single binary), not bundled. */
export async function bundleDaemon(repoRoot: string, outFile: string, options: { pageAsset?: boolean } = {}): Promise<BundleResult> {
  mkdirSync(dirname(outFile), { recursive: true });
  const result = await build({
    entryPoints: [resolve(repoRoot, 'daemon/main.ts')],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: BUNDLE_TARGET,
    // Whitespace and syntax only: identifiers stay readable in stack traces in the journal.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'eof',
    // ES modules are strict; the CommonJS bundle keeps their semantics.
    banner: { js: '"use strict";' },
    plugins: bundlePlugins(repoRoot, options),
    logLevel: 'warning',
    metafile: true,
    absWorkingDir: repoRoot,
  });
  // main.ts's #! line is kept by esbuild; the bundle is never executed directly (the binary
  // embeds it, the armhf launcher runs it with node), so it goes.
  const text = readFileSync(outFile, 'utf8');
  if (text.startsWith('#!')) writeFileSync(outFile, text.slice(text.indexOf('\n') + 1));
  return { path: outFile, bytes: statSync(outFile).size, packageDirs: bundledPackageDirs(Object.keys(result.metafile.inputs)) };
}
