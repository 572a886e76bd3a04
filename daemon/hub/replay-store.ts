/**
 * What a client gets at once when it identifies itself (SA replay): the newest event per
 * uid of the positions and persistent items (markers, shapes, routes, emergencies) the hub
 * has seen, until each goes stale or reaches the time-to-live. Never chat or control, never
 * an addressed (`<marti><dest>`) event: those are private to their addressees.
 *
 * Bounded by count and by (estimated) bytes; the least recently updated entry goes first,
 * and every eviction is counted.
 */
import type { CotEvent } from '../codec/event.js';
import { classifyLane } from '../routing/lane.js';

export interface ReplayStoreLimits {
  ttlMs: number;
  maxEntries: number;
  maxBytes: number;
}

interface Entry {
  event: CotEvent;
  bytes: number;
  /** Until when it is replayed: the sooner of stale and stored + ttl. */
  until: number;
  /** Where it came from: a hub client's uid (never replayed to it), or undefined. */
  ownerUid: string | undefined;
  /** 'hub' (a hub client sent it) and/or the listeners the router sent it to. */
  via: Set<string>;
  /** When it was stored, in `ReplayStore.sequence`. */
  seq: number;
}

export class ReplayStore {
  private readonly entries = new Map<string, Entry>();
  private totalBytes = 0;
  private seq = 0;
  /** Where eviction goes on from (see evict). */
  private oldest: MapIterator<string> | undefined;
  readonly counters = { stored: 0, evicted: 0, expired: 0, deleted: 0 };

  constructor(private readonly limits: ReplayStoreLimits) {}

  get size(): number {
    return this.entries.size;
  }

  /** Goes up with every event stored: a client that joined at sequence N got what came after live. */
  get sequence(): number {
    return this.seq;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  /** Keeps `event` when it is worth replaying; `t-x-d-d` forgets the item it names. */
  offer(event: CotEvent, via: string, ownerUid: string | undefined, now: number, addressed: boolean): void {
    if (event.type === 't-x-d-d') {
      const target = /<link\b[^>]*\buid\s*=\s*["']([^"']+)["']/.exec(event.xmlDetail ?? '')?.[1];
      if (target !== undefined && this.remove(target)) this.counters.deleted += 1;
      return;
    }
    if (addressed || !replayable(event)) return;
    const until = Math.min(event.stale, now + this.limits.ttlMs);
    if (until <= now) return;
    const previous = this.entries.get(event.uid);
    // An older report arriving late does not replace a newer one.
    if (previous !== undefined && previous.event.time > event.time) return;
    const sameEvent = previous !== undefined && previous.event.time === event.time && previous.event.type === event.type;
    const viaSet = sameEvent ? previous.via : new Set<string>();
    viaSet.add(via);
    if (previous !== undefined) this.remove(event.uid);
    const bytes = estimateBytes(event);
    this.entries.set(event.uid, { event, bytes, until, ownerUid: ownerUid ?? (sameEvent ? previous.ownerUid : undefined), via: viaSet, seq: ++this.seq });
    this.totalBytes += bytes;
    this.counters.stored += 1;
    this.evict();
  }

  /**
   * The live entries a client on `listener` may see, positions first; never those of
   * `ownUid`, nor those stored after `joinedAt` (a `sequence`): it had them live.
   */
  replayFor(listener: string, ownUid: string, joinedAt: number, now: number): CotEvent[] {
    this.expire(now);
    const positions: CotEvent[] = [];
    const others: CotEvent[] = [];
    for (const entry of this.entries.values()) {
      if (entry.seq > joinedAt || entry.event.uid === ownUid || entry.ownerUid === ownUid) continue;
      if (!entry.via.has('hub') && !entry.via.has(listener)) continue;
      (classifyLane(entry.event) === 'pli' ? positions : others).push(entry.event);
    }
    return [...positions, ...others];
  }

  expire(now: number): void {
    // forEach: runs every second; no [uid, entry] pair allocated per entry.
    this.entries.forEach((entry, uid) => {
      if (entry.until > now) return;
      this.remove(uid);
      this.counters.expired += 1;
    });
  }

  private remove(uid: string): boolean {
    const entry = this.entries.get(uid);
    if (entry === undefined) return false;
    this.entries.delete(uid);
    this.totalBytes -= entry.bytes;
    return true;
  }

  /**
   * The least recently updated go first, while over a bound. One live iterator walks the map
   * from its oldest end (entries are only ever appended there): a fresh `keys().next()` per
   * eviction walked every deleted slot before the first live one, which made a stream of
   * new uids cost time in proportion to the map's size for every event stored.
   */
  private evict(): void {
    while (this.entries.size > this.limits.maxEntries || (this.totalBytes > this.limits.maxBytes && this.entries.size > 0)) {
      let next = this.oldest?.next();
      if (next === undefined || next.done === true) {
        this.oldest = this.entries.keys();
        next = this.oldest.next();
      }
      this.remove(next.value as string);
      this.counters.evicted += 1;
    }
  }

}

/** Positions and persistent items: not chat, not control, not a file-transfer request or tasking to someone. */
export function replayable(event: CotEvent): boolean {
  const lane = classifyLane(event);
  if (lane === 'control' || lane === 'chat') return false;
  if (event.type.startsWith('t-') || event.type.startsWith('b-f-t')) return false;
  return true;
}

/** Bytes an event takes in XML, near enough for a memory bound without encoding it. */
export function estimateBytes(event: CotEvent): number {
  return 320 + event.uid.length + event.type.length + (event.xmlDetail?.length ?? 0) + (event.contact?.callsign.length ?? 0);
}
