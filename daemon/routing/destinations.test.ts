import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CotEvent } from '../codec/event.js';
import { ManualClock } from './clock.js';
import { DestinationBook } from './destinations.js';

function pli(uid: string, callsign: string): CotEvent {
  return { uid, type: 'a-f-G-U-C', how: 'm-g', time: 0, start: 0, stale: 1, point: { lat: 1, lon: 1, hae: 0, ce: 0, le: 0 }, contact: { callsign } };
}

test('recipients are found on the link they last reported from', () => {
  const clock = new ManualClock();
  const book = new DestinationBook(clock);
  book.learn(pli('ANDROID-1', 'JULIET-1'), 'mesh');
  book.learn(pli('ANDROID-2', 'KILO-2'), 'server');
  assert.deepEqual(book.linksFor({ callsigns: ['JULIET-1'], uids: [] }), new Set(['mesh']));
  assert.deepEqual(book.linksFor({ callsigns: ['JULIET-1'], uids: ['ANDROID-2'] }), new Set(['mesh', 'server']));
  book.learn(pli('ANDROID-1', 'JULIET-1'), 'phones');
  assert.deepEqual(book.linksFor({ callsigns: ['JULIET-1'], uids: [] }), new Set(['phones']), 'moved');
  assert.equal(book.linksFor({ callsigns: ['NOBODY'], uids: [] }), 'unknown');
});

test('sightings are forgotten after a while and the book is bounded', () => {
  const clock = new ManualClock();
  const book = new DestinationBook(clock, { forgetAfterMs: 60_000, maxEntries: 10 });
  book.learn(pli('ANDROID-1', 'JULIET-1'), 'mesh');
  clock.advance(60_001);
  assert.equal(book.linksFor({ callsigns: ['JULIET-1'], uids: [] }), 'unknown');
  for (let i = 0; i < 100; i++) book.learn(pli(`U${i}`, `C${i}`), 'mesh');
  assert.equal(book.linksFor({ callsigns: ['C0'], uids: [] }), 'unknown', 'evicted');
  assert.deepEqual(book.linksFor({ callsigns: ['C99'], uids: [] }), new Set(['mesh']));
});

test('a flood of new names keeps the newest ones, each on its own link', () => {
  const clock = new ManualClock();
  const book = new DestinationBook(clock, { maxEntries: 1_000 });
  for (let i = 0; i < 50_000; i++) book.learn(pli(`ANDROID-${i.toString(16).padStart(16, '0')}`, `CS-${i}`), `link-${i % 7}`);
  for (let i = 49_000; i < 50_000; i++) {
    assert.deepEqual(book.linksFor({ callsigns: [`CS-${i}`], uids: [`ANDROID-${i.toString(16).padStart(16, '0')}`] }), new Set([`link-${i % 7}`]));
  }
  assert.equal(book.linksFor({ callsigns: ['CS-48999'], uids: [] }), 'unknown', 'the oldest were evicted');
  // Moving a name leaves its old place behind: it is found on the new link only.
  book.learn(pli('ANDROID-0000000000000001', 'CS-49999'), 'elsewhere');
  assert.deepEqual(book.linksFor({ callsigns: ['CS-49999'], uids: [] }), new Set(['elsewhere']));
});
