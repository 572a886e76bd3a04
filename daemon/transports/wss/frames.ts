/**
 * TAK protocol v1 stream frames in WebSocket messages (tak-server-api.md §5): each binary
 * message carries exactly one frame, 0xBF varint(length) TakMessage.
 *
 * The write queue hands a sink several encoded frames joined in one buffer; `MessageSink`
 * splits them again and sends one message per frame, and offers the queue the `drain` /
 * `writableLength` it uses for back-pressure.
 */
import type { ByteSink } from '../write-queue.js';

/** The part of a `ws` WebSocket the sink uses. */
export interface MessageSocket {
  send(data: Buffer, options: { binary: boolean }, callback?: (error?: Error) => void): void;
  readonly bufferedAmount: number;
}

/** Splits joined stream frames; a tail that is not a whole frame is returned as one piece. */
export function splitStreamFrames(bytes: Buffer): Buffer[] {
  const frames: Buffer[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    let end = frameEnd(bytes, offset);
    if (end === undefined || end > bytes.length) end = bytes.length;
    frames.push(bytes.subarray(offset, end));
    offset = end;
  }
  return frames;
}

/** The offset just past the frame starting at `offset`, or undefined when that is not a frame start. */
function frameEnd(bytes: Buffer, offset: number): number | undefined {
  if (bytes[offset] !== 0xbf) return undefined;
  let length = 0;
  let shift = 0;
  for (let i = offset + 1; i < bytes.length && shift <= 28; i++) {
    const byte = bytes[i] as number;
    length += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return i + 1 + length;
  }
  return undefined;
}

/** Keep sending until this much waits in the socket, then wait for the sends to complete. */
const HIGH_WATER_BYTES = 256 * 1024;

export class MessageSink implements ByteSink {
  private drainListener: (() => void) | undefined;

  constructor(private readonly socket: MessageSocket) {}

  get writableLength(): number {
    return this.socket.bufferedAmount;
  }

  write(chunk: Buffer | string, encoding: BufferEncoding, callback: (error?: Error | null) => void): boolean {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
    const frames = splitStreamFrames(bytes);
    frames.forEach((frame, index) => {
      const last = index === frames.length - 1;
      this.socket.send(frame, { binary: true }, (error) => {
        if (last) callback(error ?? null);
        this.maybeDrain();
      });
    });
    if (frames.length === 0) callback(null);
    return this.socket.bufferedAmount < HIGH_WATER_BYTES;
  }

  once(_event: 'drain', listener: () => void): this {
    this.drainListener = listener;
    return this;
  }

  removeListener(_event: 'drain', listener: () => void): this {
    if (this.drainListener === listener) this.drainListener = undefined;
    return this;
  }

  private maybeDrain(): void {
    const listener = this.drainListener;
    if (listener === undefined || this.socket.bufferedAmount >= HIGH_WATER_BYTES / 2) return;
    this.drainListener = undefined;
    listener();
  }
}
