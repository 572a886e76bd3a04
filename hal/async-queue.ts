// A bounded single-consumer async queue: producers push synchronously, one `for await`
// consumes. When full it drops the oldest item and counts it (a stale GPS fix or AIS report
// is worth less than a fresh one), so a stalled consumer never grows memory.
export class AsyncQueue<T> implements AsyncIterable<T> {
  dropped = 0;
  private readonly items: T[] = [];
  private ended = false;
  private wake: (() => void) | undefined;
  private iterated = false;

  constructor(private readonly capacity = 1024) {}

  push(item: T): void {
    if (this.ended) return;
    if (this.items.length >= this.capacity) {
      this.items.shift();
      this.dropped++;
    }
    this.items.push(item);
    this.notify();
  }

  end(): void {
    this.ended = true;
    this.notify();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    if (this.iterated) throw new Error('this queue may be iterated once');
    this.iterated = true;
    for (;;) {
      if (this.items.length > 0) {
        yield this.items.shift() as T;
        continue;
      }
      if (this.ended) return;
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
