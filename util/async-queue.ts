/**
 * A single-consumer async queue: producers push synchronously, one `for await` consumes,
 * on a RingFifo. When full it drops the oldest item and counts it (a stale GPS fix or AIS
 * report is worth less than a fresh one), so a stalled consumer never grows memory. A queue
 * that bounds itself some other way (bytes, with pause and resume: hal/links/chunk-queue.ts)
 * passes `capacity: Infinity` and watches what the consumer takes with `onTake`.
 */
import { RingFifo } from './ring-fifo.js';

export interface AsyncQueueOptions<T> {
  /** Items held at most; past it the oldest is dropped (counted in `dropped`). Default 1024. */
  capacity?: number;
  /** Called with each item as the consumer takes it, before the consumer sees it. */
  onTake?: (item: T) => void;
  /** The error a second iteration throws. */
  iteratedTwice?: () => Error;
}

export class AsyncQueue<T> implements AsyncIterable<T> {
  /** Items dropped, oldest first, because the queue was full. */
  dropped = 0;
  private readonly items: RingFifo<T>;
  private readonly onTake: ((item: T) => void) | undefined;
  private readonly iteratedTwice: () => Error;
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private iterated = false;

  constructor(capacityOrOptions: number | AsyncQueueOptions<T> = {}) {
    const options = typeof capacityOrOptions === 'number' ? { capacity: capacityOrOptions } : capacityOrOptions;
    this.items = new RingFifo<T>(options.capacity ?? 1024);
    this.onTake = options.onTake;
    this.iteratedTwice = options.iteratedTwice ?? (() => new Error('this queue may be iterated once'));
  }

  /** Items waiting for the consumer. */
  get length(): number {
    return this.items.length;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Queues `item` (ignored once ended); when full, the oldest is dropped and counted. */
  push(item: T): void {
    if (this.ended) return;
    if (this.items.pushDroppingOldest(item)) this.dropped++;
    this.notify();
  }

  /** Ends the iteration after the queued items: normally, or by throwing `error`. The first call wins. */
  end(error?: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = error;
    this.notify();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    if (this.iterated) throw this.iteratedTwice();
    this.iterated = true;
    for (;;) {
      if (this.items.length > 0) {
        const item = this.items.shift() as T;
        this.onTake?.(item);
        yield item;
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
