/**
 * Meshtastic stream-API framer (serial 115200 and TCP 4403): `0x94 0xC3`, a big-endian
 * 16-bit length N ≤ 512, then N bytes of one protobuf (FromRadio from the radio).
 *
 * - Outside a frame, bytes are the firmware's console text: collected into lines (CR
 *   dropped, split at LF, at most 256 bytes a line) and handed to `onDebugLine`, never to the
 *   data path.
 * - `0x94` not followed by `0xC3` is not ours (recent firmware also uses `0x94 0xA5`): the
 *   0x94 is dropped and the next byte is looked at afresh.
 * - A header announcing more than 512 bytes is dropped (counted) and the hunt restarts.
 * - No CRC and no escaping, so a payload that does not decode is the decoder's business.
 * - Memory: one 512-byte frame buffer and one 256-byte line buffer. Never throws on input.
 */
import type { Framer, FramerCounters } from '../contract.js';

export const START1 = 0x94;
export const START2 = 0xc3;
export const MAX_FRAME_PAYLOAD = 512;
const MAX_DEBUG_LINE = 256;

export interface MeshtasticFramerCounters extends FramerCounters {
  /** Console text lines routed to the debug log. */
  debugLines: number;
}

export class MeshtasticFramer implements Framer<Buffer> {
  readonly counters: MeshtasticFramerCounters = { frames: 0, bytesDropped: 0, badChecksum: 0, oversize: 0, debugLines: 0 };
  private readonly payload = Buffer.alloc(MAX_FRAME_PAYLOAD);
  private readonly line = Buffer.alloc(MAX_DEBUG_LINE);
  private lineLength = 0;
  /** 0 hunting, 1 after START1, 2–3 length bytes, 4 payload. */
  private state = 0;
  private length = 0;
  private received = 0;

  constructor(private readonly onDebugLine: (line: string) => void = () => undefined) {}

  push(chunk: Buffer, emit: (frame: Buffer) => void): void {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      switch (this.state) {
        case 0:
          if (byte === START1) this.state = 1;
          else this.text(byte);
          break;
        case 1:
          if (byte === START2) {
            this.state = 2;
          } else {
            this.counters.bytesDropped++; // the lone 0x94
            this.state = 0;
            i--; // look at this byte again from the hunting state
          }
          break;
        case 2:
          this.length = byte << 8;
          this.state = 3;
          break;
        case 3:
          this.length |= byte;
          if (this.length > MAX_FRAME_PAYLOAD) {
            this.counters.oversize++;
            this.counters.bytesDropped += 4;
            this.state = 0;
          } else if (this.length === 0) {
            this.deliver(emit);
          } else {
            this.received = 0;
            this.state = 4;
          }
          break;
        default: {
          const take = Math.min(this.length - this.received, chunk.length - i);
          chunk.copy(this.payload, this.received, i, i + take);
          this.received += take;
          i += take - 1;
          if (this.received === this.length) this.deliver(emit);
        }
      }
    }
  }

  reset(): void {
    if (this.state !== 0) this.counters.bytesDropped += this.state === 4 ? 4 + this.received : this.state;
    this.state = 0;
    this.received = 0;
    this.lineLength = 0;
  }

  private deliver(emit: (frame: Buffer) => void): void {
    this.state = 0;
    this.counters.frames++;
    emit(this.payload.subarray(0, this.length));
  }

  private text(byte: number): void {
    if (byte === 0x0d) return;
    if (byte === 0x0a || this.lineLength === MAX_DEBUG_LINE) {
      if (this.lineLength > 0) {
        this.counters.debugLines++;
        this.onDebugLine(this.line.toString('utf8', 0, this.lineLength));
      }
      this.lineLength = 0;
      if (byte === 0x0a) return;
    }
    this.line[this.lineLength++] = byte;
  }
}

/** One stream frame around a ToRadio (or FromRadio) payload. Throws if it is over 512 bytes (our own encoder's bug, not input). */
export function meshtasticFrame(payload: Uint8Array): Buffer {
  if (payload.length > MAX_FRAME_PAYLOAD) throw new RangeError(`meshtastic frame payload ${payload.length} > ${MAX_FRAME_PAYLOAD}`);
  const frame = Buffer.allocUnsafe(4 + payload.length);
  frame[0] = START1;
  frame[1] = START2;
  frame.writeUInt16BE(payload.length, 2);
  frame.set(payload, 4);
  return frame;
}

/** The wake/resync sequence: 32 × START2 (never START1, so a radio mid-frame resyncs). */
export const MESHTASTIC_WAKE = Buffer.alloc(32, START2);
