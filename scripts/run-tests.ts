// Runs every compiled test file under build/ with Node's built-in test runner.
// (Node 20's `--test` has no glob support, and its default discovery would also pick up
// the benchmark scenarios under test/bench/.)
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const buildRoot = fileURLToPath(new URL('..', import.meta.url));

function findTests(dir: string, out: string[]): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'bench' && entry.name !== 'node_modules') findTests(path, out);
    } else if (entry.name.endsWith('.test.js')) {
      out.push(path);
    }
  }
  return out;
}

const only = process.argv.slice(2);
const files = findTests(buildRoot, [])
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
if (files.length === 0) {
  console.error('run-tests: no test files found under', buildRoot);
  process.exit(1);
}
console.log(`run-tests: ${files.length} files:`, files.map((f) => relative(buildRoot, f)).join(' '));
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
