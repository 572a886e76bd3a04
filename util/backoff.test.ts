import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff } from './backoff.js';

test('without jitter: 5 s doubling to a 120 s cap (PyTAK defaults)', () => {
  const backoff = new Backoff({ random: () => 0.5 });
  const delays = Array.from({ length: 8 }, () => backoff.next());
  assert.deepEqual(delays, [5_000, 10_000, 20_000, 40_000, 80_000, 120_000, 120_000, 120_000]);
});

test('jitter stays within ±20 %', () => {
  const low = new Backoff({ random: () => 0 });
  const high = new Backoff({ random: () => 0.999999 });
  assert.equal(low.next(), 4_000);
  assert.equal(Math.round(high.next() / 10) * 10, 6_000);
  const random = new Backoff();
  for (let i = 0; i < 1000; i += 1) {
    const delay = random.next();
    const base = Math.min(120_000, 5_000 * 2 ** i);
    assert.ok(delay >= base * 0.8 - 1 && delay <= base * 1.2 + 1, `${delay} vs ${base}`);
  }
});

test('a connection up for 300 s resets the delay; a short one does not', () => {
  let now = 0;
  const backoff = new Backoff({ random: () => 0.5, now: () => now });
  backoff.next();
  backoff.next();
  backoff.connected();
  now += 10_000;
  backoff.disconnected();
  assert.equal(backoff.next(), 20_000);
  backoff.connected();
  now += 300_000;
  backoff.disconnected();
  assert.equal(backoff.next(), 5_000);
});

test('slowest() is the cap, for failures a quick retry cannot fix', () => {
  const backoff = new Backoff({ random: () => 0.5, maxMs: 60_000 });
  assert.equal(backoff.slowest(), 60_000);
  assert.equal(backoff.attempts, 1);
});
