import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../test/support/generators.js';
import { FingerprintIndex } from './fingerprint-index.js';

test('agrees with a Map over random sets and deletes, with keys crowded into few places', () => {
  const random = seededRandom(21);
  for (const capacity of [1, 7, 100, 5_000]) {
    const index = new FingerprintIndex(capacity);
    const model = new Map<number, number>();
    // Few distinct low bits and a bounded key set: long probe runs that wrap around the table.
    const keyCount = Math.max(2, capacity);
    const key = () => (Math.floor(random() * keyCount) * 64) & 0x3fffffff;
    for (let i = 0; i < 100_000; i++) {
      const hash = key();
      const r = random();
      if (r < 0.5 && (model.size < capacity || model.has(hash))) {
        index.set(hash, i);
        model.set(hash, i);
      } else if (r < 0.8) {
        const slot = model.get(hash) ?? i;
        index.deleteIfSlot(hash, slot);
        model.delete(hash);
      } else {
        index.deleteIfSlot(hash, -5); // another slot: must not delete
      }
      assert.equal(index.get(hash), model.get(hash) ?? -1, `capacity ${capacity}, step ${i}`);
    }
    for (const [hash, slot] of model) assert.equal(index.get(hash), slot);
  }
});
