/**
 * Unsigned LEB128 varints for the v1 frame headers (spec §3): at most 10 bytes (64 bits).
 */

export const MAX_VARINT_BYTES = 10;

export function varintLength(value: number): number {
  let length = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 0x80);
    length++;
  }
  return length;
}

/** Writes `value` (a non-negative safe integer) at `offset`; returns the offset after it. */
export function writeVarint(target: Uint8Array, offset: number, value: number): number {
  while (value >= 0x80) {
    target[offset++] = (value % 0x80) | 0x80;
    value = Math.floor(value / 0x80);
  }
  target[offset++] = value;
  return offset;
}

/** A varint read from a complete buffer: its value and the offset after it. */
export interface VarintRead {
  value: number;
  next: number;
}

/** 'incomplete': the buffer ends inside the varint; 'invalid': longer than 10 bytes. */
export function readVarint(source: Uint8Array, offset: number): VarintRead | 'incomplete' | 'invalid' {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < MAX_VARINT_BYTES; i++) {
    if (offset + i >= source.length) return 'incomplete';
    const byte = source[offset + i];
    value += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) return { value, next: offset + i + 1 };
    scale *= 0x80;
  }
  return 'invalid';
}
