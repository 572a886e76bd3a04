import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RingFifo } from './ring-fifo.js';

function drain<T>(fifo: RingFifo<T>): T[] {
  const out: T[] = [];
  for (let item = fifo.shift(); item !== undefined; item = fifo.shift()) out.push(item);
  return out;
}

test('first in, first out, across wrap-around and growth', () => {
  const fifo = new RingFifo<number>();
  for (let i = 0; i < 10; i++) fifo.pushOrRefuse(i);
  assert.deepEqual([fifo.shift(), fifo.shift(), fifo.shift()], [0, 1, 2]);
  for (let i = 10; i < 100; i++) fifo.pushOrRefuse(i); // grows past 16 while wrapped
  assert.equal(fifo.length, 97);
  assert.equal(fifo.peek(), 3);
  assert.deepEqual(drain(fifo), Array.from({ length: 97 }, (_, i) => i + 3));
  assert.equal(fifo.shift(), undefined);
  assert.equal(fifo.peek(), undefined);
});

test('full: pushOrRefuse keeps what is queued; pushDroppingOldest makes room', () => {
  const refusing = new RingFifo<string>(2);
  assert.equal(refusing.pushOrRefuse('a'), true);
  assert.equal(refusing.pushOrRefuse('b'), true);
  assert.equal(refusing.isFull, true);
  assert.equal(refusing.pushOrRefuse('c'), false);
  assert.deepEqual(drain(refusing), ['a', 'b']);

  const dropping = new RingFifo<string>(2);
  assert.equal(dropping.pushDroppingOldest('a'), false);
  assert.equal(dropping.pushDroppingOldest('b'), false);
  assert.equal(dropping.pushDroppingOldest('c'), true);
  assert.deepEqual(drain(dropping), ['b', 'c']);
});

test('a bounded FIFO never holds more than its limit, whatever the limit', () => {
  for (const limit of [1, 3, 16, 17, 100]) {
    const fifo = new RingFifo<number>(limit);
    for (let i = 0; i < 3 * limit + 5; i++) fifo.pushDroppingOldest(i);
    assert.equal(fifo.length, limit);
    const expected = Array.from({ length: limit }, (_, i) => 3 * limit + 5 - limit + i);
    assert.deepEqual(drain(fifo), expected);
  }
});

test('clear empties it; a limit below one is refused', () => {
  const fifo = new RingFifo<number>(4);
  fifo.pushOrRefuse(1);
  fifo.clear();
  assert.equal(fifo.length, 0);
  fifo.pushOrRefuse(2);
  assert.deepEqual(drain(fifo), [2]);
  assert.throws(() => new RingFifo(0), RangeError);
});

test('unshiftAll puts items back in front, first of them first out, across wrap-around and past the limit', () => {
  const fifo = new RingFifo<number>(4);
  for (const n of [1, 2, 3, 4]) fifo.pushOrRefuse(n);
  fifo.shift();
  fifo.shift();
  fifo.pushOrRefuse(5); // wrapped: 3 4 5
  fifo.unshiftAll([10, 11]);
  fifo.unshiftAll([]);
  const out: number[] = [];
  for (let n = fifo.shift(); n !== undefined; n = fifo.shift()) out.push(n);
  assert.deepEqual(out, [10, 11, 3, 4, 5]);
});
