/**
 * ProtoStreamDeframer: a TAK protocol v1 stream (`BF varint(length) TakMessage`, repeated)
 * → one payload per frame, over any chunking. It never throws on input, holds at most one
 * frame (≤ maxBytes) and reports every problem to `onError` with a reason.
 *
 * A frame start must be plausible: 0xBF, a length of 1..maxBytes in at most 10 varint
 * bytes, and a payload that begins as every TakMessage does (field 1 or 2,
 * length-delimited: 0x0A or 0x12). Anything else is corruption (tak-protocol.md §2: drop it
 * and hunt for the next 0xBF):
 *
 * - `bad-header`: bytes where a frame should start that do not start one (one error per run
 *   of such bytes, however many false starts it holds);
 * - `oversize`: a length above `maxBytes` where a frame was due (inside a run of garbage it
 *   is just more garbage). Nothing is skipped on its word: a corrupt length must not
 *   swallow the good frames behind it.
 *
 * Resynchronising never loses a frame start: the bytes of a rejected header are hunted
 * again, and so is the payload of a frame the caller could not decode (`emit` returns
 * false), so a false start inside garbage costs nothing but the search.
 *
 * Payloads that lie wholly inside one pushed chunk are emitted as `subarray` views of it
 * (valid until the caller reuses that chunk); a frame spanning chunks is copied once into a
 * buffer of its exact size. Decoding the payload (and counting `bad-protobuf`) is the caller's.
 */
import { CotDecodeError } from '../errors.js';
import { TAK_MAGIC } from './header.js';
import { MAX_VARINT_BYTES } from './varint.js';

export const DEFAULT_MAX_FRAME_BYTES = 65536;

export interface ProtoStreamDeframerOptions {
  /** Largest payload delivered (default 65536, as commoncommo's receive buffer). */
  maxBytes?: number;
}

/** What a frame's payload gets; return false when it is not a TakMessage (the bytes are hunted again). */
export type PayloadSink = (payload: Buffer) => unknown;

/** TakMessage's fields 1 (takControl) and 2 (cotEvent) as length-delimited tags: a payload starts with one. */
const TAG_TAK_CONTROL = 0x0a;
const TAG_COT_EVENT = 0x12;

export interface ProtoDeframerCounters {
  frames: number;
  /** Bytes that were not part of a delivered payload or its header. */
  bytesDropped: number;
  badHeader: number;
  oversize: number;
  /** Frames whose payload the caller could not decode: their bytes were hunted again. */
  rescanned: number;
}

const enum State {
  Hunt,
  Length,
  /** The header is complete: the payload's first byte decides whether this was a frame start. */
  FirstByte,
  Payload,
}

export class ProtoStreamDeframer {
  readonly counters: ProtoDeframerCounters = { frames: 0, bytesDropped: 0, badHeader: 0, oversize: 0, rescanned: 0 };
  private readonly maxBytes: number;
  private state = State.Hunt;
  private inGarbage = false;
  private lengthValue = 0;
  private lengthScale = 1;
  /** The varint bytes of the header being read, to hunt again if it is rejected. */
  private readonly header = Buffer.alloc(MAX_VARINT_BYTES);
  private headerLength = 0;
  /** Payload bytes still to come. */
  private remaining = 0;
  private assembly: Buffer | undefined;
  private assembled = 0;
  /** Stream offset of the first byte of the current chunk, for error offsets. */
  private streamOffset = 0;

  constructor(options: ProtoStreamDeframerOptions = {}) {
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_FRAME_BYTES;
  }

  /** True while a frame has begun (its header or payload is arriving) and not yet ended. */
  get midFrame(): boolean {
    return this.state !== State.Hunt;
  }

  /** Bytes held for a frame that spans chunks (at most maxBytes). */
  get bufferedBytes(): number {
    return this.assembly ? this.assembled : 0;
  }

  push(chunk: Buffer, emit: PayloadSink, onError: (error: CotDecodeError) => void): void {
    this.scan(chunk, emit, onError);
    this.streamOffset += chunk.length;
  }

  /** Forget any partial frame (e.g. after a reconnect). Counters are kept. */
  reset(): void {
    this.state = State.Hunt;
    this.inGarbage = false;
    this.assembly = undefined;
    this.assembled = 0;
    this.remaining = 0;
    this.headerLength = 0;
  }

  private scan(chunk: Buffer, emit: PayloadSink, onError: (error: CotDecodeError) => void): void {
    let i = 0;
    while (i < chunk.length) {
      switch (this.state) {
        case State.Hunt:
          i = this.hunt(chunk, i, onError);
          break;
        case State.Length:
          i = this.readLength(chunk, i, emit, onError);
          break;
        case State.FirstByte: {
          const first = chunk[i];
          if (first === TAG_TAK_CONTROL || first === TAG_COT_EVENT) this.state = State.Payload;
          else this.rejectHeader(emit, onError, 'bad-header', 'no TakMessage starts here', i);
          break;
        }
        case State.Payload:
          i = this.readPayload(chunk, i, emit, onError);
          break;
      }
    }
  }

  private hunt(chunk: Buffer, i: number, onError: (error: CotDecodeError) => void): number {
    const magicAt = chunk.indexOf(TAK_MAGIC, i);
    const garbageEnd = magicAt === -1 ? chunk.length : magicAt;
    if (garbageEnd > i) {
      this.garbage(onError, 'bad-header', 'expected 0xBF at the start of a frame', this.streamOffset + i);
      this.counters.bytesDropped += garbageEnd - i;
    }
    if (magicAt === -1) return chunk.length;
    this.state = State.Length;
    this.lengthValue = 0;
    this.lengthScale = 1;
    this.headerLength = 0;
    return magicAt + 1;
  }

  private readLength(chunk: Buffer, i: number, emit: PayloadSink, onError: (error: CotDecodeError) => void): number {
    while (i < chunk.length) {
      const byte = chunk[i++] as number;
      this.header[this.headerLength++] = byte;
      this.lengthValue += (byte & 0x7f) * this.lengthScale;
      this.lengthScale *= 0x80;
      if (byte & 0x80) {
        if (this.headerLength >= MAX_VARINT_BYTES) {
          this.rejectHeader(emit, onError, 'bad-header', 'frame length varint is longer than 10 bytes', i);
          return i;
        }
        continue;
      }
      const length = this.lengthValue;
      if (length === 0) {
        this.rejectHeader(emit, onError, 'bad-header', 'frame length is 0', i);
      } else if (length > this.maxBytes) {
        this.rejectHeader(emit, onError, 'oversize', `frame length ${length} exceeds the ${this.maxBytes}-byte limit; taken as corruption`, i);
      } else {
        this.state = State.FirstByte;
        this.remaining = length;
      }
      return i;
    }
    return i;
  }

  private readPayload(chunk: Buffer, i: number, emit: PayloadSink, onError: (error: CotDecodeError) => void): number {
    const available = chunk.length - i;
    if (!this.assembly && available >= this.remaining) {
      const payload = chunk.subarray(i, i + this.remaining);
      // Not a TakMessage: hunt again from its first byte, which is where the chunk resumes.
      return this.deliver(payload, emit) ? i + payload.length : this.rescanFrom(i);
    }
    if (!this.assembly) {
      this.assembly = Buffer.allocUnsafe(this.remaining);
      this.assembled = 0;
    }
    const n = Math.min(available, this.assembly.length - this.assembled);
    chunk.copy(this.assembly, this.assembled, i, i + n);
    this.assembled += n;
    if (this.assembled === this.assembly.length) {
      const payload = this.assembly;
      this.assembly = undefined;
      this.assembled = 0;
      if (!this.deliver(payload, emit)) {
        this.rescanFrom(i);
        this.scan(payload, emit, onError);
      }
    }
    return i + n;
  }

  /** Emits a payload; false if the caller could not use it. */
  private deliver(payload: Buffer, emit: PayloadSink): boolean {
    this.state = State.Hunt;
    this.remaining = 0;
    if (emit(payload) === false) return false;
    this.inGarbage = false;
    this.counters.frames++;
    return true;
  }

  /** A frame the caller rejected (and counted): its payload bytes are hunted again, as garbage already reported. */
  private rescanFrom(i: number): number {
    this.counters.rescanned++;
    this.counters.bytesDropped += 1 + this.headerLength;
    this.state = State.Hunt;
    this.inGarbage = true;
    return i;
  }

  /** Not a frame start after all: drop the 0xBF and hunt again through the header bytes read so far. */
  private rejectHeader(emit: PayloadSink, onError: (error: CotDecodeError) => void, reason: 'bad-header' | 'oversize', message: string, i: number): void {
    this.counters.bytesDropped += 1;
    this.state = State.Hunt;
    if (reason === 'oversize' && !this.inGarbage) {
      this.counters.oversize++;
      onError(new CotDecodeError(reason, message, this.streamOffset + i));
      this.inGarbage = true;
    } else {
      this.garbage(onError, 'bad-header', message, this.streamOffset + i);
    }
    const header = Buffer.from(this.header.subarray(0, this.headerLength));
    this.headerLength = 0;
    // Stream offsets inside the re-read header are approximate (they point at the chunk).
    this.scan(header, emit, onError);
  }

  /** Reports the start of a run of garbage once. */
  private garbage(onError: (error: CotDecodeError) => void, reason: 'bad-header', message: string, offset: number): void {
    if (this.inGarbage) return;
    this.inGarbage = true;
    this.counters.badHeader++;
    onError(new CotDecodeError(reason, message, offset));
  }
}
