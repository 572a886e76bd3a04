/**
 * AIS payload bits: the 6-bit armouring undone into one sextet per character, and readers
 * for the big-endian unsigned, signed and six-bit-text fields of ITU-R M.1371.
 *
 * A message is held as sextets (0..63) plus its exact bit length (fill bits removed), so
 * reassembling fragments is concatenating arrays and reading a field never allocates.
 * Reads past the end return zero bits, so a truncated message decodes what it has; the
 * caller checks `length` to know which fields exist.
 */

/** Armour character → sextet value, or 255 for a character outside the armour alphabet. */
const ARMOUR = new Uint8Array(256).fill(255);
for (let code = 48; code <= 119; code++) {
  if (code > 87 && code < 96) continue; // 'X'..'_' are not armour characters
  let value = code - 48;
  if (value > 40) value -= 8;
  ARMOUR[code] = value;
}

/** Six-bit text: 0..31 → '@'..'_', 32..63 → ' '..'?'. */
const SIXBIT_TEXT = Array.from({ length: 64 }, (_, v) => String.fromCharCode(v < 32 ? v + 64 : v));

export class AisBits {
  /** One sextet per armour character. Capacity grows only when reassembling long messages. */
  sextets: Uint8Array;
  /** Valid bits (6 × characters − fill bits). */
  length = 0;

  constructor(capacity = 64) {
    this.sextets = new Uint8Array(capacity);
  }

  clear(): void {
    this.length = 0;
  }

  /**
   * Appends one fragment's armoured payload (characters `start`..`end` of `text`), minus
   * `fill` padding bits at its end. Returns false (and appends nothing) on a character
   * outside the armour alphabet.
   */
  append(text: string, start: number, end: number, fill: number): boolean {
    const count = end - start;
    // Only whole sextets are stored, so bits already present must be whole sextets too.
    const first = Math.ceil(this.length / 6);
    if (first + count > this.sextets.length) {
      const bigger = new Uint8Array(Math.max(this.sextets.length * 2, first + count));
      bigger.set(this.sextets.subarray(0, first));
      this.sextets = bigger;
    }
    const sextets = this.sextets;
    for (let i = 0; i < count; i++) {
      const value = ARMOUR[text.charCodeAt(start + i) & 0xff];
      if (value === 255 || text.charCodeAt(start + i) > 255) return false;
      sextets[first + i] = value;
    }
    this.length = first * 6 + Math.max(0, count * 6 - fill);
    return true;
  }

  /** Unsigned big-endian field of up to 32 bits. */
  unsigned(start: number, width: number): number {
    let value = 0;
    const sextets = this.sextets;
    const limit = this.length;
    for (let bit = start; bit < start + width; bit++) {
      const set = bit < limit ? (sextets[(bit / 6) | 0] >> (5 - (bit % 6))) & 1 : 0;
      value = value * 2 + set;
    }
    return value;
  }

  /** Two's-complement signed field of its own width. */
  signed(start: number, width: number): number {
    const value = this.unsigned(start, width);
    const half = 2 ** (width - 1);
    return value >= half ? value - half * 2 : value;
  }

  /** Six-bit text of `chars` characters: cut at the first '@', trailing spaces trimmed. */
  text(start: number, chars: number): string {
    let out = '';
    for (let i = 0; i < chars; i++) {
      const bit = start + i * 6;
      if (bit + 6 > this.length) break; // a partial 6-bit group is not a character
      const value = this.unsigned(bit, 6);
      if (value === 0) break;
      out += SIXBIT_TEXT[value];
    }
    return out.trimEnd();
  }
}
