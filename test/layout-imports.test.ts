// The design's import directions, checked on the sources: daemon/ reaches hardware only
// through hal/index.ts and hal/contract.ts; hal/ takes nothing from daemon/ but
// daemon/codec/event.ts; only hal/links/serial.ts imports serialport; only native/index.ts
// loads the native addon.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { repoRoot } from './support/paths.js';

function sources(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(join(repoRoot, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sources(path, out);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g;

function imports(file: string): string[] {
  const text = readFileSync(join(repoRoot, file), 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2]);
}

/** Repository-relative path of a relative import, with .js mapped back to .ts. */
function target(file: string, specifier: string): string {
  return relative(repoRoot, resolve(repoRoot, dirname(file), specifier)).replace(/\.js$/, '.ts');
}

test('daemon/ and config/ use hardware only through hal/index.ts and hal/contract.ts', () => {
  for (const file of [...sources('daemon'), ...sources('config')]) {
    for (const spec of imports(file).filter((s) => s.startsWith('.'))) {
      const to = target(file, spec);
      if (to.startsWith('hal/')) assert.ok(to === 'hal/index.ts' || to === 'hal/contract.ts', `${file} imports ${to}`);
    }
  }
});

test('hal/ imports nothing from daemon/ but daemon/codec/event.ts', () => {
  for (const file of sources('hal')) {
    for (const spec of imports(file).filter((s) => s.startsWith('.'))) {
      const to = target(file, spec);
      if (to.startsWith('daemon/') || to.startsWith('config/')) assert.equal(to, 'daemon/codec/event.ts', `${file} imports ${to}`);
    }
  }
});

test('only hal/links/serial.ts imports serialport; only native/index.ts loads the addon', () => {
  const all = [...sources('daemon'), ...sources('hal'), ...sources('config'), ...sources('native')];
  const serial = all.filter((f) => imports(f).some((s) => s === 'serialport' || s.startsWith('@serialport/')));
  assert.deepEqual(serial, ['hal/links/serial.ts']);
  const addon = all.filter((f) => /['"]node-gyp-build['"]|\.node['"]/.test(readFileSync(join(repoRoot, f), 'utf8')));
  assert.deepEqual(addon, ['native/index.ts']);
});
