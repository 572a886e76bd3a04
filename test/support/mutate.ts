/**
 * Input mutations for fuzz tests: bit flips, byte overwrites (biased to the magic byte and
 * varint continuation bits), insertions, deletions, duplications and truncation.
 */

const INTERESTING_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xbf, 0xff, 0x3c, 0x3e, 0x26];

export function randomBytes(random: () => number, length: number): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) bytes[i] = random() < 0.1 ? 0xbf : Math.floor(random() * 256);
  return bytes;
}

/** A mutated copy of `input` (1–4 mutations). */
export function mutate(random: () => number, input: Buffer): Buffer {
  let bytes = Buffer.from(input);
  const count = 1 + Math.floor(random() * 4);
  for (let m = 0; m < count && bytes.length > 0; m++) {
    const at = Math.floor(random() * bytes.length);
    const kind = Math.floor(random() * 6);
    if (kind === 0) bytes[at] ^= 1 << Math.floor(random() * 8);
    else if (kind === 1) bytes[at] = INTERESTING_BYTES[Math.floor(random() * INTERESTING_BYTES.length)];
    else if (kind === 2) bytes = Buffer.concat([bytes.subarray(0, at), randomBytes(random, 1 + Math.floor(random() * 8)), bytes.subarray(at)]);
    else if (kind === 3) bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1 + Math.floor(random() * 8))]);
    else if (kind === 4) bytes = Buffer.concat([bytes, bytes.subarray(at)]);
    else bytes = bytes.subarray(0, at);
  }
  return bytes;
}
