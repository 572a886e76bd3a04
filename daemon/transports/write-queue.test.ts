import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CotEvent } from '../codec/event.js';
import { Writable } from 'node:stream';
import { slowSink as makeSlowSink } from '../../test/support/slow-sink.js';
import { WriteQueue } from './write-queue.js';
import { silentLogger, type Logger } from '../../util/logger.js';

function event(n: number): CotEvent {
  return { uid: `u${n}`, type: 'a-f-G', how: 'm-g', time: 0, start: 0, stale: 1, point: { lat: 0, lon: 0, hae: 0, ce: 0, le: 0 } };
}

/** Writes complete on release(); a small buffer, so back-pressure starts early. */
const slowSink = () => makeSlowSink(4);

const encode = (e: CotEvent): Buffer => Buffer.from(`${e.uid}\n`);

function countingLogger(): Logger & { warnings: number } {
  const logger = { ...silentLogger, warnings: 0, warn: () => { logger.warnings += 1; } };
  return logger;
}

test('without a connection, the oldest events are dropped and counted, logged once per interval', () => {
  const logger = countingLogger();
  const queue = new WriteQueue(encode, { capacity: 3, logger });
  for (let i = 0; i < 1000; i += 1) queue.push(event(i));
  assert.equal(queue.length, 3);
  assert.equal(queue.counters.dropped, 997);
  assert.equal(logger.warnings, 1);
  queue.clear();
});

test('attach writes the newest events in order and whenIdle resolves after the writes complete', async () => {
  const queue = new WriteQueue(encode, { capacity: 3, logger: countingLogger() });
  for (let i = 0; i < 5; i += 1) queue.push(event(i));
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  queue.attach(sink);
  await queue.whenIdle();
  assert.equal(chunks.join(''), 'u2\nu3\nu4\n');
  assert.equal(queue.counters.written, 3);
});

test('back-pressure: above the buffer bound the queue waits for drain, then drops oldest when full', async () => {
  const { sink, written, release } = slowSink();
  const queue = new WriteQueue(encode, { capacity: 2, logger: countingLogger(), maxBufferedBytes: 6 });
  queue.attach(sink);
  queue.push(event(1)); // buffered in the stream
  queue.push(event(2)); // reaches the bound: the queue now waits for drain
  queue.push(event(3));
  queue.push(event(4));
  queue.push(event(5)); // queue of 2 full: u3 dropped
  assert.equal(queue.length, 2);
  assert.equal(queue.counters.dropped, 1);
  const idle = queue.whenIdle();
  // Complete writes until everything has gone through.
  for (let round = 0; round < 100 && written.length < 4; round += 1) {
    release();
    await new Promise((resolve) => setImmediate(resolve));
  }
  release();
  await idle;
  assert.deepEqual(written, ['u1', 'u2', 'u4', 'u5']);
});

test('pause holds events back; writeNow goes ahead of them', async () => {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(...chunk.toString().trim().split('\n'));
      callback();
    },
  });
  const queue = new WriteQueue(encode, { logger: countingLogger() });
  queue.attach(sink);
  queue.pause();
  queue.push(event(1));
  queue.writeNow(Buffer.from('control\n'));
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(chunks, ['control']);
  queue.resume();
  await queue.whenIdle();
  assert.deepEqual(chunks, ['control', 'u1']);
});

test('an event that cannot be encoded is dropped and counted, the rest go on', async () => {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(...chunk.toString().trim().split('\n'));
      callback();
    },
  });
  const queue = new WriteQueue((e) => {
    if (e.uid === 'u2') throw new Error('unencodable');
    return encode(e);
  }, { logger: countingLogger() });
  queue.attach(sink);
  for (let i = 1; i <= 3; i += 1) queue.push(event(i));
  await queue.whenIdle();
  assert.deepEqual(chunks, ['u1', 'u3']);
  assert.equal(queue.counters.dropped, 1);
});

test('fail rejects waiters', async () => {
  const queue = new WriteQueue(encode, { logger: countingLogger() });
  queue.push(event(1));
  const idle = queue.whenIdle();
  queue.fail(new Error('gave up'));
  await assert.rejects(idle, /gave up/);
});

test('a pause between writes (PYTAK_SLEEP, FTS_COMPAT) sends one event per pause', async () => {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(...chunk.toString().trim().split('\n'));
      callback();
    },
  });
  let pauses = 0;
  const queue = new WriteQueue(encode, { logger: countingLogger(), pauseBetweenWritesMs: () => (pauses += 1, 500) });
  queue.attach(sink);
  for (let i = 1; i <= 3; i += 1) queue.push(event(i));
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(chunks, ['u1'], 'the rest wait for their pause');
  await queue.whenIdle();
  assert.deepEqual(chunks, ['u1', 'u2', 'u3']);
  assert.equal(pauses, 3);
});

test("at its buffer bound the queue waits for 'drain' only when write() asked it to (a stream that took everything never emits one)", async () => {
  const queue = new WriteQueue(encode, { capacity: 100, maxBufferedBytes: 16, logger: countingLogger() });
  const chunks: string[] = [];
  // A stream with room to spare: every write() returns true and no 'drain' ever comes.
  const sink = new Writable({
    highWaterMark: 1024 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  queue.attach(sink);
  for (let i = 0; i < 50; i += 1) queue.push(event(i));
  const outcome = await Promise.race([queue.whenIdle().then(() => 'idle'), new Promise((resolve) => setTimeout(() => resolve('stuck'), 2_000))]);
  assert.equal(outcome, 'idle');
  assert.equal(queue.counters.written, 50);
  assert.equal(chunks.join('').split('\n').length - 1, 50);
});
