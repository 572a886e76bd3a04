import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { detachedString } from './detached-string.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap held by 200 short keys cut from 200 distinct 256 KiB texts, after the texts are dropped. */
function heldBytes(keep: (key: string) => string): number {
  gc();
  const before = process.memoryUsage().heapUsed;
  const keys: string[] = [];
  for (let i = 0; i < 200; i++) {
    const text = `<event uid="ANDROID-${i.toString(16).padStart(16, '0')}"/>`.padEnd(256 * 1024, 'x');
    keys.push(keep(text.slice(12, 36)));
  }
  gc();
  const held = process.memoryUsage().heapUsed - before;
  assert.equal(keys[7], 'ANDROID-0000000000000007');
  return held;
}

test('a detached key does not keep the text it was cut from alive', () => {
  const asSliced = heldBytes((key) => key);
  const detached = heldBytes(detachedString);
  assert.ok(asSliced > 20 * 1024 * 1024, `slices hold their texts (${asSliced} bytes)`);
  assert.ok(detached < 2 * 1024 * 1024, `detached keys hold ${detached} bytes`);
});
