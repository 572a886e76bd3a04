/**
 * One output as the router drives it: per-link policy between the router and a transport.
 *
 * An offered event goes straight out when the link is up, nothing waits and the rate
 * budget allows. Otherwise it waits in a priority lane: emergency > chat > tasking > PLI.
 * Position reports wait in a map keyed by uid, so only the newest per uid is ever sent
 * (coalescing). While the link is down, the other lanes go to the durable queue (when the
 * output has one) and come back in priority order on reconnect. Stale events are dropped
 * at every step, never sent.
 *
 * This is the output's only queue: the transport holds none. An event is handed to it only
 * while it is writable() (connected, negotiated, below its bytes in flight); it says when it
 * is writable again (onWritable), and gives back, oldest first, what a connection that died
 * had not written (onReturned): those go to the front of their lane again.
 */
import type { CotEvent } from '../codec/event.js';
import { encodeXmlString } from '../codec/xml/encode.js';
import { sourceXmlOf } from '../codec/xml/source-text.js';
import type { OutputListener } from '../transports/types.js';
import { decodeTakMessage, encodeTakMessage } from '../codec/proto/index.js';
import type { Clock } from './clock.js';
import { newOutputCounters, type OutputCounters } from './counters.js';
import { KeyedFifo } from './keyed-fifo.js';
import { classifyLane, LANE_PRIORITY, type Lane } from './lane.js';
import type { DurableQueue, StoredEvent } from './store/durable-queue.js';
import { TokenBucket, type RateLimit } from './token-bucket.js';
import { RingFifo } from '../../util/ring-fifo.js';

/** The part of a transport the router needs. */
export interface OutputTarget {
  readonly name: string;
  /** True while events sent now go out (connected and, for v1, negotiated). */
  isUp(): boolean;
  /** Hands one event to the transport; false if it did not take it (counted as refused). */
  send(event: CotEvent): boolean;
  /**
   * False while an up transport cannot take an event now (its socket backed up, a pause
   * between writes): events then wait here, in priority lanes with PLI coalescing.
   * Targets without it can always take events while up.
   */
  writable?(): boolean;
  /** The link registers itself here (it hears onWritable and onReturned). */
  setListener?(listener: OutputListener | undefined): void;
  /**
   * Resolves once every event sent so far has been handed to the OS (or dropped, or given
   * back through onReturned); rejects if the transport failed for good. With it, an event
   * from the durable queue is marked delivered only then, so a crash before brings it back;
   * without it, at once.
   */
  flush?(): Promise<void>;
}

export interface OutputLinkOptions {
  rate?: RateLimit;
  /** Durable queue for the non-PLI lanes while the link is down. */
  store?: DurableQueue;
  /** Largest event (XML bytes) this link carries; larger ones are counted as too big. */
  maxEventBytes?: number;
  /**
   * Bytes the transport adds to each event's XML (an XML declaration on streams: 56), so
   * the byte budget matches what goes on the wire. TAK v1 is smaller than XML, so an XML
   * size is a safe over-estimate there.
   */
  framingBytes?: number;
  /** Non-PLI events held in memory at most; default 1,000. Beyond: to the store, or dropped oldest. */
  maxPending?: number;
  /** Distinct uids of waiting position reports held at most; default 10,000. */
  maxPliUids?: number;
  /** Called after the link pumped because its transport became writable again. */
  afterDrain?: () => void;
}

interface Waiting {
  event: CotEvent;
  size: number;
}

/** What pump() sends next: from memory, from the store, or a position report. */
type Candidate =
  | { from: 'memory'; lane: RingFifo<Waiting>; waiting: Waiting }
  | { from: 'store'; entry: StoredEvent }
  | { from: 'pli'; uid: string; waiting: Waiting };

/** The event's size as XML: its source text when it has one (that is what goes out). */
export function xmlBytes(event: CotEvent): number {
  return Buffer.byteLength(sourceXmlOf(event) ?? encodeXmlString(event));
}

const STORED_LANES = 3; // emergency, chat, tasking: the lanes with an index below PLI's

export class OutputLink implements OutputListener {
  readonly counters: OutputCounters = newOutputCounters();
  readonly needsSize: boolean;
  private readonly bucket: TokenBucket;
  private readonly store: DurableQueue | undefined;
  private readonly maxEventBytes: number;
  private readonly maxPending: number;
  private readonly maxPliUids: number;
  private readonly framingBytes: number;
  /**
   * Non-PLI lanes in memory. Unbounded each: together they hold at most maxPending, and
   * past that the oldest of the least urgent lane is dropped (dropOldestLeastUrgent).
   */
  private readonly memory: RingFifo<Waiting>[] = Array.from({ length: STORED_LANES }, () => new RingFifo<Waiting>());
  /** Waiting position reports by uid, the longest-waiting first. */
  private readonly pli = new KeyedFifo<Waiting>();
  private memoryCount = 0;
  private evictedBefore: number;
  private readonly afterDrain: (() => void) | undefined;

  constructor(
    readonly target: OutputTarget,
    private readonly clock: Clock,
    options: OutputLinkOptions = {},
  ) {
    this.bucket = new TokenBucket(options.rate ?? {}, clock);
    this.store = options.store;
    this.maxEventBytes = Math.min(options.maxEventBytes ?? Infinity, this.bucket.maxBytes);
    this.maxPending = Math.max(1, options.maxPending ?? 1_000);
    this.maxPliUids = Math.max(1, options.maxPliUids ?? 10_000);
    this.framingBytes = options.framingBytes ?? 0;
    this.needsSize = this.maxEventBytes !== Infinity;
    this.evictedBefore = this.store?.counters.evicted ?? 0;
    this.afterDrain = options.afterDrain;
    target.setListener?.(this);
  }

  /** Waiting events leave as soon as the transport can take them, not on the next timer tick. */
  onWritable(): void {
    this.pump();
    this.afterDrain?.();
  }

  /**
   * Events a dead connection never wrote, oldest first: back to the front of their lanes
   * (PLI: unless a newer report of that uid waits). They leave with the lane's next pump;
   * while the link is down that pump moves them to the durable queue (for a lane that
   * already has events there, after those: the store only appends).
   */
  onReturned(events: CotEvent[]): void {
    const fronts: Waiting[][] = [[], [], []];
    for (const event of events) {
      const lane = classifyLane(event);
      if (lane === 'control') continue;
      if (lane === 'pli') this.returnPli(event);
      else (fronts[LANE_PRIORITY[lane]] as Waiting[]).push({ event, size: this.sizeOf(event) });
    }
    for (let priority = 0; priority < STORED_LANES; priority++) {
      const front = fronts[priority] as Waiting[];
      if (front.length === 0) continue;
      (this.memory[priority] as RingFifo<Waiting>).unshiftAll(front);
      this.memoryCount += front.length;
    }
    this.counters.returned += events.length;
    // Written and unproven events come back when a connection died: on disk at once, so that
    // a crash before the next connection does not lose what is no longer in the queue.
    if (this.store) this.spillToStore();
  }

  /** Chats, markers and emergencies stay with the transport until the peer proves it read them. */
  needsProof(event: CotEvent): boolean {
    const lane = classifyLane(event);
    return lane !== 'pli' && lane !== 'control';
  }

  get name(): string {
    return this.target.name;
  }

  /** Events waiting in memory (lanes and position reports), not counting the durable queue. */
  get waitingInMemory(): number {
    return this.memoryCount + this.pli.size;
  }

  /** Events waiting: in memory, position reports, and in the durable queue. */
  get pending(): number {
    return this.memoryCount + this.pli.size + (this.store?.length ?? 0);
  }

  /** `xmlBytes` is the event's XML size (needed when `needsSize`; else 0 will do); `now` saves a clock read. */
  offer(event: CotEvent, lane: Lane, xmlBytes: number, now = this.clock.now()): void {
    const size = xmlBytes + this.framingBytes;
    if (event.stale <= now) {
      this.counters.stale += 1;
      return;
    }
    if (size > this.maxEventBytes) {
      this.counters.tooBig += 1;
      return;
    }
    if (!this.target.isUp()) {
      this.hold(event, lane, size, true);
      return;
    }
    if (this.pending === 0 && this.target.writable?.() !== false && this.bucket.tryTake(size)) {
      this.send(event, false);
      return;
    }
    this.counters.rateLimited += 1;
    this.hold(event, lane, size, false);
    this.pump();
  }

  /** Sends what waits, as far as the link and its budget allow. Call on a timer. */
  pump(): void {
    if (this.pending === 0) return;
    if (!this.target.isUp()) {
      this.spillToStore();
      return;
    }
    const handed: StoredEvent[] = [];
    this.pumpUp(handed);
    if (handed.length > 0) this.markDeliveredOnceWritten(handed);
  }

  private pumpUp(handed: StoredEvent[]): void {
    const now = this.clock.now();
    for (let candidate = this.next(); candidate; candidate = this.next()) {
      if (this.target.writable?.() === false) return;
      if (this.staleOf(candidate) <= now) {
        this.counters.stale += 1;
        this.remove(candidate);
        continue;
      }
      const size = candidate.from === 'store' ? candidate.entry.wireBytes : candidate.waiting.size;
      if (!this.bucket.tryTake(size)) return;
      const event = candidate.from === 'store' ? this.load(candidate.entry) : candidate.waiting.event;
      if (event && candidate.from === 'store' && this.target.flush) {
        // Marked delivered once the transport has written it (at-least-once across a crash).
        (this.store as DurableQueue).take(candidate.entry);
        handed.push(candidate.entry);
      } else this.remove(candidate);
      if (event) this.send(event, candidate.from === 'store');
    }
  }

  /**
   * Events taken from the durable queue are marked delivered when the transport has handed
   * them to the OS. If it fails for good first, they stay on disk and come back at the next
   * start (they are not re-sent before: the queue skips taken events).
   */
  private markDeliveredOnceWritten(entries: StoredEvent[]): void {
    const flushed = (this.target.flush as () => Promise<void>)();
    flushed.then(
      () => {
        for (const entry of entries) this.markDelivered(entry);
      },
      () => undefined,
    );
  }

  private send(event: CotEvent, replayed: boolean): void {
    if (!this.target.send(event)) {
      this.counters.refused += 1;
      return;
    }
    this.counters.sent += 1;
    if (replayed) this.counters.replayed += 1;
  }

  private hold(event: CotEvent, lane: Lane, size: number, down: boolean): void {
    if (lane === 'pli') {
      this.holdPli(event, size);
      return;
    }
    const priority = LANE_PRIORITY[lane];
    if (this.store && (down || this.memoryCount >= this.maxPending)) {
      // Older waiting events go first so the store keeps each lane's order.
      this.spillToStore();
      this.storeEvent(event, priority, size);
      return;
    }
    if (this.memoryCount >= this.maxPending) this.dropOldestLeastUrgent();
    this.memory[priority].pushOrRefuse({ event, size }); // unbounded: never refuses
    this.memoryCount += 1;
  }

  /** A returned position report waits again unless a newer one of its uid does. */
  private returnPli(event: CotEvent): void {
    const waiting = this.pli.get(event.uid);
    if (waiting !== undefined) {
      this.counters.coalesced += 1;
      if (event.time > waiting.event.time) this.pli.set(event.uid, { event, size: waiting.size });
      return;
    }
    this.holdPli(event, this.sizeOf(event));
  }

  /** A returned event's size for the byte budget, as offer() reckons it. */
  private sizeOf(event: CotEvent): number {
    return (this.needsSize ? xmlBytes(event) : 0) + this.framingBytes;
  }

  private holdPli(event: CotEvent, size: number): void {
    const waiting = this.pli.get(event.uid);
    if (waiting) {
      this.counters.coalesced += 1;
      if (event.time >= waiting.event.time) this.pli.set(event.uid, { event, size });
      return;
    }
    if (this.pli.size >= this.maxPliUids) {
      this.pli.deleteOldest();
      this.counters.overflow += 1;
    }
    this.pli.set(event.uid, { event, size });
  }

  private dropOldestLeastUrgent(): void {
    for (let priority = STORED_LANES - 1; priority >= 0; priority--) {
      if (this.memory[priority].shift()) {
        this.memoryCount -= 1;
        this.counters.overflow += 1;
        return;
      }
    }
  }

  private spillToStore(): void {
    if (!this.store || this.memoryCount === 0) return;
    this.memory.forEach((lane, priority) => {
      for (let waiting = lane.shift(); waiting; waiting = lane.shift()) this.storeEvent(waiting.event, priority, waiting.size);
    });
    this.memoryCount = 0;
  }

  private storeEvent(event: CotEvent, priority: number, size: number): void {
    const store = this.store as DurableQueue;
    try {
      store.append(priority, event.stale, encodeTakMessage(event), size);
      this.counters.stored += 1;
    } catch {
      // Disk full or gone: the event is lost, but the link goes on.
      this.counters.storeErrors += 1;
    }
    this.counters.evicted += store.counters.evicted - this.evictedBefore;
    this.evictedBefore = store.counters.evicted;
  }

  private next(): Candidate | undefined {
    for (let priority = 0; priority < STORED_LANES; priority++) {
      const entry = this.store?.peek(priority);
      if (entry) return { from: 'store', entry };
      const lane = this.memory[priority];
      const waiting = lane.peek();
      if (waiting) return { from: 'memory', lane, waiting };
    }
    const uid = this.pli.oldestKey();
    if (uid !== undefined) return { from: 'pli', uid, waiting: this.pli.get(uid) as Waiting };
    return undefined;
  }

  private staleOf(candidate: Candidate): number {
    return candidate.from === 'store' ? candidate.entry.stale : candidate.waiting.event.stale;
  }

  private remove(candidate: Candidate): void {
    if (candidate.from === 'store') this.markDelivered(candidate.entry);
    else if (candidate.from === 'pli') this.pli.delete(candidate.uid);
    else {
      candidate.lane.shift();
      this.memoryCount -= 1;
    }
  }

  private markDelivered(entry: StoredEvent): void {
    try {
      (this.store as DurableQueue).markDelivered(entry);
    } catch {
      // Not recorded on disk: after a restart the event may be sent again (receivers de-duplicate).
      this.counters.storeErrors += 1;
    }
  }

  private load(entry: StoredEvent): CotEvent | undefined {
    try {
      const { event } = decodeTakMessage((this.store as DurableQueue).read(entry));
      if (!event) throw new Error('a stored message without an event');
      return event;
    } catch {
      this.counters.storeErrors += 1;
      return undefined;
    }
  }
}
