import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AsyncQueue } from './async-queue.js';

async function collect<T>(queue: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of queue) out.push(item);
  return out;
}

test('delivers in order, waits for items, ends after the queued ones', async () => {
  const queue = new AsyncQueue<number>();
  const received = collect(queue);
  queue.push(1);
  await new Promise((resolve) => setImmediate(resolve));
  queue.push(2);
  queue.end();
  queue.push(3); // after end: ignored
  assert.deepEqual(await received, [1, 2]);
});

test('full: drops the oldest and counts it', async () => {
  const queue = new AsyncQueue<number>(2);
  for (const n of [1, 2, 3, 4]) queue.push(n);
  queue.end();
  assert.equal(queue.dropped, 2);
  assert.deepEqual(await collect(queue), [3, 4]);
});

test('end(error) throws after the queued items; the first end wins; onTake sees each item', async () => {
  const taken: string[] = [];
  const queue = new AsyncQueue<string>({ capacity: Infinity, onTake: (item) => taken.push(item) });
  queue.push('a');
  queue.end(new Error('gone'));
  queue.end();
  const received: string[] = [];
  await assert.rejects(async () => {
    for await (const item of queue) received.push(item);
  }, /gone/);
  assert.deepEqual(received, ['a']);
  assert.deepEqual(taken, ['a']);
});

test('may be iterated once', async () => {
  const queue = new AsyncQueue<number>({ iteratedTwice: () => new TypeError('once') });
  queue.end();
  await collect(queue);
  await assert.rejects(collect(queue), TypeError);
});
