import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FingerprintRing } from './fingerprint-ring.js';

test('entries are found by both hashes and forgotten oldest first', () => {
  const ring = new FingerprintRing(3);
  assert.equal(ring.push(10, 1), 0);
  assert.equal(ring.push(20, 2), 1);
  assert.equal(ring.find(10, 1), 0);
  assert.equal(ring.find(10, 9), -1, 'the second hash must match too');
  assert.equal(ring.find(30, 1), -1);
  ring.dropOldest();
  assert.equal(ring.find(10, 1), -1);
  assert.equal(ring.find(20, 2), 1);
  assert.equal(ring.count, 1);
  assert.equal(ring.push(30, 3), 2);
  assert.equal(ring.push(40, 4), 0, 'slots wrap around');
});

test('dropping an old entry keeps a newer one with the same first hash', () => {
  const ring = new FingerprintRing(4);
  ring.push(7, 1);
  const newer = ring.push(7, 2);
  ring.dropOldest();
  assert.equal(ring.find(7, 2), newer);
  assert.equal(ring.find(7, 1), -1);
});
