import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HeapTrim, type HeapLook } from './heap-trim.js';

const MiB = 1024 * 1024;

interface Step {
  total: number;
  busy?: number;
  /** Heap in use, MiB; default half the total. */
  used?: number;
  /** Anonymous resident memory, MiB; default: not known. */
  resident?: number;
}

/**
 * A heap that reports what the test says, a look every 2 s, and a collector that shrinks
 * it to `after` MiB and resident memory to `residentAfter` (the next look sees that).
 */
function scripted(steps: Step[], after = 20, residentAfter?: number): { trim: HeapTrim; collected: () => number; mallocTrims: () => number; run: (n: number) => boolean[] } {
  let collections = 0;
  let mallocTrims = 0;
  let shrunk: number | undefined;
  let at = 0;
  const trim = new HeapTrim(
    (): HeapLook => {
      at += 2_000;
      const step: Step = shrunk !== undefined ? { total: shrunk, ...(residentAfter !== undefined && { resident: residentAfter }) } : (steps.shift() ?? { total: after });
      shrunk = undefined;
      const look: HeapLook = { totalBytes: step.total * MiB, usedBytes: (step.used ?? step.total / 2) * MiB, busy: step.busy ?? 0, at };
      if (step.resident !== undefined) look.residentBytes = step.resident * MiB;
      return look;
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

// V8 keeps the pages a collection frees in a pool, resident: every burst that reached a new
// peak raised a kept working set's RSS a little more (the soak: +5 MiB at one replay, kept
// to the end).
test('pages a burst left resident are given back: resident memory 4 MiB above its recent lowest at two quiet looks', () => {
  const steady = { total: 16, resident: 60 };
  const { trim, collected, run } = scripted(
    [
      ...repeat(10, steady),
      { total: 22, resident: 75, busy: 0.6 }, // a burst: busy, not looked at
      { total: 17, resident: 66 }, // over: the heap is back, its pages are not
      { total: 17, resident: 66 }, // twice: given back
      ...repeat(10, steady), // back at the working set
      ...repeat(5, { total: 17, resident: 63 }), // 3 MiB above: not worth a collection
    ],
    16,
    59,
  );
  assert.deepEqual(run(10).filter(Boolean), []);
  assert.deepEqual(run(3), [false, false, true]);
  assert.equal(trim.residentTrims, 1);
  assert.equal(trim.trims, 1);
  assert.deepEqual(run(1 + 10 + 5).filter(Boolean), [], 'the look after the trim, and what stays within 4 MiB');
  assert.equal(collected(), 1);
});

test('pages left resident are given back at most once a minute, and a trim that gave back too little rests the rule for 5 minutes', () => {
  const steady = { total: 16, resident: 60 };
  const left = { total: 17, resident: 66 };
  const often = scripted([...repeat(5, steady), ...repeat(2, left), ...repeat(40, left)], 16, 60);
  assert.deepEqual(often.run(7).filter(Boolean).length, 1);
  // The look after the trim finds 60 MiB; then 66 again: left alone until a minute has passed.
  assert.equal(often.run(1 + 40).indexOf(true), 29);
  assert.equal(often.trim.residentTrims, 2);
  const vain = scripted([...repeat(5, steady), ...repeat(2, { total: 17, resident: 70 }), ...repeat(160, { total: 17, resident: 70 })], 16, 69);
  assert.equal(vain.run(7).filter(Boolean).length, 1);
  assert.equal(vain.run(1 + 160).filter(Boolean).length, 0, 'gave back 1 MiB of 10: a working set; the lowest catches up before the rule wakes');
  assert.equal(vain.collected(), 1);
});

test('a busy loop is never collected for pages left, however high resident memory is', () => {
  const { collected, run } = scripted([...repeat(5, { total: 16, resident: 60 }), ...repeat(20, { total: 22, resident: 120, busy: 0.9 })]);
  assert.deepEqual(run(25).filter(Boolean), []);
  assert.equal(collected(), 0);
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
