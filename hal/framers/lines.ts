/**
 * Line framer for NMEA 0183 and AIS: bytes → one sentence per frame (`$GPGGA,…*hh`, `!AIVDM,…*hh`).
 *
 * - Lines end at CR, LF or CR LF (any mix); empty lines are ignored.
 * - A frame begins at a start character (`$` or `!` by default). A start character in the
 *   middle of a line begins a new frame and drops the partial one: that is how a receiver's
 *   packet collision looks (`$GPGGA,0301$GPGLL,…`), and the second sentence is intact.
 * - Bytes outside a frame, frames longer than `maxLength`, and frames whose `*hh` checksum
 *   is missing or wrong are dropped and counted; nothing is ever thrown.
 * - Memory is one preallocated buffer of `maxLength` bytes.
 */
import type { Framer, FramerCounters } from '../contract.js';

export interface LineFramerOptions {
  /** Longest frame kept, in bytes (NMEA says 82; proprietary sentences run longer). Default 256. */
  maxLength?: number;
  /** Characters that begin a frame. Default `$!`. */
  startChars?: string;
  /**
   * A start character inside a frame begins a new frame (NMEA collisions). Default true;
   * false for JSON lines, where `{` nests.
   */
  restartOnStartChar?: boolean;
  /** Check the `*hh` checksum and drop frames without a valid one. Default true; false for JSON lines. */
  requireChecksum?: boolean;
  /** Skip lines that begin with this character (capture-file comments such as gpsd's `#`). */
  commentChar?: string;
}

export interface LineFramerCounters extends FramerCounters {
  /** Frames dropped because they had no `*hh` at all (counted in bytesDropped as well). */
  noChecksum: number;
  commentLines: number;
}

const CR = 0x0d;
const LF = 0x0a;
const STAR = 0x2a;
const LINE_END = 1;
const FRAME_START = 2;

/** Value of one ASCII hex digit, or -1. Accepts lower case (some Magellan receivers send it). */
function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  return -1;
}

export class LineFramer implements Framer<string> {
  readonly counters: LineFramerCounters = {
    frames: 0,
    bytesDropped: 0,
    badChecksum: 0,
    oversize: 0,
    noChecksum: 0,
    commentLines: 0,
  };
  private readonly line: Buffer;
  /** Per byte value: ORDINARY, LINE_END or FRAME_START. */
  private readonly byteClass = new Uint8Array(256);
  private readonly requireChecksum: boolean;
  private readonly restartOnStart: boolean;
  private readonly commentByte: number;
  private length = 0;
  private inFrame = false;
  private inComment = false;
  private atLineStart = true;

  constructor(options: LineFramerOptions = {}) {
    this.line = Buffer.alloc(Math.max(8, options.maxLength ?? 256));
    for (const c of options.startChars ?? '$!') this.byteClass[c.charCodeAt(0) & 0xff] = FRAME_START;
    this.byteClass[CR] = LINE_END;
    this.byteClass[LF] = LINE_END;
    this.requireChecksum = options.requireChecksum ?? true;
    this.restartOnStart = options.restartOnStartChar ?? true;
    this.commentByte = options.commentChar ? options.commentChar.charCodeAt(0) : -1;
  }

  push(chunk: Buffer, emit: (frame: string) => void): void {
    // The hot loop works on locals and writes the state back once: property access per byte
    // costs more than the work itself.
    const line = this.line;
    const capacity = line.length;
    const byteClass = this.byteClass;
    const restartOnStart = this.restartOnStart;
    const commentByte = this.commentByte;
    const counters = this.counters;
    let length = this.length;
    let inFrame = this.inFrame;
    let inComment = this.inComment;
    let atLineStart = this.atLineStart;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      const kind = byteClass[byte];
      if (kind === LINE_END) {
        if (inFrame) this.finishFrame(length, emit);
        inFrame = false;
        length = 0;
        inComment = false;
        atLineStart = true;
        continue;
      }
      if (inComment) continue;
      if (atLineStart && byte === commentByte) {
        inComment = true;
        atLineStart = false;
        counters.commentLines++;
        continue;
      }
      atLineStart = false;
      if (kind === FRAME_START && (restartOnStart || !inFrame)) {
        if (inFrame) counters.bytesDropped += length;
        inFrame = true;
        line[0] = byte;
        length = 1;
      } else if (!inFrame) {
        counters.bytesDropped++;
      } else if (length >= capacity) {
        // Too long to be a sentence: drop it and everything up to the next start or line end.
        counters.oversize++;
        counters.bytesDropped += length + 1;
        inFrame = false;
        length = 0;
      } else {
        line[length++] = byte;
      }
    }
    this.length = length;
    this.inFrame = inFrame;
    this.inComment = inComment;
    this.atLineStart = atLineStart;
  }

  reset(): void {
    if (this.inFrame) this.counters.bytesDropped += this.length;
    this.inFrame = false;
    this.inComment = false;
    this.atLineStart = true;
    this.length = 0;
  }

  private finishFrame(length: number, emit: (frame: string) => void): void {
    if (!this.requireChecksum || this.checksumOk(length)) {
      this.counters.frames++;
      emit(this.line.toString('latin1', 0, length));
    } else {
      this.counters.bytesDropped += length;
    }
  }

  /** XOR of the bytes between the start character and `*` must equal the two hex digits after it. */
  private checksumOk(length: number): boolean {
    const line = this.line;
    const star = length - 3;
    if (star < 1 || line[star] !== STAR) {
      this.counters.noChecksum++;
      return false;
    }
    const high = hexValue(line[star + 1]);
    const low = hexValue(line[star + 2]);
    let sum = 0;
    for (let i = 1; i < star; i++) sum ^= line[i];
    if (high < 0 || low < 0 || sum !== high * 16 + low) {
      this.counters.badChecksum++;
      return false;
    }
    return true;
  }
}
