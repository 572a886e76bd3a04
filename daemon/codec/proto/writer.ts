/**
 * A protobuf writer over one reusable scratch buffer: fields are written straight into it
 * and finish() copies the message out once. protobufjs's Writer queues one operation
 * object per field and sizes the message at the end; writing in place avoids that
 * allocation on the hot path (BENCHMARKS.md, "TAK protocol v1 codec").
 *
 * A length-delimited field reserves room for its length before the body is written and
 * moves the body when the length needs a different number of bytes, so every length is
 * the shortest varint, as protobufjs and commoncommo write it.
 */

const INITIAL_BYTES = 16 * 1024;
/** A scratch buffer that grew past this for one huge message is dropped after it. */
const KEEP_BYTES = 1024 * 1024;
/** Strings up to this many UTF-16 units fit in 127 UTF-8 bytes: their length is one byte. */
const ONE_BYTE_LENGTH_CHARS = 42;

export class ProtoWriter {
  private buf = Buffer.allocUnsafe(INITIAL_BYTES);
  private view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  private pos = 0;

  /** Starts a new message (the previous one must have been finished). */
  reset(): void {
    this.pos = 0;
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + extra));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
    this.view = new DataView(grown.buffer, grown.byteOffset, grown.byteLength);
  }

  byte(value: number): void {
    this.ensure(1);
    this.buf[this.pos++] = value;
  }

  /** A non-negative safe integer (tags, lengths, uint32, uint64 times). */
  varint(value: number): void {
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    while (value > 0x7fffffff) {
      buf[pos++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    while (value > 0x7f) {
      buf[pos++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    buf[pos++] = value;
    this.pos = pos;
  }

  double(value: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
  }

  /** A one-byte tag (field number below 16) and a double: the common case in one step. */
  doubleField(tag: number, value: number): void {
    this.ensure(9);
    this.buf[this.pos] = tag;
    this.view.setFloat64(this.pos + 1, value, true);
    this.pos += 9;
  }

  /** A one-byte tag (field number below 16) and a length-prefixed UTF-8 string. */
  stringField(tag: number, value: string): void {
    this.ensure(1);
    this.buf[this.pos++] = tag;
    this.string(value);
  }

  /** A length-prefixed UTF-8 string (a lone surrogate becomes U+FFFD, as Buffer writes it). */
  string(value: string): void {
    const length = value.length;
    if (length <= ONE_BYTE_LENGTH_CHARS) {
      this.ensure(1 + length * 3);
      const buf = this.buf;
      const start = this.pos + 1;
      let pos = start;
      for (let i = 0; i < length; i++) {
        const c = value.charCodeAt(i);
        if (c >= 0x80) {
          pos = start + buf.write(value, start, 'utf8');
          break;
        }
        buf[pos++] = c;
      }
      buf[start - 1] = pos - start;
      this.pos = pos;
      return;
    }
    const bytes = Buffer.byteLength(value, 'utf8');
    this.varint(bytes);
    this.ensure(bytes);
    this.pos += this.buf.write(value, this.pos, 'utf8');
  }

  /** Reserves `reserve` bytes for the length of what follows; pass the result to endLength(). */
  beginLength(reserve: number): number {
    this.ensure(reserve);
    const mark = this.pos;
    this.pos += reserve;
    return mark * 4 + reserve;
  }

  /** Writes the length of everything since beginLength(), moving it if the length needs another size. */
  endLength(token: number): void {
    const reserve = token & 3;
    const mark = (token - reserve) / 4;
    const bodyStart = mark + reserve;
    const length = this.pos - bodyStart;
    const needed = varintSize(length);
    if (needed !== reserve) {
      this.ensure(needed - reserve);
      this.buf.copyWithin(mark + needed, bodyStart, this.pos);
      this.pos += needed - reserve;
    }
    let pos = mark;
    let value = length;
    while (value > 0x7f) {
      this.buf[pos++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    this.buf[pos] = value;
  }

  /** A fresh Buffer with everything written since reset(). */
  finish(): Buffer {
    const out = Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    if (this.buf.length > KEEP_BYTES) {
      this.buf = Buffer.allocUnsafe(INITIAL_BYTES);
      this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    }
    this.pos = 0;
    return out;
  }
}

function varintSize(value: number): number {
  return value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x200000 ? 3 : value < 0x10000000 ? 4 : 5;
}
