// The short coverage-guided run of every fuzz target (test/fuzz/targets/): a few seconds
// each, seeded from the committed corpus and the saved regressions (each replayed first),
// with a fixed random seed and an execution cap, so that a failure reproduces. A crash, a
// hang (an input over 10 s: CI machines are shared) or a heap over 192 MiB fails the test. The long run is
// `npm run fuzz` (scripts/fuzz.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TARGETS, describeStats, fuzzTarget } from './runner.js';

const SECONDS = Number(process.env.TAKD_FUZZ_SECONDS ?? 3);
const MAX_RUNS = Number(process.env.TAKD_FUZZ_RUNS ?? 4000);

for (const target of TARGETS) {
  test(`fuzz (coverage-guided, short): ${target}`, async () => {
    const result = await fuzzTarget(target, { seconds: SECONDS, maxRuns: MAX_RUNS, seed: 20261206, heapMb: 192, timeoutMs: 10_000 });
    console.log(`fuzz ${target}: ${describeStats(result.stats)}`);
    const f = result.finding;
    assert.equal(f, undefined, f && `${f.kind}: ${f.message}\ninput: ${JSON.stringify(f.input.toString('latin1'))}\nreproduce: save the input to a file, then npm run fuzz -- --target ${target} --reproduce FILE`);
    assert.ok(result.stats && result.stats.executions > 0, 'the target ran');
    assert.ok(result.stats.blocks > 0, 'coverage was measured');
  });
}
