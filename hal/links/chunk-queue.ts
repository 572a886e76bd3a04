// A single-consumer async queue of byte chunks between an event-driven device handle and
// the `for await` of ByteLink.chunks(). Bounded in bytes rather than chunks: past
// `highWaterBytes` it asks the producer to pause (and to resume once half drained), so a
// slow consumer never grows memory and nothing is dropped. The queueing itself is
// util/async-queue.ts, unbounded in count.
import { AsyncQueue } from '../../util/async-queue.js';
import { HalLinkError } from './errors.js';

export interface ChunkQueueHooks {
  pause?(): void;
  resume?(): void;
}

export class ChunkQueue implements AsyncIterable<Buffer> {
  private readonly queue: AsyncQueue<Buffer>;
  private queuedBytes = 0;
  private paused = false;

  constructor(
    private readonly hooks: ChunkQueueHooks = {},
    private readonly highWaterBytes = 1 << 20,
  ) {
    this.queue = new AsyncQueue<Buffer>({
      capacity: Infinity,
      onTake: (chunk) => this.taken(chunk),
      iteratedTwice: () => new HalLinkError('canceled', 'chunks() may be iterated once'),
    });
  }

  /** Bytes waiting for the consumer (a link that cannot pause its sender drops above a bound). */
  get bytesQueued(): number {
    return this.queuedBytes;
  }

  push(chunk: Buffer): void {
    if (this.queue.isEnded || chunk.length === 0) return;
    this.queuedBytes += chunk.length;
    if (!this.paused && this.queuedBytes > this.highWaterBytes && this.hooks.pause) {
      this.paused = true;
      this.hooks.pause();
    }
    this.queue.push(chunk);
  }

  /** Ends the iteration after the queued chunks: normally, or by throwing `error`. */
  end(error?: Error): void {
    this.queue.end(error);
  }

  get isEnded(): boolean {
    return this.queue.isEnded;
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    return this.queue[Symbol.asyncIterator]();
  }

  private taken(chunk: Buffer): void {
    this.queuedBytes -= chunk.length;
    if (this.paused && this.queuedBytes <= this.highWaterBytes / 2) {
      this.paused = false;
      this.hooks.resume?.();
    }
  }
}
