// Runs every compiled test file under build/ with Node's built-in test runner.
// (Node 20's `--test` has no glob support, and its default discovery would also pick up
// the benchmark scenarios under test/bench/.)
// Ends with a summary that fits on a screen: each skip's reason (a capability this machine
// lacks shows here instead of passing silently), the failures, and as the last line
// "N passed, N failed, N skipped". Exit status: non-zero on any failure.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { summarize, type TestOutcome } from './summary-reporter.js';

const buildRoot = fileURLToPath(new URL('..', import.meta.url));
const reporter = fileURLToPath(new URL('./summary-reporter.js', import.meta.url));

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

function main(): number {
  const only = process.argv.slice(2);
  const files = findTests(buildRoot, [])
    .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
    .sort();
  if (files.length === 0) {
    console.error('run-tests: no test files found under', buildRoot);
    return 1;
  }
  console.log(`run-tests: ${files.length} files:`, files.map((f) => relative(buildRoot, f)).join(' '));
  const scratch = mkdtempSync(join(tmpdir(), 'takd-run-tests-'));
  try {
    const outcomesFile = join(scratch, 'outcomes.jsonl');
    const result = spawnSync(
      process.execPath,
      ['--test', '--test-concurrency=2', '--test-reporter=spec', '--test-reporter-destination=stdout', `--test-reporter=${reporter}`, `--test-reporter-destination=${outcomesFile}`, ...files],
      { stdio: 'inherit' },
    );
    let outcomes: TestOutcome[] = [];
    try {
      outcomes = readFileSync(outcomesFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as TestOutcome);
    } catch {
      // the runner died before writing anything: its status says so below
    }
    const lines = summarize(outcomes, buildRoot);
    console.log(lines.join('\n'));
    const anyFailed = outcomes.some((o) => o.outcome === 'fail' || o.outcome === 'cancelled');
    return result.status !== 0 || anyFailed ? (result.status || 1) : 0;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

process.exitCode = main();
