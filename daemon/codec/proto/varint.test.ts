// Header varints: the table of spec §3, incomplete input, and the 10-byte limit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_VARINT_BYTES, readVarint, varintLength, writeVarint } from './varint.js';

const SPEC_TABLE: [number, string][] = [
  [1, '01'],
  [127, '7f'],
  [128, '8001'],
  [300, 'ac02'],
  [16383, 'ff7f'],
  [16384, '808001'],
];

test('spec §3 table: write and read', () => {
  for (const [value, hex] of SPEC_TABLE) {
    const bytes = Buffer.alloc(varintLength(value));
    assert.equal(writeVarint(bytes, 0, value), bytes.length);
    assert.equal(bytes.toString('hex'), hex, `${value}`);
    assert.deepEqual(readVarint(Buffer.from(hex, 'hex'), 0), { value, next: bytes.length });
  }
});

test('values up to 2^53 round-trip; reading stops at the first byte without the top bit', () => {
  for (const value of [0, 2 ** 31 - 1, 2 ** 32, 2 ** 53 - 1]) {
    const bytes = Buffer.alloc(varintLength(value) + 1, 0x99);
    writeVarint(bytes, 0, value);
    assert.deepEqual(readVarint(bytes, 0), { value, next: bytes.length - 1 });
  }
});

test('a varint cut short is incomplete; more than 10 bytes is invalid', () => {
  assert.equal(readVarint(Buffer.of(0x80, 0x80), 0), 'incomplete');
  assert.equal(readVarint(Buffer.alloc(0), 0), 'incomplete');
  assert.equal(readVarint(Buffer.alloc(MAX_VARINT_BYTES + 1, 0xff), 0), 'invalid');
  assert.deepEqual(readVarint(Buffer.concat([Buffer.alloc(9, 0x80), Buffer.of(0x01)]), 0), { value: 2 ** 63, next: 10 });
});
