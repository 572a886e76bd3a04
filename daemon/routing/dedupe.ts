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
import { FingerprintRing } from './fingerprint-ring.js';

export interface DedupeOptions {
  /** How long an event is remembered; default 30 s. */
  windowMs?: number;
  /** How many events are remembered at most; default 20,000. */
  maxEntries?: number;
}

export class Dedupe {
  private readonly print = new Fingerprinter();
  private readonly ring: FingerprintRing;
  /** When each ring slot's event is forgotten. */
  private readonly expires: Float64Array;
  private readonly windowMs: number;

  constructor(
    private readonly clock: Clock,
    options: DedupeOptions = {},
  ) {
    this.windowMs = options.windowMs ?? 30_000;
    const maxEntries = Math.max(1, options.maxEntries ?? 20_000);
    this.ring = new FingerprintRing(maxEntries);
    this.expires = new Float64Array(maxEntries);
  }

  get size(): number {
    return this.ring.count;
  }

  /** True the first time an event is offered within the window; false for a repeat. */
  firstSighting(event: CotEvent, now = this.clock.now()): boolean {
    const ring = this.ring;
    while (ring.count > 0 && this.expires[ring.head]! <= now) ring.dropOldest();
    const print = this.print;
    print.begin().string(event.uid).string(event.type).number(event.time).finish();
    if (ring.find(print.a, print.b) !== -1) return false;
    if (ring.count === ring.capacity) ring.dropOldest();
    this.expires[ring.push(print.a, print.b)] = now + this.windowMs;
    return true;
  }
}
