/**
 * A durable store-and-forward queue for one output: an append-only log of CRC-checked
 * records in segment files (see record.ts and README.md for why this format).
 *
 * - `append` writes one event record with a single write(2): once it returns, a SIGKILL
 *   cannot lose it; power loss can lose what the fsync policy has not synced yet.
 * - `markDelivered` appends a small "delivered" record; a segment file is deleted once it
 *   is the oldest and holds nothing undelivered, so the disk only sees appends and unlinks.
 * - `take` hands an event on without marking it delivered yet (the caller does once the
 *   transport has written it): it is no longer peeked or counted, but a crash brings it back.
 * - Bounded in bytes: when over, the oldest segment is evicted whole (counted).
 * - Opening recovers: a torn tail is cut off (counted), delivered records are applied, and
 *   the undelivered events are indexed per lane. Only the index is held in memory.
 */
import { closeSync, fsyncSync, openSync, readdirSync } from 'node:fs';
import type { FsyncPolicy } from '../../../config/routing-values.js';
import { encodeDeliveredRecord, encodeEventRecord, KIND_EVENT, type EventRecord } from './record.js';
import { Segment, segmentIdOf } from './segment.js';
import { makeDirSync } from '../../../util/make-dir.js';

export type { FsyncPolicy };

export interface DurableQueueOptions {
  dir: string;
  /** Bytes on disk at most; default 64 MiB. */
  maxBytes?: number;
  /** Segment size; default maxBytes / 16, at most 4 MiB (eviction frees one segment at a time). */
  segmentBytes?: number;
  /** Default: every 1 s. */
  fsync?: FsyncPolicy;
  /** Number of lanes (priorities) records are indexed by; default 4. */
  lanes?: number;
}

export interface StoredEvent {
  readonly seq: number;
  readonly lane: number;
  readonly stale: number;
  readonly wireBytes: number;
  readonly segment: Segment;
  readonly bodyOffset: number;
  readonly bodyLength: number;
  /** Delivered or evicted. */
  gone: boolean;
  /** Handed on (take) and not yet marked delivered: skipped by peek, still on disk. */
  taken?: boolean;
}

export interface DurableQueueCounters {
  appended: number;
  delivered: number;
  /** Undelivered events lost to the byte bound. */
  evicted: number;
  /** Undelivered events found on disk at open. */
  recovered: number;
  /** Bytes cut off at open because a record was torn or corrupt. */
  tornBytes: number;
  /** Segment files cut at open (each loses its torn or corrupt record and all after it). */
  tornSegments: number;
  syncs: number;
}

/** A lane: events in append order; `head` skips those already gone. */
class LaneIndex {
  private items: StoredEvent[] = [];
  private head = 0;

  push(entry: StoredEvent): void {
    this.items.push(entry);
  }

  peek(): StoredEvent | undefined {
    while (this.head < this.items.length && (this.items[this.head].gone || this.items[this.head].taken)) this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return this.items[this.head];
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

export class DurableQueue {
  readonly counters: DurableQueueCounters = { appended: 0, delivered: 0, evicted: 0, recovered: 0, tornBytes: 0, tornSegments: 0, syncs: 0 };
  private readonly dir: string;
  private readonly maxBytes: number;
  private readonly segmentBytes: number;
  private readonly fsync: FsyncPolicy;
  private readonly lanes: LaneIndex[];
  /** Oldest first; the last one is appended to. */
  private segments: Segment[] = [];
  private readonly entriesBySegment = new Map<Segment, StoredEvent[]>();
  private nextSeq = 0;
  private pending = 0;
  /** Events taken and not yet marked delivered. */
  private takenCount = 0;
  private closed = false;
  private dirty = false;
  private lastSyncAt = Date.now();
  private syncTimer: NodeJS.Timeout | undefined;

  private constructor(options: DurableQueueOptions) {
    this.dir = options.dir;
    this.maxBytes = options.maxBytes ?? 64 * 2 ** 20;
    this.segmentBytes = options.segmentBytes ?? Math.max(4096, Math.min(4 * 2 ** 20, Math.floor(this.maxBytes / 16)));
    this.fsync = options.fsync ?? { mode: 'interval', intervalMs: 1_000 };
    this.lanes = Array.from({ length: options.lanes ?? 4 }, () => new LaneIndex());
  }

  /** Opens (creating the directory if needed) and recovers what is on disk. */
  static open(options: DurableQueueOptions): DurableQueue {
    const queue = new DurableQueue(options);
    makeDirSync(queue.dir);
    queue.recover();
    if (queue.fsync.mode === 'interval') {
      queue.syncTimer = setInterval(() => queue.syncIfDirty(), queue.fsync.intervalMs);
      queue.syncTimer.unref();
    }
    return queue;
  }

  /** Undelivered events, not counting those taken. */
  get length(): number {
    return this.pending;
  }

  /** Bytes on disk. */
  get bytes(): number {
    let total = 0;
    for (const segment of this.segments) total += segment.bytes;
    return total;
  }

  /** `wireBytes`: what the event will cost on its link (default: the body's size). */
  append(lane: number, stale: number, body: Uint8Array, wireBytes = body.length): StoredEvent {
    const seq = this.nextSeq++;
    const record = encodeEventRecord(lane, seq, stale, wireBytes, body);
    const segment = this.writable(record.length);
    const bodyOffset = segment.bytes + record.length - body.length;
    segment.append(record);
    const entry: StoredEvent = { seq, lane, stale, wireBytes, segment, bodyOffset, bodyLength: body.length, gone: false };
    this.index(entry);
    this.counters.appended += 1;
    this.afterWrite();
    this.evictOverBound();
    return entry;
  }

  /** The oldest undelivered event of a lane. */
  peek(lane: number): StoredEvent | undefined {
    return this.lanes[lane]?.peek();
  }

  read(entry: StoredEvent): Buffer {
    return entry.segment.read(entry.bodyOffset, entry.bodyLength);
  }

  /**
   * The event is being handed on: `peek` skips it and `length` no longer counts it, but
   * nothing is written, so a crash before `markDelivered` brings it back (at-least-once).
   */
  take(entry: StoredEvent): void {
    if (entry.gone || entry.taken) return;
    entry.taken = true;
    this.takenCount += 1;
    this.pending -= 1;
  }

  /**
   * Records that an event was handed on (or skipped as stale): it will not come back.
   * After close this does nothing: the event comes back when the queue is opened again.
   */
  markDelivered(entry: StoredEvent): void {
    if (entry.gone || this.closed) return;
    this.forget(entry);
    this.counters.delivered += 1;
    if (this.pending === 0 && this.takenCount === 0) {
      this.reset();
      return;
    }
    const record = encodeDeliveredRecord(entry.seq);
    this.writable(record.length).append(record);
    this.afterWrite();
    this.dropDeadSegments();
  }

  sync(): void {
    this.segments.at(-1)?.sync();
    this.dirty = false;
    this.lastSyncAt = Date.now();
    this.counters.syncs += 1;
  }

  close(): void {
    this.closed = true;
    if (this.syncTimer) clearInterval(this.syncTimer);
    this.syncTimer = undefined;
    if (this.dirty && this.fsync.mode !== 'never') this.sync();
    for (const segment of this.segments) segment.close();
  }

  private index(entry: StoredEvent): void {
    this.lanes[Math.min(entry.lane, this.lanes.length - 1)].push(entry);
    let entries = this.entriesBySegment.get(entry.segment);
    if (!entries) this.entriesBySegment.set(entry.segment, (entries = []));
    entries.push(entry);
    entry.segment.live += 1;
    this.pending += 1;
  }

  private forget(entry: StoredEvent): void {
    if (entry.taken) {
      entry.taken = false;
      this.takenCount -= 1;
    } else this.pending -= 1;
    entry.gone = true;
    entry.segment.live -= 1;
  }

  private afterWrite(): void {
    this.dirty = true;
    if (this.fsync.mode === 'always') this.sync();
    // A busy process syncs from here; the timer covers the writes before a quiet spell.
    else if (this.fsync.mode === 'interval' && Date.now() - this.lastSyncAt >= this.fsync.intervalMs) this.sync();
  }

  private syncIfDirty(): void {
    if (this.dirty) this.sync();
  }

  /** The segment to append `size` bytes to, starting a new one when the last is full. */
  private writable(size: number): Segment {
    const last = this.segments.at(-1);
    if (last && last.appendable && last.bytes + size <= this.segmentBytes) return last;
    if (last) last.seal(this.fsync.mode !== 'never');
    const next = new Segment(this.dir, last ? last.id + 1 : 0);
    // Listed only once its file exists: a failed create (disk full) must not leave a segment
    // without a file, which the clean-up would then fail to unlink.
    next.create();
    this.segments.push(next);
    // The new file's directory entry must reach the disk too, or power loss can lose the file.
    if (this.fsync.mode !== 'never') this.syncDirectory();
    return next;
  }

  private syncDirectory(): void {
    const fd = openSync(this.dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  private evictOverBound(): void {
    while (this.segments.length > 1 && this.bytes > this.maxBytes) {
      const oldest = this.segments[0];
      for (const entry of this.entriesBySegment.get(oldest) ?? []) {
        if (entry.gone) continue;
        // A taken event was handed on already: it is not lost.
        if (!entry.taken) this.counters.evicted += 1;
        this.forget(entry);
      }
      this.removeOldest();
    }
  }

  /** Deletes leading segments that hold nothing undelivered (delivered records only refer backwards). */
  private dropDeadSegments(): void {
    while (this.segments.length > 1 && this.segments[0].live === 0) this.removeOldest();
  }

  private removeOldest(): void {
    const oldest = this.segments.shift() as Segment;
    this.entriesBySegment.delete(oldest);
    oldest.remove();
  }

  /** Everything delivered: delete all segments and start again from an empty directory. */
  private reset(): void {
    for (const segment of this.segments) segment.remove();
    this.segments = [];
    this.entriesBySegment.clear();
    for (const lane of this.lanes) lane.clear();
    this.dirty = false;
  }

  private recover(): void {
    const ids = readdirSync(this.dir)
      .map(segmentIdOf)
      .filter((id): id is number => id !== undefined)
      .sort((a, b) => a - b);
    const delivered = new Set<number>();
    const found: { segment: Segment; record: EventRecord }[] = [];
    for (const id of ids) {
      const segment = new Segment(this.dir, id);
      const { records, tornBytes } = segment.recover();
      this.counters.tornBytes += tornBytes;
      if (tornBytes > 0) this.counters.tornSegments += 1;
      this.segments.push(segment);
      for (const record of records) {
        this.nextSeq = Math.max(this.nextSeq, record.seq + 1);
        if (record.kind === KIND_EVENT) found.push({ segment, record });
        else delivered.add(record.seq);
      }
    }
    for (const { segment, record } of found) {
      if (delivered.has(record.seq)) continue;
      this.index({ seq: record.seq, lane: record.lane, stale: record.stale, wireBytes: record.wireBytes, segment, bodyOffset: record.bodyOffset, bodyLength: record.bodyLength, gone: false });
      this.counters.recovered += 1;
    }
    if (this.pending === 0) this.reset();
    else this.dropDeadSegments();
  }
}
