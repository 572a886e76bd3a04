import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32 } from './crc32.js';

test('CRC-32 check values', () => {
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
  assert.equal(crc32(Buffer.alloc(0)), 0);
  assert.equal(crc32(Buffer.from('The quick brown fox jumps over the lazy dog')), 0x414fa339);
  assert.equal(crc32(Buffer.from('xx123456789yy'), 2, 11), 0xcbf43926, 'a range');
});

test('CRC-32 of every single byte value matches the bitwise definition (the lazily built table is complete)', () => {
  const bitwise = (byte: number): number => {
    let c = 0xffffffff ^ byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return (c ^ 0xffffffff) >>> 0;
  };
  for (let byte = 0; byte < 256; byte++) assert.equal(crc32(Uint8Array.of(byte)), bitwise(byte), `byte ${byte}`);
});
