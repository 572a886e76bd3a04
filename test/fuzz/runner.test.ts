// The fuzzer finds what it is for: a crash that random inputs would not reach, a hang, an
// allocation without bound — each reported with the input, and written to a file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fuzzTarget } from './runner.js';

async function selfcheck(mode: string, options: { heapMb?: number; timeoutMs?: number; maxRuns?: number } = {}) {
  process.env.TAKD_FUZZ_SELFCHECK = mode; // the worker inherits the environment
  const dir = mkdtempSync(join(tmpdir(), 'takd-fuzz-selfcheck-'));
  try {
    const result = await fuzzTarget('selfcheck', { seconds: 120, maxRuns: options.maxRuns ?? 200_000, seed: 1, seedFiles: [], findingsDir: dir, ...options });
    const f = result.finding;
    assert.ok(f?.file, `no finding in mode ${mode}`);
    assert.deepEqual(readFileSync(f.file), f.input, 'the input is written to the findings file');
    return { ...result, finding: f };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('coverage feedback reaches a crash behind four nested byte comparisons', async () => {
  const { finding } = await selfcheck('magic');
  assert.equal(finding.kind, 'crash');
  assert.match(finding.message, /magic reached/);
  assert.equal(finding.input.subarray(0, 4).toString('latin1'), 'FUZ!');
});

test('an input that runs past the time limit is a finding (the worker is stopped)', async () => {
  const { finding } = await selfcheck('hang', { timeoutMs: 300 });
  assert.equal(finding.kind, 'timeout');
  assert.ok(finding.input.length > 3);
});

test('an input that takes the heap past its limit is a finding', async () => {
  const { finding } = await selfcheck('oom', { heapMb: 48, timeoutMs: 60_000 }); // near its limit, GC can take seconds
  assert.equal(finding.kind, 'oom');
  assert.ok(finding.input.length > 3);
});
