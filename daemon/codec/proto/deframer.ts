/**
 * ProtoStreamDeframer: a TAK protocol v1 stream (`BF varint(length) TakMessage`, repeated)
 * → one payload per frame, over any chunking. It never throws on input, holds at most one
 * frame (≤ maxBytes) and reports every problem to `onError` with a reason:
 *
 * - `bad-header`: a byte other than 0xBF where a frame should start (one error per run of
 *   such bytes), a length varint longer than 10 bytes, a length of 0 (an empty TakMessage
 *   carries nothing and no sender emits one: taken as corruption), or a length beyond
 *   `maxSkipBytes` (not a believable frame). After a bad header it hunts for the next 0xBF.
 * - `oversize`: a length above `maxBytes` but believable. The payload is skipped byte-exact
 *   without being buffered, so the stream stays in step.
 *
 * Payloads that lie wholly inside one pushed chunk are emitted as `subarray` views of it
 * (valid until the caller reuses that chunk); a frame spanning chunks is copied once into a
 * buffer of its exact size. Decoding the payload (and counting `bad-protobuf`) is the caller's.
 */
import { CotDecodeError } from '../errors.js';
import { TAK_MAGIC } from './header.js';
import { MAX_VARINT_BYTES } from './varint.js';

export const DEFAULT_MAX_FRAME_BYTES = 65536;
export const DEFAULT_MAX_SKIP_BYTES = 16 * 1024 * 1024;

export interface ProtoStreamDeframerOptions {
  /** Largest payload delivered (default 65536, as commoncommo's receive buffer). */
  maxBytes?: number;
  /** Largest oversize payload skipped in step; a longer length is a bad header (default 16 MiB). */
  maxSkipBytes?: number;
}

export interface ProtoDeframerCounters {
  frames: number;
  /** Bytes that were not part of a delivered payload or its header. */
  bytesDropped: number;
  badHeader: number;
  oversize: number;
}

const enum State {
  Hunt,
  Length,
  Payload,
  Skip,
}

export class ProtoStreamDeframer {
  readonly counters: ProtoDeframerCounters = { frames: 0, bytesDropped: 0, badHeader: 0, oversize: 0 };
  private readonly maxBytes: number;
  private readonly maxSkipBytes: number;
  private state = State.Hunt;
  private inGarbage = false;
  private lengthValue = 0;
  private lengthScale = 1;
  private lengthBytes = 0;
  /** Payload or skip bytes still to come. */
  private remaining = 0;
  private assembly: Buffer | undefined;
  private assembled = 0;
  /** Stream offset of the first byte of the current chunk, for error offsets. */
  private streamOffset = 0;

  constructor(options: ProtoStreamDeframerOptions = {}) {
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.maxSkipBytes = Math.max(options.maxSkipBytes ?? DEFAULT_MAX_SKIP_BYTES, this.maxBytes);
  }

  /** True while a frame has begun (its header or payload is arriving) and not yet ended. */
  get midFrame(): boolean {
    return this.state !== State.Hunt;
  }

  /** Bytes held for a frame that spans chunks (at most maxBytes). */
  get bufferedBytes(): number {
    return this.assembly ? this.assembled : 0;
  }

  push(chunk: Buffer, emit: (payload: Buffer) => void, onError: (error: CotDecodeError) => void): void {
    let i = 0;
    while (i < chunk.length) {
      switch (this.state) {
        case State.Hunt:
          i = this.hunt(chunk, i, onError);
          break;
        case State.Length:
          i = this.readLength(chunk, i, onError);
          break;
        case State.Payload:
          i = this.readPayload(chunk, i, emit);
          break;
        case State.Skip: {
          const n = Math.min(this.remaining, chunk.length - i);
          this.counters.bytesDropped += n;
          this.remaining -= n;
          i += n;
          if (this.remaining === 0) this.state = State.Hunt;
          break;
        }
      }
    }
    this.streamOffset += chunk.length;
  }

  /** Forget any partial frame (e.g. after a reconnect). Counters are kept. */
  reset(): void {
    this.state = State.Hunt;
    this.inGarbage = false;
    this.assembly = undefined;
    this.assembled = 0;
    this.remaining = 0;
  }

  private hunt(chunk: Buffer, i: number, onError: (error: CotDecodeError) => void): number {
    const magicAt = chunk.indexOf(TAK_MAGIC, i);
    const garbageEnd = magicAt === -1 ? chunk.length : magicAt;
    if (garbageEnd > i) {
      if (!this.inGarbage) {
        this.inGarbage = true;
        this.fail(onError, 'bad-header', 'expected 0xBF at the start of a frame', this.streamOffset + i);
      }
      this.counters.bytesDropped += garbageEnd - i;
    }
    if (magicAt === -1) return chunk.length;
    this.inGarbage = false;
    this.state = State.Length;
    this.lengthValue = 0;
    this.lengthScale = 1;
    this.lengthBytes = 0;
    return magicAt + 1;
  }

  private readLength(chunk: Buffer, i: number, onError: (error: CotDecodeError) => void): number {
    while (i < chunk.length) {
      const byte = chunk[i++];
      this.lengthValue += (byte & 0x7f) * this.lengthScale;
      this.lengthScale *= 0x80;
      this.lengthBytes++;
      if (byte & 0x80) {
        if (this.lengthBytes >= MAX_VARINT_BYTES) {
          this.badHeader(onError, 'frame length varint is longer than 10 bytes', i);
          return i;
        }
        continue;
      }
      this.startPayload(this.lengthValue, onError, i);
      return i;
    }
    return i;
  }

  private startPayload(length: number, onError: (error: CotDecodeError) => void, i: number): void {
    const offset = this.streamOffset + i;
    if (length === 0) {
      this.badHeader(onError, 'frame length is 0', i);
    } else if (length > this.maxSkipBytes) {
      this.badHeader(onError, `frame length ${length} is not believable`, i);
    } else if (length > this.maxBytes) {
      this.counters.bytesDropped += 1 + this.lengthBytes;
      this.state = State.Skip;
      this.remaining = length;
      this.fail(onError, 'oversize', `frame of ${length} bytes exceeds the ${this.maxBytes}-byte limit; skipped`, offset);
    } else {
      this.state = State.Payload;
      this.remaining = length;
    }
  }

  private readPayload(chunk: Buffer, i: number, emit: (payload: Buffer) => void): number {
    const available = chunk.length - i;
    if (!this.assembly && available >= this.remaining) {
      const payload = chunk.subarray(i, i + this.remaining);
      this.deliver(payload, emit);
      return i + payload.length;
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
      this.deliver(payload, emit);
    }
    return i + n;
  }

  private deliver(payload: Buffer, emit: (payload: Buffer) => void): void {
    this.state = State.Hunt;
    this.remaining = 0;
    this.counters.frames++;
    emit(payload);
  }

  private badHeader(onError: (error: CotDecodeError) => void, message: string, i: number): void {
    this.counters.bytesDropped += 1 + this.lengthBytes;
    this.state = State.Hunt;
    // Junk that follows belongs to the same corruption: one error, not two.
    this.inGarbage = true;
    this.fail(onError, 'bad-header', message, this.streamOffset + i);
  }

  private fail(
    onError: (error: CotDecodeError) => void,
    reason: 'bad-header' | 'oversize',
    message: string,
    offset: number,
  ): void {
    if (reason === 'bad-header') this.counters.badHeader++;
    else this.counters.oversize++;
    onError(new CotDecodeError(reason, message, offset));
  }
}
