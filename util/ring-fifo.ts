/**
 * The FIFO every queue in takd is built on: a ring buffer, so taking from the front is O(1)
 * (an array's `shift()` moves every element), with an explicit choice of what a full queue
 * does — the caller says it at each push:
 * - `pushOrRefuse` keeps what is queued and refuses the newcomer (false);
 * - `pushDroppingOldest` makes room by dropping the oldest item (true when it did), for
 *   data where the newest is worth most (position reports, fixes).
 *
 * The backing array starts small and doubles up to `limit` (Infinity: unbounded, for a
 * queue whose producer bounds itself some other way), so a large limit costs nothing
 * until it is used.
 */
export class RingFifo<T> {
  private slots: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(readonly limit = Infinity) {
    if (!(limit >= 1)) throw new RangeError(`a FIFO holds at least one item, not ${limit}`);
    this.slots = new Array<T | undefined>(Math.min(limit, 16));
  }

  get length(): number {
    return this.count;
  }

  /** Items the backing array has room for now (it grows with what waits, up to the limit). */
  get capacity(): number {
    return this.slots.length;
  }

  get isFull(): boolean {
    return this.count >= this.limit;
  }

  /** Adds `item` at the back; when full, refuses it and returns false. */
  pushOrRefuse(item: T): boolean {
    if (this.count >= this.limit) return false;
    this.append(item);
    return true;
  }

  /** Adds `item` at the back; when full, first drops the oldest item and returns true. */
  pushDroppingOldest(item: T): boolean {
    const full = this.count >= this.limit;
    if (full) this.shift();
    this.append(item);
    return full;
  }

  /** The oldest item, left in place; undefined when empty. */
  peek(): T | undefined {
    return this.count === 0 ? undefined : this.slots[this.head];
  }

  /** Takes the oldest item; undefined when empty. */
  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const slots = this.slots;
    const item = slots[this.head];
    slots[this.head] = undefined; // no reference kept to what left
    this.head = this.head + 1 === slots.length ? 0 : this.head + 1;
    this.count -= 1;
    return item;
  }

  /**
   * Puts `items` in front of what waits, items[0] first out. Not bounded by the limit:
   * they are items that had left the queue and come back (a connection that died before
   * writing them).
   */
  unshiftAll(items: readonly T[]): void {
    if (this.count + items.length > this.slots.length) this.resize(Math.max(this.count + items.length, this.slots.length * 2));
    const slots = this.slots;
    for (let i = items.length - 1; i >= 0; i--) {
      this.head = this.head === 0 ? slots.length - 1 : this.head - 1;
      slots[this.head] = items[i];
      this.count += 1;
    }
  }

  clear(): void {
    this.slots.fill(undefined);
    this.head = 0;
    this.count = 0;
  }

  private append(item: T): void {
    if (this.count === this.slots.length) this.grow();
    const slots = this.slots;
    const tail = this.head + this.count;
    slots[tail < slots.length ? tail : tail - slots.length] = item;
    this.count += 1;
  }

  /** Doubles the backing array (never past the limit), oldest item first. */
  private grow(): void {
    this.resize(Math.min(this.limit, this.slots.length * 2));
  }

  private resize(size: number): void {
    const old = this.slots;
    const slots = new Array<T | undefined>(size);
    for (let i = 0; i < this.count; i++) {
      const from = this.head + i;
      slots[i] = old[from < old.length ? from : from - old.length];
    }
    this.slots = slots;
    this.head = 0;
  }
}
