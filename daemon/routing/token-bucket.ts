/**
 * A link's budget: bytes per second and events per minute, each a token bucket that
 * refills continuously up to its burst. An event goes when both buckets hold enough.
 */
import type { RateLimit } from '../../config/routing-values.js';
import type { Clock } from './clock.js';

export type { RateLimit };

class Bucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly perMs: number,
    readonly capacity: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.updatedAt = now;
  }

  refill(now: number): number {
    if (now > this.updatedAt) {
      this.tokens = Math.min(this.capacity, this.tokens + (now - this.updatedAt) * this.perMs);
      this.updatedAt = now;
    }
    return this.tokens;
  }

  take(amount: number): void {
    this.tokens -= amount;
  }

  /** Milliseconds until `amount` tokens are there (0 if they are). */
  waitFor(amount: number, now: number): number {
    const missing = amount - this.refill(now);
    return missing <= 0 ? 0 : Math.ceil(missing / this.perMs);
  }
}

export class TokenBucket {
  private readonly bytes: Bucket | undefined;
  private readonly events: Bucket | undefined;

  constructor(
    limit: RateLimit,
    private readonly clock: Clock,
  ) {
    const now = clock.now();
    if (limit.bytesPerSecond !== undefined) {
      this.bytes = new Bucket(limit.bytesPerSecond / 1000, limit.burstBytes ?? limit.bytesPerSecond, now);
    }
    if (limit.eventsPerMinute !== undefined) {
      const burst = limit.burstEvents ?? Math.max(1, Math.floor(limit.eventsPerMinute / 12));
      this.events = new Bucket(limit.eventsPerMinute / 60_000, burst, now);
    }
  }

  /** The largest event that can ever pass (bytes). */
  get maxBytes(): number {
    return this.bytes?.capacity ?? Infinity;
  }

  /** Takes the tokens for one event of `size` bytes if both buckets allow; else false. */
  tryTake(size: number): boolean {
    if (this.bytes === undefined && this.events === undefined) return true; // no budget: no clock read
    const now = this.clock.now();
    if (this.bytes && this.bytes.refill(now) < size) return false;
    if (this.events && this.events.refill(now) < 1) return false;
    this.bytes?.take(size);
    this.events?.take(1);
    return true;
  }

  /** Milliseconds until an event of `size` bytes could pass. */
  waitMs(size: number): number {
    const now = this.clock.now();
    return Math.max(this.bytes?.waitFor(size, now) ?? 0, this.events?.waitFor(1, now) ?? 0);
  }
}
