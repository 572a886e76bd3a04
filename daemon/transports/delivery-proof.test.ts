import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CotEvent } from '../codec/event.js';
import { DeliveryProof } from './delivery-proof.js';

const event = (uid: string): CotEvent => ({ uid, type: 'b-t-f', how: 'h-g-i-g-o', time: 0, start: 0, stale: 1, point: { lat: 0, lon: 0, hae: 0, ce: 0, le: 0 } });
const all = () => true;

function proofWith(options: { maxEvents?: number; maxBytes?: number; pingDelayMs?: number } = {}) {
  let handed = 0;
  let pings = 0;
  const proof = new DeliveryProof({ pingDelayMs: 60_000, ...options, writePing: () => (pings += 1) > 0, handed: () => handed, onChange: () => undefined });
  const write = (...uids: string[]) => {
    proof.taken(uids.map(event), handed, uids.length * 100, all);
    handed += uids.length;
  };
  return { proof, write, pings: () => pings };
}

test('a pong proves what was written before its ping; the rest goes back when the connection dies', () => {
  const { proof, write } = proofWith();
  write('a', 'b');
  proof.pinged();
  write('c');
  proof.ponged();
  assert.equal(proof.peerAnswers, true);
  assert.equal(proof.counters.proven, 2);
  assert.deepEqual(proof.connectionLost(3).map((e) => e.uid), ['c']);
  assert.equal(proof.counters.resent, 1);
  assert.equal(proof.lostOnLastConnection, 0);
});

test('a peer not known to answer: nothing held back, nothing given back, the window forgotten oldest first', () => {
  const { proof, write } = proofWith({ maxEvents: 2 });
  write('a', 'b', 'c');
  assert.equal(proof.hasRoom(), true);
  assert.equal(proof.counters.forgotten, 1);
  assert.deepEqual(proof.connectionLost(3), []);
  assert.equal(proof.lostOnLastConnection, 3);
});

test('a peer that answers: the window is bounded in events and in bytes', async () => {
  const { proof, write } = proofWith({ maxEvents: 3, maxBytes: 1_000 });
  write('a');
  proof.pinged();
  proof.ponged();
  write('b', 'c');
  assert.equal(proof.hasRoom(), true);
  write('d');
  assert.equal(proof.hasRoom(), false, 'three unproven events');
  let settled = false;
  const waiting = proof.whenProven().then(() => (settled = true));
  proof.pinged();
  proof.ponged();
  await waiting;
  assert.equal(settled, true);
  assert.equal(proof.hasRoom(), true);
  proof.taken([event('big')], 4, 5_000, all);
  assert.equal(proof.hasRoom(), false, 'over the bytes');
});

test('events the listener does not want proven are not held', () => {
  const { proof } = proofWith();
  proof.pinged();
  proof.ponged();
  proof.taken([event('pli')], 0, 100, () => false);
  assert.equal(proof.waiting, 0);
});

test('a proof ping that cannot be written now is tried again (a full window must not wait for the keepalive)', async () => {
  let canPing = false;
  let pings = 0;
  let handed = 0;
  const proof = new DeliveryProof({ maxEvents: 2, pingDelayMs: 5, writePing: () => canPing && (pings += 1) > 0, handed: () => handed, onChange: () => undefined });
  proof.pinged();
  proof.ponged(); // the peer answers
  proof.taken([event('a'), event('b')], 0, 200, all);
  handed = 2;
  assert.equal(proof.hasRoom(), false);
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(pings, 0, 'negotiating: no ping written');
  canPing = true;
  for (let i = 0; i < 1_000 && pings === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(pings, 1, 'the ping went once it could');
  proof.ponged();
  assert.equal(proof.hasRoom(), true);
  proof.stop();
});

// A peer that sends pongs of its own would otherwise "prove" events it never read.
test('a pong no ping asked for ends the trust: at-most-once from then on, counted', async () => {
  const { proof, write, pings } = proofWith({ pingDelayMs: 5 });
  write('a');
  proof.pinged();
  proof.ponged();
  assert.equal(proof.peerAnswers, true);
  write('b', 'c');
  proof.ponged(); // no ping waits for it
  assert.equal(proof.counters.unsolicitedPongs, 1);
  assert.equal(proof.distrusted, true);
  assert.equal(proof.peerAnswers, false);
  assert.equal(proof.hasRoom(), true);
  proof.pinged();
  proof.ponged();
  assert.equal(proof.peerAnswers, false, 'its pongs prove nothing any more');
  assert.equal(proof.counters.proven, 1);
  const before = pings();
  write('d');
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(pings(), before, 'no proof pings for a peer whose pongs prove nothing');
  assert.deepEqual(proof.connectionLost(4), [], 'nothing given back: the window is the at-most-once one');
  assert.equal(proof.lostOnLastConnection, 3);
});

test('pongs to pings written beyond the marks kept are answers, not surprises', () => {
  const { proof, write } = proofWith();
  write('a');
  for (let i = 0; i < 20; i += 1) proof.pinged();
  for (let i = 0; i < 20; i += 1) proof.ponged();
  assert.equal(proof.counters.unsolicitedPongs, 0);
  assert.equal(proof.peerAnswers, true);
  assert.equal(proof.counters.proven, 1);
});
