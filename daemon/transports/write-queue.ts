/**
 * A bounded send queue in front of a byte stream: one per client of a stream listener
 * (outputs that are clients or files keep no queue; see stream-writer.ts).
 *
 * Events wait here while there is no connection, while TAK protocol negotiation holds
 * output back, and while the stream is above its buffer bound (back-pressure: we wait for
 * `drain`). It holds at most `capacity` events and `maxQueuedBytes` (estimated) bytes:
 * when full, the oldest event is dropped (for position reports the newest is the one worth
 * sending). Drops are counted and logged at most once per interval.
 */
import { IdleWaiters } from '../../util/idle-waiters.js';
import type { CotEvent } from '../codec/event.js';
import { DropLog } from '../../util/drop-log.js';
import type { Logger } from '../../util/logger.js';
import { RingFifo } from '../../util/ring-fifo.js';
import { sourceXmlOf } from '../codec/xml/source-text.js';
import { BATCH_BYTES, ChunkBatch, chunkEncoding, encodeOrDrop, type EventEncoder } from './chunk-batch.js';

/** The part of a Writable the queue uses. */
export interface ByteSink {
  write(chunk: Buffer | string, encoding: BufferEncoding, callback: (error?: Error | null) => void): boolean;
  once(event: 'drain', listener: () => void): unknown;
  removeListener(event: 'drain', listener: () => void): unknown;
  readonly writableLength: number;
}


export interface WriteQueueOptions {
  /** Events held at most (MAX_OUT_QUEUE); default 100. */
  capacity?: number;
  /** Bytes (estimated) of the events held at most; default 1 MiB. */
  maxQueuedBytes?: number;
  /** Keep writing until the stream buffers this many bytes, then wait for drain; default 256 KiB. */
  maxBufferedBytes?: number;
  /** Pause between two writes, for servers that choke on bursts (PYTAK_SLEEP, FTS_COMPAT). */
  pauseBetweenWritesMs?: () => number;
  logger: Logger;
  /** Fields added to the drop log lines (e.g. the transport name). */
  logContext?: object;
  /** How often at most a "dropped N events" line is logged; default 10 s. */
  dropLogIntervalMs?: number;
}

/** What a waiting event costs: its source text when it has one, else its fields' size. */
export function estimateEventBytes(event: CotEvent): number {
  return sourceXmlOf(event)?.length ?? 320 + event.uid.length + event.type.length + (event.xmlDetail?.length ?? 0);
}

export class WriteQueue {
  readonly capacity: number;
  readonly maxQueuedBytes: number;
  /** Estimated bytes of the events held. */
  private queuedBytes = 0;
  /** Drop-oldest when full: for position reports the newest is the one worth sending. */
  private readonly events: RingFifo<CotEvent>;
  private sink: ByteSink | undefined;
  private encode: EventEncoder;
  private paused = false;
  private waitingForDrain = false;
  private sleeping: NodeJS.Timeout | undefined;
  /** Encoded events not yet handed to the stream: written together at the end of the tick. */
  private readonly batch = new ChunkBatch();
  private batchScheduled = false;
  private inFlight = 0;
  private readonly idle = new IdleWaiters();
  private lowWater: { depth: number; listener: () => void } | undefined;
  private readonly dropLog: DropLog;
  private readonly maxBufferedBytes: number;
  private readonly pauseBetweenWritesMs: (() => number) | undefined;
  private readonly logger: Logger;

  readonly counters = { queued: 0, written: 0, dropped: 0, writeErrors: 0 };

  constructor(encode: EventEncoder, options: WriteQueueOptions) {
    this.capacity = Math.max(1, options.capacity ?? 100);
    this.events = new RingFifo<CotEvent>(this.capacity);
    this.maxQueuedBytes = Math.max(1, options.maxQueuedBytes ?? 1024 * 1024);
    this.encode = encode;
    this.maxBufferedBytes = options.maxBufferedBytes ?? 256 * 1024;
    this.pauseBetweenWritesMs = options.pauseBetweenWritesMs;
    this.logger = options.logger;
    this.dropLog = new DropLog(options.logger, options.logContext ?? {}, options.dropLogIntervalMs);
  }

  get length(): number {
    return this.events.length;
  }

  push(event: CotEvent): void {
    this.counters.queued += 1;
    const bytes = estimateEventBytes(event);
    let dropped = 0;
    while (this.events.length > 0 && (this.events.length >= this.capacity || this.queuedBytes + bytes > this.maxQueuedBytes)) {
      this.take();
      dropped += 1;
    }
    this.events.pushDroppingOldest(event); // never drops: room was made above
    this.queuedBytes += bytes;
    if (dropped > 0) this.noteDropped(dropped, 'send queue full');
    this.pump();
  }

  /**
   * Calls `listener` once, when `length` (events still waiting here: for a connection, for
   * drain, or the end of a pause) next falls below `depth`. Replaces an earlier listener.
   * (The hub hands each client's events on in small steps with it.)
   */
  whenBacklogBelow(depth: number, listener: () => void): void {
    this.lowWater = { depth, listener };
  }

  /** Counts events dropped outside the queue (oversize, unencodable) under the same log limit. */
  noteDropped(count: number, why: string): void {
    this.counters.dropped += count;
    this.dropLog.note(count, why);
  }

  setEncoder(encode: EventEncoder): void {
    this.encode = encode;
  }

  /** Starts writing to a stream (a new connection). */
  attach(sink: ByteSink): void {
    this.detach();
    this.sink = sink;
    this.pump();
    this.checkLowWater();
  }

  /** The connection is gone: keep events queued for the next one. */
  detach(): void {
    if (this.sink && this.waitingForDrain) this.sink.removeListener('drain', this.onDrain);
    if (this.sleeping) clearTimeout(this.sleeping);
    this.sleeping = undefined;
    this.waitingForDrain = false;
    this.sink = undefined;
    this.batch.clear();
    this.inFlight = 0;
  }

  /** Holds events back (e.g. while waiting for a TAK protocol answer) without dropping the link. */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.pump();
    this.checkLowWater();
  }

  /** Writes one frame ahead of the queue (ping, negotiation request); ignores pause. */
  writeNow(bytes: Buffer): void {
    this.writeBatch();
    this.sink?.write(bytes, 'utf8', () => undefined);
  }

  /** Resolves when every queued event has been handed to the stream. */
  whenIdle(): Promise<void> {
    return this.idle.wait(this.isIdle());
  }

  /** Fails every whenIdle() waiter (the transport gave up) and empties the queue. */
  fail(error: Error): void {
    this.idle.rejectAll(error);
    this.clear();
  }

  /** The oldest event, out of the queue and its byte count. */
  private take(): CotEvent | undefined {
    const event = this.events.shift();
    if (event !== undefined) this.queuedBytes -= estimateEventBytes(event);
    return event;
  }

  clear(): void {
    this.events.clear();
    this.queuedBytes = 0;
    this.dropLog.stop();
    this.settleIdle();
  }

  private isIdle(): boolean {
    return this.events.length === 0 && this.inFlight === 0 && this.batch.length === 0;
  }

  private settleIdle(): void {
    if (this.idle.size > 0 && this.isIdle()) this.idle.resolveAll();
  }

  /** Tells the low-water listener, outside any loop of ours, that the backlog has fallen. */
  private checkLowWater(): void {
    const lowWater = this.lowWater;
    if (lowWater === undefined || this.events.length >= lowWater.depth) return;
    this.lowWater = undefined;
    lowWater.listener();
  }

  private readonly onDrain = (): void => {
    this.waitingForDrain = false;
    this.pump();
    this.checkLowWater();
  };

  private pump(): void {
    const sink = this.sink;
    if (!sink || this.paused || this.waitingForDrain || this.sleeping) return;
    for (let event = this.take(); event !== undefined; event = this.take()) {
      const bytes = encodeOrDrop(this.encode, event, this.logger);
      if (bytes === undefined) {
        this.noteDropped(1, 'not encodable');
        continue;
      }
      this.batch.add(bytes);
      const delay = this.pauseBetweenWritesMs?.() ?? 0;
      if (delay > 0) {
        this.writeBatch();
        this.sleeping = setTimeout(() => {
          this.sleeping = undefined;
          this.pump();
          this.checkLowWater();
        }, delay);
        return;
      }
      if (this.batch.bytes < BATCH_BYTES && sink.writableLength + this.batch.bytes < this.maxBufferedBytes) continue;
      // Wait only when the stream said so (write() returned false): only then does it
      // promise a 'drain'. A write the kernel took whole leaves nothing to wait for.
      if (!this.writeBatch() && sink.writableLength >= this.maxBufferedBytes) {
        this.waitingForDrain = true;
        sink.once('drain', this.onDrain);
        return;
      }
    }
    // Events pushed during one turn of the event loop leave as one write: setImmediate runs
    // after every read of this turn, so a hub client sent one event by each of 100 phones
    // gets one write, not 100 (nextTick would write after each phone's read).
    if (this.batch.length > 0 && !this.batchScheduled) {
      this.batchScheduled = true;
      setImmediate(this.writeScheduled);
    }
    this.settleIdle();
  }

  private readonly writeScheduled = (): void => {
    this.batchScheduled = false;
    this.writeBatch();
  };

  /** Hands the batch to the stream; false when the stream asks us to wait for 'drain'. */
  private writeBatch(): boolean {
    const sink = this.sink;
    const count = this.batch.length;
    if (!sink || count === 0) return true;
    const chunk = this.batch.take();
    const encoding = chunkEncoding(chunk);
    this.inFlight += count;
    return sink.write(chunk, encoding, (error) => this.onWritten(sink, error, count));
  }

  private onWritten(sink: ByteSink, error: Error | null | undefined, count: number): void {
    if (sink !== this.sink) return; // a write to a connection that is already gone
    this.inFlight -= count;
    if (error) this.counters.writeErrors += count;
    else this.counters.written += count;
    this.settleIdle();
  }

}
