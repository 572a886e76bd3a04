import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CotEvent } from '../codec/event.js';
import { ManualClock } from './clock.js';
import { Dedupe } from './dedupe.js';

function event(uid: string, time: number, type = 'a-f-G-U-C'): CotEvent {
  return { uid, type, how: 'm-g', time, start: time, stale: time + 60_000, point: { lat: 0, lon: 0, hae: 0, ce: 0, le: 0 } };
}

test('the same uid, type and time is forwarded once within the window', () => {
  const clock = new ManualClock();
  const dedupe = new Dedupe(clock, { windowMs: 10_000 });
  assert.equal(dedupe.firstSighting(event('A', 1)), true);
  assert.equal(dedupe.firstSighting(event('A', 1)), false);
  assert.equal(dedupe.firstSighting(event('A', 2)), true, 'a newer report of the same uid is new');
  assert.equal(dedupe.firstSighting(event('A', 1, 'b-t-f')), true, 'another type is another event');
  clock.advance(10_001);
  assert.equal(dedupe.firstSighting(event('A', 1)), true, 'forgotten after the window');
});

test('memory is bounded by count, oldest forgotten first', () => {
  const clock = new ManualClock();
  const dedupe = new Dedupe(clock, { windowMs: 1e9, maxEntries: 100 });
  for (let i = 0; i < 1_000; i++) dedupe.firstSighting(event(`U${i}`, i));
  assert.equal(dedupe.size, 100);
  assert.equal(dedupe.firstSighting(event('U999', 999)), false);
  assert.equal(dedupe.firstSighting(event('U0', 0)), true);
});

test('remembered by fingerprint: 300,000 distinct events are all new, and every repeat within the bound is caught', () => {
  const clock = new ManualClock();
  const dedupe = new Dedupe(clock, { windowMs: 1e12, maxEntries: 20_000 });
  const base = Date.UTC(2026, 0, 1);
  for (let i = 0; i < 300_000; i++) {
    // Neighbours differ in one character of the uid or one millisecond: the hard cases for a hash.
    assert.equal(dedupe.firstSighting(event(`ANDROID-${(i >> 1).toString(16).padStart(16, '0')}`, base + (i & 1))), true, `event ${i} is new`);
  }
  assert.equal(dedupe.size, 20_000);
  for (let i = 300_000 - 20_000; i < 300_000; i++) {
    assert.equal(dedupe.firstSighting(event(`ANDROID-${(i >> 1).toString(16).padStart(16, '0')}`, base + (i & 1))), false, `event ${i} is a repeat`);
  }
});

test('uid, type and time each count: a change in any one is another event', () => {
  const dedupe = new Dedupe(new ManualClock());
  assert.equal(dedupe.firstSighting(event('ab', 5, 'c')), true);
  assert.equal(dedupe.firstSighting(event('a', 5, 'bc')), true, 'the uid/type boundary matters');
  assert.equal(dedupe.firstSighting(event('ab', 5 + 2 ** 32, 'c')), true, 'the high half of the time matters');
  assert.equal(dedupe.firstSighting(event('ab', 5, 'c')), false);
});
