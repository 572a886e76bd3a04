import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from './clock.js';
import { TokenBucket } from './token-bucket.js';

test('bytes per second: a burst, then the sustained rate', () => {
  const clock = new ManualClock();
  const bucket = new TokenBucket({ bytesPerSecond: 1_200 }, clock);
  assert.equal(bucket.tryTake(700), true);
  assert.equal(bucket.tryTake(700), false, 'only 500 bytes left');
  assert.equal(bucket.waitMs(700), 167);
  clock.advance(167);
  assert.equal(bucket.tryTake(700), true);
  let sent = 0;
  for (let ms = 0; ms < 10_000; ms += 10) {
    clock.advance(10);
    while (bucket.tryTake(300)) sent += 300;
  }
  assert.ok(sent >= 11_700 && sent <= 12_300, `sent ${sent} bytes in 10 s`);
});

test('events per minute, with a burst of five seconds by default', () => {
  const clock = new ManualClock();
  const bucket = new TokenBucket({ eventsPerMinute: 60 }, clock);
  let passed = 0;
  while (bucket.tryTake(1)) passed += 1;
  assert.equal(passed, 5);
  clock.advance(1_000);
  assert.equal(bucket.tryTake(1), true);
  assert.equal(bucket.tryTake(1), false);
});

test('no limit set: everything passes and nothing is too big', () => {
  const bucket = new TokenBucket({}, new ManualClock());
  for (let i = 0; i < 1_000; i++) assert.equal(bucket.tryTake(1e6), true);
  assert.equal(bucket.maxBytes, Infinity);
  assert.equal(bucket.waitMs(1e9), 0);
});
