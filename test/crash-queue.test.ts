// kill -9 at random moments while the durable queue appends, delivers and rolls segments
// (the design and the checks: test/support/crash-queue.ts). `npm test` runs a bounded share:
// TAKD_CRASH_ITERATIONS (default 200) or TAKD_CRASH_BUDGET_MS (default 60 s), whichever
// comes first; `npm run crash-test` runs the 1,000 of issue 16.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCrashTest } from './support/crash-queue.js';

test('the durable queue survives SIGKILL at random moments: nothing acknowledged is lost, redelivery stays in the window', async () => {
  const iterations = Number(process.env.TAKD_CRASH_ITERATIONS ?? 200);
  const budgetMs = Number(process.env.TAKD_CRASH_BUDGET_MS ?? 60_000);
  const summary = await runCrashTest({ iterations, budgetMs, seed: 16 });
  const { violations, ...numbers } = summary;
  console.log(`crash test: ${JSON.stringify(numbers)}`);
  assert.deepEqual(violations, []);
  assert.ok(summary.iterations >= Math.min(iterations, 20), `only ${summary.iterations} iterations ran`);
  assert.equal(summary.lost, 0);
  assert.equal(summary.duplicatesBeyondWindow, 0);
  assert.equal(summary.badBodies, 0);
  assert.equal(summary.openMismatches, 0);
  assert.equal(summary.unexpectedExits, 0);
  assert.ok(summary.maxWindow <= 8, 'at most 8 records taken and not yet marked delivered at a kill');
  assert.ok(summary.duplicatesInWindow <= 8 * summary.iterations, 'at most 8 redeliveries per kill');
  assert.ok(summary.acknowledgedWritten > 0 && summary.acknowledgedDelivered > 0, 'the children did work');
});
