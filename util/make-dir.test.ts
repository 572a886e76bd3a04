import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeDirSync } from './make-dir.js';

function scratch(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'takd-make-dir-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('creates every missing level, with the mode given, and is idempotent', (t) => {
  const root = scratch(t);
  const deep = join(root, 'a', 'b', 'c');
  makeDirSync(deep, 0o700);
  for (const level of [join(root, 'a'), join(root, 'a', 'b'), deep]) {
    assert.ok(statSync(level).isDirectory());
    assert.equal(statSync(level).mode & 0o777, 0o700);
  }
  makeDirSync(deep, 0o700);
  makeDirSync(root);
});

test('a file in the way is ENOTDIR, and nothing is created below it', (t) => {
  const root = scratch(t);
  writeFileSync(join(root, 'file'), 'x');
  assert.throws(() => makeDirSync(join(root, 'file', 'sub')), { code: 'ENOTDIR' });
  assert.throws(() => makeDirSync(join(root, 'file')), { code: 'ENOTDIR' });
});

// Node's recursive mkdir never returns here (procfs answers ENOENT for the child of /proc).
test('a directory under /proc fails at once instead of spinning', { timeout: 5_000 }, (t) => {
  if (!existsSync('/proc/self')) {
    t.skip('no procfs on this machine');
    return;
  }
  assert.throws(() => makeDirSync('/proc/takd-test-nonexistent/status'), { code: 'ENOENT' });
});
