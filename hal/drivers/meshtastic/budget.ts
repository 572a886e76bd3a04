/**
 * Per-link airtime budget for what takd sends to the mesh (LoRa is slow and shared):
 * chat first, at most one chat per `chatIntervalMs`; PLIs at most one per `pliIntervalMs`,
 * only the newest PLI per uid is kept (an old position is worth nothing once a newer one
 * exists), oldest uid first. Both queues are bounded; what is dropped is counted.
 */
import type { OutboundPayload } from './outbound.js';

export interface AirtimeBudgetOptions {
  /** Default 30 000 (at most one PLI per 30 s). */
  pliIntervalMs?: number;
  /** Default 5 000. */
  chatIntervalMs?: number;
  maxQueuedChats?: number;
  maxQueuedPlis?: number;
}

export interface AirtimeCounters {
  offered: number;
  sent: number;
  /** A queued PLI replaced by a newer one of the same uid. */
  superseded: number;
  /** Dropped because a queue was full. */
  dropped: number;
}

export class AirtimeBudget {
  readonly counters: AirtimeCounters = { offered: 0, sent: 0, superseded: 0, dropped: 0 };
  private readonly chats: OutboundPayload[] = [];
  private readonly plis = new Map<string, OutboundPayload>();
  private lastPliAt = -Infinity;
  private lastChatAt = -Infinity;
  private readonly pliIntervalMs: number;
  private readonly chatIntervalMs: number;
  private readonly maxChats: number;
  private readonly maxPlis: number;

  constructor(options: AirtimeBudgetOptions = {}) {
    this.pliIntervalMs = options.pliIntervalMs ?? 30_000;
    this.chatIntervalMs = options.chatIntervalMs ?? 5_000;
    this.maxChats = options.maxQueuedChats ?? 16;
    this.maxPlis = options.maxQueuedPlis ?? 64;
  }

  offer(item: OutboundPayload): void {
    this.counters.offered++;
    if (item.kind === 'chat') {
      if (this.chats.length >= this.maxChats) {
        this.counters.dropped++;
        return;
      }
      this.chats.push(item);
      return;
    }
    if (this.plis.has(item.uid)) {
      this.counters.superseded++;
      this.plis.delete(item.uid); // re-inserted below, so it keeps its turn only if it was alone
    } else if (this.plis.size >= this.maxPlis) {
      this.counters.dropped++;
      return;
    }
    this.plis.set(item.uid, item);
  }

  /** What may go on air now, if anything; it is counted as sent. */
  next(now: number): OutboundPayload | undefined {
    if (this.chats.length > 0 && now - this.lastChatAt >= this.chatIntervalMs) {
      this.lastChatAt = now;
      this.counters.sent++;
      return this.chats.shift();
    }
    if (this.plis.size > 0 && now - this.lastPliAt >= this.pliIntervalMs) {
      const [uid, item] = this.plis.entries().next().value as [string, OutboundPayload];
      this.plis.delete(uid);
      this.lastPliAt = now;
      this.counters.sent++;
      return item;
    }
    return undefined;
  }

  get queued(): number {
    return this.chats.length + this.plis.size;
  }
}
