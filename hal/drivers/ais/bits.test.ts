import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AisBits } from './bits.js';

test('ais bits: armour characters map to sextets, both halves of the alphabet', () => {
  const bits = new AisBits();
  assert.equal(bits.append('0W`w', 0, 4, 0), true);
  assert.deepEqual([...bits.sextets.subarray(0, 4)], [0, 39, 40, 63]);
  assert.equal(bits.length, 24);
});

test('ais bits: characters outside the armour alphabet are refused', () => {
  for (const bad of ['X', '_', '/', 'x', ' ', '\u0130']) {
    const bits = new AisBits();
    assert.equal(bits.append(`00${bad}`, 0, 3, 0), false, JSON.stringify(bad));
  }
});

test('ais bits: fill bits shorten the message and reads past the end are zero', () => {
  const bits = new AisBits();
  bits.append('w', 0, 1, 2); // 111111, last 2 bits are padding
  assert.equal(bits.length, 4);
  assert.equal(bits.unsigned(0, 4), 15);
  assert.equal(bits.unsigned(0, 6), 60);
});

test('ais bits: signed fields are two\'s complement of their own width', () => {
  const bits = new AisBits();
  bits.append('w0', 0, 2, 0); // 111111 000000
  assert.equal(bits.signed(0, 6), -1);
  assert.equal(bits.signed(0, 8), -4);
  assert.equal(bits.signed(6, 6), 0);
});

test('ais bits: six-bit text stops at "@", trims trailing spaces, ignores a partial group', () => {
  const bits = new AisBits();
  // 'A'=1 'B'=2 ' '=32 '@'=0 → armour '1' '2' 'P' '0'
  bits.append('12P01', 0, 5, 0);
  assert.equal(bits.text(0, 5), 'AB');
  const partial = new AisBits();
  partial.append('12', 0, 2, 3); // 9 bits: one whole character
  assert.equal(partial.text(0, 2), 'A');
});

test('ais bits: appending fragments concatenates and grows the buffer', () => {
  const bits = new AisBits(2);
  bits.append('12', 0, 2, 0);
  bits.append('34', 0, 2, 2);
  assert.equal(bits.length, 22);
  assert.equal(bits.unsigned(12, 6), 3);
});
