/**
 * Short-window de-duplication: the same event (uid + type + time) arriving over two paths
 * (mesh and server, two bridges) is forwarded once. Bounded both by age and by count; the
 * oldest entries go first.
 *
 * Events are remembered by a 60-bit fingerprint (fingerprint.ts), not by a string key:
 * under a flood a string per event was most of the router's allocation and kept
 * megabytes alive (a sliced uid kept its whole event's text alive). Two
 * different events are taken for one only if both hashes collide: about one in 2^60 per
 * pair, so among 20,000 remembered events less than once in 10^13 lookups. The cost of
 * the opposite mistake, a duplicate let through when the first hash alone collides, is a
 * repeated event that receivers de-duplicate anyway.
 */
import type { CotEvent } from '../codec/event.js';
import type { Clock } from './clock.js';
import { Fingerprinter } from './fingerprint.js';
import { FingerprintIndex } from './fingerprint-index.js';

export interface DedupeOptions {
  /** How long an event is remembered; default 30 s. */
  windowMs?: number;
  /** How many events are remembered at most; default 20,000. */
  maxEntries?: number;
}

export class Dedupe {
  private readonly print = new Fingerprinter();
  /** First hash → ring slot of the newest event with it. */
  private readonly slotOf: FingerprintIndex;
  /** The ring, oldest at `head`: both hashes and the expiry of each remembered event. */
  private readonly firstHash: Int32Array;
  private readonly secondHash: Int32Array;
  private readonly expires: Float64Array;
  private head = 0;
  private count = 0;
  private readonly windowMs: number;
  private readonly maxEntries: number;

  constructor(
    private readonly clock: Clock,
    options: DedupeOptions = {},
  ) {
    this.windowMs = options.windowMs ?? 30_000;
    this.maxEntries = Math.max(1, options.maxEntries ?? 20_000);
    this.firstHash = new Int32Array(this.maxEntries);
    this.secondHash = new Int32Array(this.maxEntries);
    this.expires = new Float64Array(this.maxEntries);
    this.slotOf = new FingerprintIndex(this.maxEntries);
  }

  get size(): number {
    return this.count;
  }

  /** True the first time an event is offered within the window; false for a repeat. */
  firstSighting(event: CotEvent, now = this.clock.now()): boolean {
    while (this.count > 0 && this.expires[this.head]! <= now) this.dropOldest();
    const print = this.print;
    print.begin().string(event.uid).string(event.type).number(event.time).finish();
    const hashA = print.a;
    const hashB = print.b;
    const slot = this.slotOf.get(hashA);
    if (slot !== -1 && this.secondHash[slot] === hashB) return false;
    if (this.count === this.maxEntries) this.dropOldest();
    const at = (this.head + this.count) % this.maxEntries;
    this.firstHash[at] = hashA;
    this.secondHash[at] = hashB;
    this.expires[at] = now + this.windowMs;
    this.slotOf.set(hashA, at);
    this.count += 1;
    return true;
  }

  private dropOldest(): void {
    const head = this.head;
    const hash = this.firstHash[head]!;
    // A newer event with the same first hash may own the index entry now: leave it.
    this.slotOf.deleteIfSlot(hash, head);
    this.head = (head + 1) % this.maxEntries;
    this.count -= 1;
  }
}
