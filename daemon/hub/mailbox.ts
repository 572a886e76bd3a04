/**
 * Addressed events (direct and team chat, `<marti><dest>`) for a client that is not
 * connected, held until it connects and identifies itself. Keyed by `uid:…` or
 * `callsign:…`; bounded per key and in total, and stale events are never delivered.
 */
import type { CotEvent } from '../codec/event.js';

export interface MailboxLimits {
  perRecipient: number;
  total: number;
}

export class Mailbox {
  private readonly boxes = new Map<string, CotEvent[]>();
  private count = 0;
  readonly counters = { held: 0, delivered: 0, full: 0, expired: 0 };

  constructor(private readonly limits: MailboxLimits) {}

  get size(): number {
    return this.count;
  }

  get recipients(): number {
    return this.boxes.size;
  }

  /** Holds `event` for `key`; false (counted) when that box or the whole mailbox is full. */
  hold(key: string, event: CotEvent): boolean {
    let box = this.boxes.get(key);
    if (box !== undefined && box.some((held) => held === event)) return true;
    if (this.count >= this.limits.total || (box?.length ?? 0) >= this.limits.perRecipient) {
      this.counters.full += 1;
      return false;
    }
    if (box === undefined) {
      box = [];
      this.boxes.set(key, box);
    }
    box.push(event);
    this.count += 1;
    this.counters.held += 1;
    return true;
  }

  /** Takes what is held for any of `keys` (each event once, oldest first), dropping what went stale. */
  take(keys: string[], now: number): CotEvent[] {
    const out: CotEvent[] = [];
    const seen = new Set<CotEvent>();
    for (const key of keys) {
      const box = this.boxes.get(key);
      if (box === undefined) continue;
      this.boxes.delete(key);
      this.count -= box.length;
      for (const event of box) {
        if (seen.has(event)) continue;
        seen.add(event);
        if (event.stale <= now) this.counters.expired += 1;
        else out.push(event);
      }
    }
    out.sort((a, b) => a.time - b.time);
    this.counters.delivered += out.length;
    return out;
  }

  /** Forgets what went stale (held events of a client that never comes back). */
  expire(now: number): void {
    for (const [key, box] of this.boxes) {
      const live = box.filter((event) => event.stale > now);
      if (live.length === box.length) continue;
      this.counters.expired += box.length - live.length;
      this.count -= box.length - live.length;
      if (live.length === 0) this.boxes.delete(key);
      else this.boxes.set(key, live);
    }
  }
}
