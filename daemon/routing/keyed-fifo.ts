/**
 * A Map that also knows its oldest entry, found and removed in O(1).
 *
 * Why not a plain Map and `map.keys().next()`: V8 leaves a hole for every deleted entry
 * until the table is rebuilt, and iteration starts at the front, so a Map used as a FIFO
 * (delete the oldest, add the newest) walks over thousands of holes per lookup under load.
 * Here the order lives in an array of keys with a moving head; a key deleted out of order
 * leaves a stale slot that is skipped, and the array is compacted before stale slots can
 * outnumber live ones.
 */
interface Entry<V> {
  value: V;
  /** Absolute position of this key's slot in the order (base + index). */
  slot: number;
}

export class KeyedFifo<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private order: string[] = [];
  private head = 0;
  /** Absolute position of order[0]. */
  private base = 0;

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    return this.entries.get(key)?.value;
  }

  /** A new key goes to the back; an existing key keeps its place and takes the new value. */
  set(key: string, value: V): void {
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      entry.value = value;
      return;
    }
    this.entries.set(key, { value, slot: this.base + this.order.length });
    this.order.push(key);
  }

  delete(key: string): void {
    if (this.entries.delete(key)) this.compactIfSparse();
  }

  /** The key that has been in longest, or undefined when empty. */
  oldestKey(): string | undefined {
    const { order, entries } = this;
    while (this.head < order.length) {
      const key = order[this.head] as string;
      if (entries.get(key)?.slot === this.base + this.head) return key;
      this.head += 1; // a stale slot: the key was deleted, or deleted and added again later
    }
    return undefined;
  }

  deleteOldest(): void {
    const key = this.oldestKey();
    if (key === undefined) return;
    this.entries.delete(key);
    this.head += 1;
    this.compactIfSparse();
  }

  /** Keeps the order array within about twice the live entries (plus a little slack). */
  private compactIfSparse(): void {
    const length = this.order.length;
    const consumedMostly = this.head >= 1024 && this.head * 2 >= length;
    if (!consumedMostly && length - this.head <= 2 * this.entries.size + 64) return;
    const live: string[] = [];
    const newBase = this.base + this.order.length;
    for (let i = this.head; i < this.order.length; i++) {
      const key = this.order[i] as string;
      const entry = this.entries.get(key);
      if (entry?.slot === this.base + i) {
        entry.slot = newBase + live.length;
        live.push(key);
      }
    }
    this.order = live;
    this.head = 0;
    this.base = newBase;
  }
}
