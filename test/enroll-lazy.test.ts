// node-forge is for enrollment and packages only: `takd run` without a tak:// output must
// not load it. Checked on the sources: forge is imported in one file, dynamically; the
// files that use it are reached from outside daemon/enroll/ only by dynamic import.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './support/paths.js';

function sources(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(join(repoRoot, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sources(path, out);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const all = [...sources('daemon'), ...sources('config'), ...sources('hal'), ...sources('util')];
const STATIC = (spec: string): RegExp => new RegExp(`^\\s*(?:import|export)\\s(?!type\\b)[^;]*?from\\s+'[^']*${spec}'`, 'm');

test('only daemon/pki/forge.ts loads node-forge, and only with import()', () => {
  const users = all.filter((f) => /'node-forge[/']/.test(readFileSync(join(repoRoot, f), 'utf8')));
  assert.deepEqual(users, ['daemon/pki/forge.ts']);
  const text = readFileSync(join(repoRoot, 'daemon/pki/forge.ts'), 'utf8');
  assert.ok(!STATIC('node-forge').test(text), 'no static value import of node-forge');
  assert.match(text, /import\('node-forge\/lib\/pkcs12\.js'\)/);
});

test('the enrollment code that loads forge is imported from outside daemon/enroll/ only dynamically', () => {
  for (const file of all.filter((f) => !f.startsWith('daemon/enroll/'))) {
    const text = readFileSync(join(repoRoot, file), 'utf8');
    for (const module of ['enroll/resolve', 'enroll/enroll', 'enroll/csr', 'enroll/import', 'enroll/p12', 'enroll/package-output', 'enroll/credentials']) {
      assert.ok(!STATIC(`${module}\\.js`).test(text), `${file} imports ${module} statically`);
    }
  }
});
