import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32 } from './crc32.js';

test('CRC-32 check values', () => {
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
  assert.equal(crc32(Buffer.alloc(0)), 0);
  assert.equal(crc32(Buffer.from('The quick brown fox jumps over the lazy dog')), 0x414fa339);
  assert.equal(crc32(Buffer.from('xx123456789yy'), 2, 11), 0xcbf43926, 'a range');
});
