import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HeapTrim, type HeapLook } from './heap-trim.js';

const MiB = 1024 * 1024;

interface Step {
  total: number;
  busy?: number;
  /** Heap in use, MiB; default half the total. */
  used?: number;
}

/**
 * A heap that reports what the test says, a look every 2 s, and a collector that shrinks
 * it to `after` MiB (the next look sees that).
 */
function scripted(steps: Step[], after = 20): { trim: HeapTrim; collected: () => number; mallocTrims: () => number; run: (n: number) => boolean[] } {
  let collections = 0;
  let mallocTrims = 0;
  let shrunk: number | undefined;
  let at = 0;
  const trim = new HeapTrim(
    (): HeapLook => {
      at += 2_000;
      const step = shrunk !== undefined ? { total: shrunk } : (steps.shift() ?? { total: after });
      shrunk = undefined;
      return { totalBytes: step.total * MiB, usedBytes: (step.used ?? step.total / 2) * MiB, busy: step.busy ?? 0, at };
    },
    () => {
      collections += 1;
      shrunk = after;
    },
    () => (mallocTrims += 1),
  );
  return { trim, collected: () => collections, mallocTrims: () => mallocTrims, run: (n) => Array.from({ length: n }, () => trim.check()) };
}

/** `n` looks at the same heap. */
const repeat = (n: number, step: Step): Step[] => Array.from({ length: n }, () => ({ ...step }));

test('a heap grown by a storm is collected once the loop has been quiet at two looks', () => {
  const { trim, collected, mallocTrims, run } = scripted([
    { total: 85, busy: 0.9 }, // a storm in the first seconds: busy, nothing done
    { total: 88, busy: 0.05 }, // quiet once
    { total: 88, busy: 0.05 }, // quiet twice: collect
  ]);
  assert.deepEqual(run(3), [false, false, true]);
  assert.equal(collected(), 1);
  assert.equal(mallocTrims(), 1, "malloc's free pages go back with the heap's");
  run(8); // quiet: malloc's pages also go back every 5 quiet looks
  assert.equal(mallocTrims(), 2);
  assert.equal(trim.trims, 1);
  // Back at its size after the collection: nothing more to give back.
  assert.deepEqual(run(2), [false, false]);
  assert.equal(collected(), 1);
});

test('a heap that grew only a little, or a loop that stays busy, is left alone', () => {
  // After a collection (to 20 MiB), growing by 10 MiB is not worth another.
  const small = scripted([{ total: 40 }, { total: 40 }, { total: 30 }, { total: 30 }, { total: 30 }]);
  assert.deepEqual(small.run(2), [false, true]);
  assert.deepEqual(small.run(4), [false, false, false, false]);
  assert.equal(small.collected(), 1);
  const busy = scripted([
    { total: 90, busy: 0.8 },
    { total: 90, busy: 0.1 },
    { total: 90, busy: 0.8 },
    { total: 90, busy: 0.1 },
  ]);
  assert.deepEqual(busy.run(4), [false, false, false, false]);
  assert.equal(busy.collected(), 0);
  assert.equal(busy.mallocTrims(), 0);
});

// The soak's flapping output replays its durable queue every 2 minutes: collecting after
// each replay made RSS a saw (RSS slope 11.3 MiB/10 min over 20 minutes).
test('a heap that grows back within 10 minutes of a trim keeps that size; unused for 10 minutes, it is given back', () => {
  const { trim, collected, run } = scripted([
    ...repeat(2, { total: 44 }), // a replay grew the heap: collected (to 20)
    ...repeat(30, { total: 20 }), // a minute later…
    ...repeat(3, { total: 42, used: 30 }), // …the next replay grows it back: kept, not collected
    ...repeat(290, { total: 42, used: 30 }), // the working set, used at every replay
    ...repeat(300, { total: 42, used: 12 }), // replays stop: 10 minutes unused…
  ]);
  assert.deepEqual(run(2), [false, true]);
  assert.deepEqual(run(31).filter(Boolean), []);
  assert.equal(trim.kept, 0);
  run(3);
  assert.equal(trim.kept, 1);
  assert.equal(collected(), 1);
  assert.deepEqual(run(290).filter(Boolean), [], 'the working set in use is kept');
  assert.equal(collected(), 1);
  const released = run(300).indexOf(true);
  assert.ok(released > 250, `given back once unused for 10 minutes (look ${released})`);
  assert.equal(collected(), 2);
});

test('a heap that grows back only after 10 minutes is collected again', () => {
  const { trim, collected, run } = scripted([...repeat(2, { total: 44 }), ...repeat(310, { total: 20 }), ...repeat(2, { total: 44 })]);
  run(2 + 310 + 2 + 1); // + the look after the first trim, at the collected heap
  assert.equal(collected(), 2);
  assert.equal(trim.kept, 0);
});

test('a storm on top of a kept working set is still collected', () => {
  const { collected, run } = scripted([...repeat(2, { total: 44 }), ...repeat(3, { total: 20 }), ...repeat(3, { total: 42, used: 30 }), ...repeat(2, { total: 90, used: 40 })]);
  assert.equal(run(2 + 1 + 3 + 3 + 2).filter(Boolean).length, 2); // + the look after the first trim
  assert.equal(collected(), 2);
});

test("node's own collector loads (V8's gc, without --expose-gc on the command line) and runs", () => {
  const looks: HeapLook[] = [
    { totalBytes: 90 * MiB, usedBytes: 30 * MiB, busy: 0, at: 2_000 },
    { totalBytes: 90 * MiB, usedBytes: 30 * MiB, busy: 0, at: 4_000 },
  ];
  const trim = new HeapTrim(() => looks.shift() ?? { totalBytes: 20 * MiB, usedBytes: 10 * MiB, busy: 0, at: 6_000 });
  assert.deepEqual([trim.check(), trim.check()], [false, true]);
  assert.equal(trim.trims, 1);
});
