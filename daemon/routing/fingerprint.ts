/**
 * 60-bit fingerprints (two independent 30-bit hashes, FNV-1a style with different bases
 * and multipliers) for the router's short-term memories: a table keyed by fingerprints
 * holds no strings, so it neither allocates per event nor keeps an event's text alive.
 * Two different keys share a fingerprint about once in 2^60 pairs. The first hash is a
 * small integer, stored unboxed as a Map key; the second confirms a match.
 */
export class Fingerprinter {
  /** The two hashes of the key built since begin(); read them after finish(). */
  a = 0;
  b = 0;

  begin(): this {
    this.a = 0x811c9dc5 | 0;
    this.b = 0x27d4eb2f | 0;
    return this;
  }

  string(s: string): this {
    let a = this.a;
    let b = this.b;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
    }
    // A separator, so "ab" + "c" differs from "a" + "bc".
    this.a = a ^ 0x1f;
    this.b = b ^ 0x2e;
    return this;
  }

  /** A whole number below 2^53 (a time in ms): both 32-bit halves are mixed in. */
  number(n: number): this {
    const low = n % 0x100000000 | 0;
    const high = Math.floor(n / 0x100000000) | 0;
    this.a = Math.imul(Math.imul(this.a ^ low, 0x01000193) ^ high, 0x01000193);
    this.b = Math.imul(Math.imul(this.b ^ low, 0x5bd1e995) ^ high, 0x5bd1e995);
    return this;
  }

  finish(): void {
    this.a = (this.a ^ (this.a >>> 15)) & 0x3fffffff;
    this.b = (this.b ^ (this.b >>> 13)) & 0x3fffffff;
  }
}
