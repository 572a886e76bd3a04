import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HeapTrim, type HeapLook } from './heap-trim.js';

const MiB = 1024 * 1024;

/** A heap that reports what the test says, and a collector that shrinks it to `after`. */
function scripted(looks: HeapLook[], after = 20 * MiB): { trim: HeapTrim; collected: () => number } {
  let collections = 0;
  let shrunk: number | undefined;
  const trim = new HeapTrim(
    () => {
      if (shrunk !== undefined) {
        const look = { totalBytes: shrunk, busy: 0 };
        shrunk = undefined;
        return look;
      }
      return looks.shift() ?? { totalBytes: after, busy: 0 };
    },
    () => {
      collections += 1;
      shrunk = after;
    },
  );
  return { trim, collected: () => collections };
}

test('a heap grown by a storm is collected once the loop has been quiet at two looks', () => {
  const { trim, collected } = scripted([
    { totalBytes: 85 * MiB, busy: 0.9 }, // a storm in the first seconds: busy, nothing done
    { totalBytes: 88 * MiB, busy: 0.05 }, // quiet once
    { totalBytes: 88 * MiB, busy: 0.05 }, // quiet twice: collect
  ]);
  assert.deepEqual([trim.check(), trim.check(), trim.check()], [false, false, true]);
  assert.equal(collected(), 1);
  assert.equal(trim.trims, 1);
  // Back at its size after the collection: nothing more to give back.
  assert.equal(trim.check(), false);
  assert.equal(trim.check(), false);
  assert.equal(collected(), 1);
});

test('a heap that grew only a little, or a loop that stays busy, is left alone', () => {
  // After a collection (to 20 MiB), growing by 10 MiB is not worth another.
  const small = scripted([
    { totalBytes: 40 * MiB, busy: 0 },
    { totalBytes: 40 * MiB, busy: 0 },
    { totalBytes: 30 * MiB, busy: 0 },
    { totalBytes: 30 * MiB, busy: 0 },
    { totalBytes: 30 * MiB, busy: 0 },
  ]);
  assert.deepEqual([small.trim.check(), small.trim.check()], [false, true]);
  for (let i = 0; i < 4; i += 1) assert.equal(small.trim.check(), false);
  assert.equal(small.collected(), 1);
  const busy = scripted([
    { totalBytes: 90 * MiB, busy: 0.8 },
    { totalBytes: 90 * MiB, busy: 0.1 },
    { totalBytes: 90 * MiB, busy: 0.8 },
    { totalBytes: 90 * MiB, busy: 0.1 },
  ]);
  for (let i = 0; i < 4; i += 1) assert.equal(busy.trim.check(), false, `look ${i}`);
  assert.equal(busy.collected(), 0);
});

test("node's own collector loads (V8's gc, without --expose-gc on the command line) and runs", () => {
  const looks: HeapLook[] = [
    { totalBytes: 90 * MiB, busy: 0 },
    { totalBytes: 90 * MiB, busy: 0 },
  ];
  const trim = new HeapTrim(() => looks.shift() ?? { totalBytes: 20 * MiB, busy: 0 });
  assert.deepEqual([trim.check(), trim.check()], [false, true]);
  assert.equal(trim.trims, 1);
});
