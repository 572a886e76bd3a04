import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../test/support/generators.js';
import { KeyedFifo } from './keyed-fifo.js';

test('oldest first; an existing key keeps its place when set again', () => {
  const fifo = new KeyedFifo<number>();
  fifo.set('a', 1);
  fifo.set('b', 2);
  fifo.set('a', 3);
  assert.equal(fifo.oldestKey(), 'a');
  assert.equal(fifo.get(fifo.oldestKey() as string), 3);
  fifo.deleteOldest();
  assert.equal(fifo.oldestKey(), 'b');
  fifo.delete('b');
  assert.equal(fifo.oldestKey(), undefined);
  assert.equal(fifo.size, 0);
});

test('a key deleted and added again counts from its new place', () => {
  const fifo = new KeyedFifo<string>();
  fifo.set('a', 'first');
  fifo.set('b', 'b');
  fifo.delete('a');
  fifo.set('a', 'again');
  assert.equal(fifo.oldestKey(), 'b');
  fifo.deleteOldest();
  assert.equal(fifo.oldestKey(), 'a');
  assert.equal(fifo.get('a'), 'again');
});

test('agrees with a plain Map used as a FIFO over random operations, and its order array stays bounded', () => {
  const random = seededRandom(11);
  const fifo = new KeyedFifo<number>();
  const model = new Map<string, number>();
  for (let i = 0; i < 200_000; i++) {
    const key = `k${Math.floor(random() * 300)}`;
    const r = random();
    if (r < 0.45) {
      fifo.set(key, i);
      model.set(key, i);
    } else if (r < 0.7) {
      fifo.delete(key);
      model.delete(key);
    } else if (r < 0.95) {
      fifo.deleteOldest();
      const oldest = model.keys().next();
      if (!oldest.done) model.delete(oldest.value);
    } else {
      // Delete then set: the key moves to the back (how an LRU uses it).
      fifo.delete(key);
      fifo.set(key, i);
      model.delete(key);
      model.set(key, i);
    }
    assert.equal(fifo.size, model.size);
    const oldest = model.entries().next();
    assert.equal(fifo.oldestKey(), oldest.done ? undefined : oldest.value[0]);
    const oldestKey = fifo.oldestKey();
    assert.equal(oldestKey === undefined ? undefined : fifo.get(oldestKey), oldest.done ? undefined : oldest.value[1]);
  }
  const order = (fifo as unknown as { order: string[] }).order;
  assert.ok(order.length <= 2 * 300 + 64 + 2048, `order array holds ${order.length} slots`);
});
