/**
 * KISS framer (TNCs on serial, Dire Wolf's KISS-over-TCP on port 8001): bytes → one
 * unescaped frame per FEND-delimited block, its first byte the port/command byte.
 *
 * - FEND (0xC0) opens and closes frames; back-to-back FENDs are empty frames and ignored.
 * - FESC TFEND → 0xC0, FESC TFESC → 0xDB; FESC followed by anything else is a protocol
 *   error: the frame is dropped (counted) and the framer waits for the next FEND.
 * - Bytes before the first FEND (line noise, a TNC's boot banner) are dropped and counted.
 * - Frames longer than `maxLength` (default 2048, Dire Wolf's buffer) are dropped.
 * - Memory is one preallocated buffer; never throws on input.
 */
import type { Framer, FramerCounters } from '../contract.js';

export const FEND = 0xc0;
export const FESC = 0xdb;
export const TFEND = 0xdc;
export const TFESC = 0xdd;

export interface KissFramerCounters extends FramerCounters {
  /** FESC followed by a byte other than TFEND/TFESC. */
  badEscape: number;
}

export class KissFramer implements Framer<Buffer> {
  readonly counters: KissFramerCounters = { frames: 0, bytesDropped: 0, badChecksum: 0, oversize: 0, badEscape: 0 };
  private readonly frame: Buffer;
  private length = 0;
  /** Inside a frame (a FEND has been seen), versus hunting for one. */
  private inFrame = false;
  private escaped = false;
  /** The current frame is bad (escape error, too long): drop bytes until the next FEND. */
  private discarding = false;

  constructor(maxLength = 2048) {
    this.frame = Buffer.alloc(Math.max(16, maxLength));
  }

  push(chunk: Buffer, emit: (frame: Buffer) => void): void {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte === FEND) {
        this.endFrame(emit);
        this.inFrame = true;
        continue;
      }
      if (!this.inFrame || this.discarding) {
        this.counters.bytesDropped++;
        continue;
      }
      let value = byte;
      if (this.escaped) {
        this.escaped = false;
        if (byte === TFEND) value = FEND;
        else if (byte === TFESC) value = FESC;
        else {
          this.counters.badEscape++;
          this.dropFrame(2);
          continue;
        }
      } else if (byte === FESC) {
        this.escaped = true;
        continue;
      }
      if (this.length >= this.frame.length) {
        this.counters.oversize++;
        this.dropFrame(1);
        continue;
      }
      this.frame[this.length++] = value;
    }
  }

  reset(): void {
    if (this.length > 0) this.counters.bytesDropped += this.length;
    this.length = 0;
    this.inFrame = false;
    this.escaped = false;
    this.discarding = false;
  }

  private dropFrame(pendingBytes: number): void {
    this.counters.bytesDropped += this.length + pendingBytes;
    this.length = 0;
    this.discarding = true;
  }

  private endFrame(emit: (frame: Buffer) => void): void {
    if (this.escaped) {
      // FESC FEND: the escape is broken, the frame too.
      this.counters.badEscape++;
      this.counters.bytesDropped += this.length + 1;
    } else if (this.length > 0 && !this.discarding) {
      this.counters.frames++;
      emit(this.frame.subarray(0, this.length));
    }
    this.length = 0;
    this.escaped = false;
    this.discarding = false;
  }
}

/** One KISS frame: FEND, port/command byte, escaped data, FEND. */
export function kissEncode(data: Buffer, port = 0, command = 0): Buffer {
  const out = Buffer.alloc(data.length * 2 + 3);
  let n = 0;
  out[n++] = FEND;
  out[n++] = ((port & 0x0f) << 4) | (command & 0x0f);
  for (const byte of data) {
    if (byte === FEND) {
      out[n++] = FESC;
      out[n++] = TFEND;
    } else if (byte === FESC) {
      out[n++] = FESC;
      out[n++] = TFESC;
    } else {
      out[n++] = byte;
    }
  }
  out[n++] = FEND;
  return out.subarray(0, n);
}
