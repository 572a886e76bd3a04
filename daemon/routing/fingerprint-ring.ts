/**
 * FingerprintRing: a fixed-size ring of 60-bit fingerprints (fingerprint.ts), oldest at
 * `head`, with an index from the first hash to the newest slot holding it. The router's
 * short-term memories (dedupe, the destination book) keep their own per-slot data in
 * arrays of the same capacity, indexed by the slots this hands out.
 */
import { FingerprintIndex } from './fingerprint-index.js';

export class FingerprintRing {
  /** Slot of the oldest entry. */
  head = 0;
  /** Entries held (at most `capacity`). */
  count = 0;
  private readonly firstHash: Int32Array;
  private readonly secondHash: Int32Array;
  /** First hash → slot of the newest entry with it. */
  private readonly slotOf: FingerprintIndex;

  constructor(readonly capacity: number) {
    this.firstHash = new Int32Array(capacity);
    this.secondHash = new Int32Array(capacity);
    this.slotOf = new FingerprintIndex(capacity);
  }

  /** The slot of the newest entry with this fingerprint, or -1. */
  find(a: number, b: number): number {
    const slot = this.slotOf.get(a);
    return slot !== -1 && this.secondHash[slot] === b ? slot : -1;
  }

  /** Adds a fingerprint at the newest end and returns its slot; call dropOldest first when full. */
  push(a: number, b: number): number {
    const slot = (this.head + this.count) % this.capacity;
    this.firstHash[slot] = a;
    this.secondHash[slot] = b;
    this.slotOf.set(a, slot);
    this.count += 1;
    return slot;
  }

  /** Forgets the oldest entry (count > 0). */
  dropOldest(): void {
    const head = this.head;
    // A newer entry with the same first hash may own the index entry now: leave it.
    this.slotOf.deleteIfSlot(this.firstHash[head]!, head);
    this.head = (head + 1) % this.capacity;
    this.count -= 1;
  }
}
