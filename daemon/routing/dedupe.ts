/**
 * Short-window de-duplication: the same event (uid + type + time) arriving over two paths
 * (mesh and server, two bridges) is forwarded once. Bounded both by age and by count; the
 * oldest entries go first (a Map iterates in insertion order).
 */
import type { CotEvent } from '../codec/event.js';
import type { Clock } from './clock.js';
import { detachedString } from './detached-string.js';
import { KeyedFifo } from './keyed-fifo.js';

export interface DedupeOptions {
  /** How long an event is remembered; default 30 s. */
  windowMs?: number;
  /** How many events are remembered at most; default 20,000. */
  maxEntries?: number;
}

export class Dedupe {
  /** Key → when it expires, oldest first. */
  private readonly seen = new KeyedFifo<number>();
  private readonly windowMs: number;
  private readonly maxEntries: number;

  constructor(
    private readonly clock: Clock,
    options: DedupeOptions = {},
  ) {
    this.windowMs = options.windowMs ?? 30_000;
    this.maxEntries = Math.max(1, options.maxEntries ?? 20_000);
  }

  get size(): number {
    return this.seen.size;
  }

  /** True the first time an event is offered within the window; false for a repeat. */
  firstSighting(event: CotEvent): boolean {
    const now = this.clock.now();
    this.expire(now);
    // Remembered for the window: a key of its own, not a view into the event's text (and
    // one flat string, hashed once for the lookup and the insert).
    const key = detachedString(`${event.uid}\u0000${event.type}\u0000${event.time}`);
    if (this.seen.has(key)) return false;
    if (this.seen.size >= this.maxEntries) this.seen.deleteOldest();
    this.seen.set(key, now + this.windowMs);
    return true;
  }

  private expire(now: number): void {
    for (let expires = this.seen.oldestValue(); expires !== undefined && expires <= now; expires = this.seen.oldestValue()) {
      this.seen.deleteOldest();
    }
  }
}
