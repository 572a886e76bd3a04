/**
 * FingerprintIndex: first hash (a 30-bit fingerprint half, fingerprint.ts) → ring slot, for
 * the router's fixed-size rings (dedupe, the destination book).
 *
 * An open-addressing table in two typed arrays, sized once for the ring's capacity (at
 * most two thirds full), with linear probing and backward-shift deletion (no tombstones). A Map
 * did the same job, but under a flood of new uids it rehashed again and again and grew
 * to 1.8 MB for 20,000 entries (its old and new tables briefly both alive); this table
 * is 8 bytes a place, 1.5 to 3 places an entry, allocated once, and never traced by the GC.
 */
const EMPTY = -1;

export class FingerprintIndex {
  private readonly keys: Int32Array;
  private readonly slots: Int32Array;
  private readonly mask: number;

  /** `capacity`: entries held at most (the ring's size). */
  constructor(capacity: number) {
    let size = 8;
    while (size < capacity * 1.5) size *= 2;
    this.keys = new Int32Array(size).fill(EMPTY);
    this.slots = new Int32Array(size);
    this.mask = size - 1;
  }

  /** The slot stored for `hash` (0 ≤ hash < 2^30), or -1. */
  get(hash: number): number {
    const keys = this.keys;
    for (let at = hash & this.mask; ; at = (at + 1) & this.mask) {
      const key = keys[at]!;
      if (key === hash) return this.slots[at]!;
      if (key === EMPTY) return -1;
    }
  }

  /** Stores (or replaces) the slot for `hash`. The caller keeps within the capacity. */
  set(hash: number, slot: number): void {
    const keys = this.keys;
    let at = hash & this.mask;
    for (; keys[at] !== EMPTY && keys[at] !== hash; at = (at + 1) & this.mask);
    keys[at] = hash;
    this.slots[at] = slot;
  }

  /** Removes `hash` if it is stored with exactly `slot` (a newer entry may own it now). */
  deleteIfSlot(hash: number, slot: number): void {
    const keys = this.keys;
    const mask = this.mask;
    let at = hash & mask;
    for (; keys[at] !== hash; at = (at + 1) & mask) if (keys[at] === EMPTY) return;
    if (this.slots[at] !== slot) return;
    // Backward-shift deletion: move later entries of the probe run into the hole when
    // their home position does not lie (cyclically) after the hole.
    let hole = at;
    for (let next = (hole + 1) & mask; keys[next] !== EMPTY; next = (next + 1) & mask) {
      const home = keys[next]! & mask;
      const homeAfterHole = hole <= next ? home > hole && home <= next : home > hole || home <= next;
      if (homeAfterHole) continue;
      keys[hole] = keys[next]!;
      this.slots[hole] = this.slots[next]!;
      hole = next;
    }
    keys[hole] = EMPTY;
  }
}
