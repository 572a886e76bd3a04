/**
 * What waits for one hub client, in front of its connection's write queue: bounded by
 * events and by (estimated) bytes, with positions coalesced per uid (a newer PLI of a uid
 * still waiting replaces the older one in place). When full the oldest event is dropped and
 * counted; the hub closes a client whose queue stays full past its stall timeout.
 *
 * Only a few events at a time are handed to the connection's own queue, so what a slow
 * client has not read waits here, where coalescing keeps it small. The slots are a ring
 * (util/ring-fifo.ts): a client that read thousands of events as they came holds a few
 * slots, not one per event since its last backlog.
 *
 * SA replay waits apart, ahead of live events: it is the replay store's own events (so a
 * reference each), bounded by that store (10,000 by default, ten times a live queue), and
 * never dropped to make room; a client that reads none of it is closed by its listener's
 * stall timeout like any other.
 */
import type { CotEvent } from '../codec/event.js';
import type { ConnectionQueue } from '../transports/listener-hub.js';
import { classifyLane } from '../routing/lane.js';
import { RingFifo } from '../../util/ring-fifo.js';
import { estimateBytes } from './replay-store.js';

/** Events handed on to the connection at most; more wait here. */
const HAND_ON = 8;

/** Room an empty queue keeps; more is given back when a backlog has drained. */
const SLOTS_KEPT = 64;


export interface ClientQueueLimits {
  maxEvents: number;
  maxBytes: number;
}

interface Slot {
  event: CotEvent;
  bytes: number;
  pliUid: string | undefined;
}

export class ClientQueue {
  /** Unbounded as a ring: push() bounds it by events and bytes. */
  private slots = new RingFifo<Slot>();
  private waiting = 0;
  private waitingBytes = 0;
  private readonly pli = new Map<string, Slot>();
  /** SA replay not yet handed on, from `replayAt`. */
  private replayBacklog: readonly CotEvent[] = [];
  private replayAt = 0;
  private listening = false;
  /** Since when the queue has been full (undefined: not full). */
  fullSince: number | undefined;
  readonly counters = { queued: 0, coalesced: 0, dropped: 0, handedOn: 0 };

  constructor(
    private readonly connection: ConnectionQueue,
    private readonly limits: ClientQueueLimits,
  ) {}

  get depth(): number {
    return this.waiting + this.replayLeft + this.connection.length;
  }

  private get replayLeft(): number {
    return this.replayBacklog.length - this.replayAt;
  }

  /** SA replay: handed on before anything live, as the connection takes it; never dropped here. */
  pushReplay(events: readonly CotEvent[]): void {
    if (events.length === 0) return;
    this.counters.queued += events.length;
    this.replayBacklog = this.replayLeft > 0 ? [...this.replayBacklog.slice(this.replayAt), ...events] : events;
    this.replayAt = 0;
    this.handOn();
  }

  /** Slots the ring holds room for (memory: grows with a backlog, not with events passed). */
  get capacity(): number {
    return this.slots.capacity;
  }

  push(event: CotEvent, now = Date.now()): void {
    this.counters.queued += 1;
    // Nothing waits and the connection has room: straight on. A client that keeps up never
    // touches the slots or the coalescing map; setting and deleting a uid there for every
    // event rehashed 100 clients' maps all the time, and those tables were most of what the
    // soak promoted to the old generation (1.5 MiB/s sampled).
    if (this.waiting === 0 && this.replayLeft === 0 && this.connection.length < HAND_ON) {
      this.counters.handedOn += 1;
      this.connection.push(event);
      this.fullSince = undefined;
      return;
    }
    const pliUid = classifyLane(event) === 'pli' ? event.uid : undefined;
    if (pliUid !== undefined) {
      const slot = this.pli.get(pliUid);
      if (slot !== undefined) {
        const bytes = estimateBytes(event);
        this.waitingBytes += bytes - slot.bytes;
        slot.event = event;
        slot.bytes = bytes;
        this.counters.coalesced += 1;
        this.handOn();
        return;
      }
    }
    const bytes = estimateBytes(event);
    while (this.waiting > 0 && (this.waiting >= this.limits.maxEvents || this.waitingBytes + bytes > this.limits.maxBytes)) {
      this.dropOldest();
      this.fullSince ??= now;
    }
    const slot: Slot = { event, bytes, pliUid };
    this.slots.pushOrRefuse(slot);
    this.waiting += 1;
    this.waitingBytes += bytes;
    if (pliUid !== undefined) this.pli.set(pliUid, slot);
    this.handOn();
    if (this.waiting < this.limits.maxEvents && this.waitingBytes <= this.limits.maxBytes / 2) this.fullSince = undefined;
  }

  /** Hands everything waiting to the connection (shutdown: its own queue then flushes it). */
  handOnAll(): void {
    for (let event = this.takeReplay(); event !== undefined; event = this.takeReplay()) {
      this.counters.handedOn += 1;
      this.connection.push(event);
    }
    for (let slot = this.take(); slot !== undefined; slot = this.take()) {
      this.counters.handedOn += 1;
      this.connection.push(slot.event);
    }
    this.fullSince = undefined;
  }

  clear(): void {
    this.replayBacklog = [];
    this.replayAt = 0;
    this.slots = new RingFifo<Slot>();
    this.waiting = 0;
    this.waitingBytes = 0;
    this.pli.clear();
  }

  private take(): Slot | undefined {
    const slot = this.slots.shift();
    if (slot === undefined) return undefined;
    this.waiting -= 1;
    this.waitingBytes -= slot.bytes;
    if (slot.pliUid !== undefined && this.pli.get(slot.pliUid) === slot) this.pli.delete(slot.pliUid);
    // A backlog that has drained gives its room back (hundreds of clients, each once behind).
    if (this.waiting === 0 && this.slots.capacity > SLOTS_KEPT) this.slots = new RingFifo<Slot>();
    return slot;
  }

  private takeReplay(): CotEvent | undefined {
    if (this.replayLeft === 0) return undefined;
    const event = this.replayBacklog[this.replayAt];
    this.replayAt += 1;
    if (this.replayLeft === 0) {
      this.replayBacklog = [];
      this.replayAt = 0;
    }
    return event;
  }

  private dropOldest(): void {
    if (this.take() !== undefined) this.counters.dropped += 1;
  }

  private handOn = (): void => {
    this.listening = false;
    while (this.connection.length < HAND_ON) {
      const event = this.takeReplay() ?? this.take()?.event;
      if (event === undefined) break;
      this.counters.handedOn += 1;
      this.connection.push(event);
    }
    if (this.waiting === 0) this.fullSince = undefined;
    if (this.waiting === 0 && this.replayLeft === 0) return;
    if (!this.listening) {
      this.listening = true;
      this.connection.whenBacklogBelow(HAND_ON, this.handOn);
    }
  };
}
