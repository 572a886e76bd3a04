// A single-consumer async queue of byte chunks between an event-driven device handle and
// the `for await` of ByteLink.chunks(). Bounded: past `highWaterBytes` it asks the producer
// to pause (and to resume once drained), so a slow consumer never grows memory.
import { HalLinkError } from './errors.js';

export interface ChunkQueueHooks {
  pause?(): void;
  resume?(): void;
}

export class ChunkQueue implements AsyncIterable<Buffer> {
  private readonly chunks: Buffer[] = [];
  private queuedBytes = 0;
  private paused = false;
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private iterated = false;

  constructor(
    private readonly hooks: ChunkQueueHooks = {},
    private readonly highWaterBytes = 1 << 20,
  ) {}

  /** Bytes waiting for the consumer (a link that cannot pause its sender drops above a bound). */
  get bytesQueued(): number {
    return this.queuedBytes;
  }

  push(chunk: Buffer): void {
    if (this.ended || chunk.length === 0) return;
    this.chunks.push(chunk);
    this.queuedBytes += chunk.length;
    if (!this.paused && this.queuedBytes > this.highWaterBytes && this.hooks.pause) {
      this.paused = true;
      this.hooks.pause();
    }
    this.notify();
  }

  /** Ends the iteration after the queued chunks: normally, or by throwing `error`. */
  end(error?: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = error;
    this.notify();
  }

  get isEnded(): boolean {
    return this.ended;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    if (this.iterated) throw new HalLinkError('canceled', 'chunks() may be iterated once');
    this.iterated = true;
    for (;;) {
      const chunk = this.chunks.shift();
      if (chunk !== undefined) {
        this.queuedBytes -= chunk.length;
        if (this.paused && this.queuedBytes <= this.highWaterBytes / 2) {
          this.paused = false;
          this.hooks.resume?.();
        }
        yield chunk;
        continue;
      }
      if (this.ended) {
        if (this.failure) throw this.failure;
        return;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
