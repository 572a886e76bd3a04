/**
 * The write side of a byte stream (socket, file, stdout) as an output sink: no queue of its
 * own. The router's OutputLink holds waiting events (lanes, coalescing, the durable queue)
 * and hands one over only while `writable()`: a stream is attached, not paused (TAK protocol
 * negotiation, a pause between writes), and fewer than `maxInFlightBytes` handed to it are
 * still waiting in its buffer for the kernel. It tells its listener when it is writable
 * again.
 *
 * Events handed to a stream whose write callback has not fired when the stream goes away
 * were never taken by the kernel: they go back to the listener (oldest first), to be sent
 * again. What the kernel had taken is gone with the connection if the peer never read it:
 * the at-most-once window, counted by the transport (`inFlightLost`).
 *
 * Used on its own (a test, a script: no listener set), it keeps a small drop-oldest queue
 * of `standaloneCapacity` events instead, so that send() before the connection is up works.
 */
import type { CotEvent } from '../codec/event.js';
import { DropLog } from '../../util/drop-log.js';
import { IdleWaiters } from '../../util/idle-waiters.js';
import type { Logger } from '../../util/logger.js';
import type { OutputListener } from './types.js';
import { BATCH_BYTES, ChunkBatch, chunkEncoding, encodeOrDrop, type EventEncoder } from './chunk-batch.js';
import { DeliveryProof, type DeliveryProofOptions } from './delivery-proof.js';

/** The part of a Writable the writer uses. */
export interface ByteSink {
  write(chunk: Buffer | string, encoding: BufferEncoding, callback: (error?: Error | null) => void): boolean;
}

export type { EventEncoder } from './chunk-batch.js';
export { BATCH_BYTES, chunkEncoding, joinBatch } from './chunk-batch.js';

export interface StreamWriterOptions {
  /** Bytes handed to the stream and not yet taken by the kernel, at most; default 64 KiB. */
  maxInFlightBytes?: number;
  /** Pause between two events, for servers that choke on bursts (PYTAK_SLEEP, FTS_COMPAT). */
  pauseBetweenWritesMs?: () => number;
  /** Events held without a listener (see above); default 100. */
  standaloneCapacity?: number;
  logger: Logger;
  /** Fields added to the drop log lines (e.g. the transport name). */
  logContext?: object;
}

/** One write: its events (to give back if the stream dies first) and its size. */
interface Write {
  events: CotEvent[];
  bytes: number;
  /** The `handed` count before its first event. */
  firstSeq: number;
}

export class StreamWriter {
  /** Events taken by send(), written (taken by the kernel), not encodable, given back. */
  readonly counters = { queued: 0, written: 0, dropped: 0, returned: 0 };
  /** Events on the current stream handed to it (in write order) and taken by the kernel. */
  handed = 0;
  taken = 0;
  private sink: ByteSink | undefined;
  private encode: EventEncoder;
  private listener: OutputListener | undefined;
  private paused = false;
  private sleeping: NodeJS.Timeout | undefined;
  private readonly maxInFlightBytes: number;
  private readonly pauseBetweenWritesMs: (() => number) | undefined;
  private readonly logger: Logger;
  /** Encoded events not yet handed to the stream: written together at the end of the tick. */
  private readonly batch = new ChunkBatch();
  private batchEvents: CotEvent[] = [];
  private batchScheduled = false;
  /** Writes handed to the stream whose callback has not fired, oldest first. */
  private writes: Write[] = [];
  private writesHead = 0;
  private inFlightBytes = 0;
  private readonly idle = new IdleWaiters();
  /** Without a listener only: events waiting for the stream to be writable. */
  private standalone: CotEvent[] = [];
  private readonly standaloneCapacity: number;
  private readonly dropLog: DropLog;
  /** Set by a transport whose peer may prove delivery (see delivery-proof.ts). */
  proof: DeliveryProof | undefined;

  constructor(encode: EventEncoder, options: StreamWriterOptions) {
    this.encode = encode;
    this.maxInFlightBytes = Math.max(1, options.maxInFlightBytes ?? 64 * 1024);
    this.pauseBetweenWritesMs = options.pauseBetweenWritesMs;
    this.standaloneCapacity = Math.max(1, options.standaloneCapacity ?? 100);
    this.logger = options.logger;
    this.dropLog = new DropLog(options.logger, options.logContext ?? {});
  }

  /** Events handed over and not yet written (in the batch or the stream's buffer). */
  get inFlight(): number {
    return this.counters.queued - this.counters.written - this.counters.dropped - this.counters.returned;
  }

  setListener(listener: OutputListener | undefined): void {
    this.listener = listener;
  }

  /** Keeps events the listener wants proven until a pong proves them; `writePing` writes one now. */
  enableDeliveryProof(writePing: () => boolean, options: Partial<DeliveryProofOptions> = {}): DeliveryProof {
    this.proof = new DeliveryProof({ ...options, writePing, handed: () => this.handed, onChange: () => this.notifyWritable() });
    return this.proof;
  }

  /** Resolves once what was written so far is proven read (at once without a proof). */
  whenProven(): Promise<void> {
    return this.proof?.whenProven() ?? Promise.resolve();
  }

  setEncoder(encode: EventEncoder): void {
    this.encode = encode;
  }

  writable(): boolean {
    return this.sink !== undefined && !this.paused && this.sleeping === undefined && this.inFlightBytes + this.batch.bytes < this.maxInFlightBytes && this.proof?.hasRoom() !== false;
  }

  /**
   * Writes one event (in this tick's batch). Call while writable(); an event handed over
   * otherwise is still written (or given back when there is no stream).
   */
  send(event: CotEvent): void {
    if (this.listener === undefined) {
      this.hold(event);
      return;
    }
    this.counters.queued += 1;
    this.write(event);
  }

  private write(event: CotEvent): void {
    const bytes = encodeOrDrop(this.encode, event, this.logger);
    if (bytes === undefined) {
      this.counters.dropped += 1;
      return;
    }
    if (this.sink === undefined) {
      this.giveBack([event]);
      return;
    }
    this.batch.add(bytes);
    this.batchEvents.push(event);
    const delay = this.pauseBetweenWritesMs?.() ?? 0;
    if (delay > 0) {
      this.writeBatch();
      this.sleeping = setTimeout(() => {
        this.sleeping = undefined;
        this.notifyWritable();
      }, delay);
      return;
    }
    if (this.batch.bytes >= BATCH_BYTES) this.writeBatch();
    else if (!this.batchScheduled) {
      // A burst of events sent in this tick leaves as one write. (Not setImmediate, as the
      // hub's client queues do: an output fed by a flood then looked busy across a whole
      // turn of reads and held the inbound gate; the relay fell from 101k to 57k events/s.)
      this.batchScheduled = true;
      process.nextTick(this.writeScheduled);
    }
  }

  /** Starts writing to a stream (a new connection). */
  attach(sink: ByteSink): void {
    this.detach();
    this.sink = sink;
    this.handed = 0;
    this.taken = 0;
    this.notifyWritable();
  }

  /** The stream is gone: what it had not taken goes back to the listener, oldest first. */
  detach(): void {
    if (this.sleeping) clearTimeout(this.sleeping);
    this.sleeping = undefined;
    this.sink = undefined;
    const unwritten: CotEvent[] = [];
    for (let i = this.writesHead; i < this.writes.length; i++) unwritten.push(...(this.writes[i] as Write).events);
    unwritten.push(...this.batchEvents);
    this.writes = [];
    this.writesHead = 0;
    this.inFlightBytes = 0;
    this.batch.clear();
    this.batchEvents = [];
    // Written and not proven read (older than the unwritten ones): given back in front of them.
    const unproven = this.proof?.connectionLost(this.taken) ?? [];
    if (unproven.length > 0 && this.listener) {
      this.counters.returned += unwritten.length;
      this.listener.onReturned(unproven.concat(unwritten));
    } else if (unwritten.length > 0) this.giveBack(unwritten);
    this.settleIdle();
  }

  /** Holds events back (e.g. while waiting for a TAK protocol answer) without dropping the link. */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.notifyWritable();
  }

  /** Resolves when everything handed over has been written (or given back). */
  whenIdle(): Promise<void> {
    return this.idle.wait(this.isIdle());
  }

  /** Fails every whenIdle() waiter (the transport gave up). */
  fail(error: Error): void {
    this.idle.rejectAll(error);
  }

  private isIdle(): boolean {
    return this.writesHead === this.writes.length && this.batchEvents.length === 0 && this.standalone.length === 0;
  }

  private settleIdle(): void {
    if (this.idle.size > 0 && this.isIdle()) this.idle.resolveAll();
  }

  private giveBack(events: CotEvent[]): void {
    const listener = this.listener;
    if (listener === undefined) {
      // Standalone: they wait here again, in front (still counted as queued).
      this.standalone = events.concat(this.standalone);
      this.trimStandalone();
      return;
    }
    this.counters.returned += events.length;
    listener.onReturned(events);
  }

  private notifyWritable(): void {
    if (!this.writable()) return;
    if (this.listener !== undefined) this.listener.onWritable();
    else this.drainStandalone();
  }

  private hold(event: CotEvent): void {
    this.counters.queued += 1;
    this.standalone.push(event);
    this.trimStandalone();
    this.drainStandalone();
  }

  private trimStandalone(): void {
    const excess = this.standalone.length - this.standaloneCapacity;
    if (excess <= 0) return;
    this.standalone.splice(0, excess);
    this.counters.dropped += excess;
    this.dropLog.note(excess, 'send queue full');
  }

  private drainStandalone(): void {
    if (this.standalone.length === 0 || !this.writable()) return;
    let sent = 0;
    while (sent < this.standalone.length && this.writable()) this.write(this.standalone[sent++] as CotEvent);
    this.standalone.splice(0, sent);
    this.settleIdle();
  }

  /** Without a listener: events held and not yet handed to a stream (they are lost on close). */
  discardHeld(): void {
    this.standalone = [];
    this.dropLog.stop();
    this.settleIdle();
  }

  private readonly writeScheduled = (): void => {
    this.batchScheduled = false;
    this.writeBatch();
  };

  private writeBatch(): void {
    const sink = this.sink;
    const count = this.batch.length;
    if (!sink || count === 0) return;
    const write: Write = { events: this.batchEvents, bytes: this.batch.bytes, firstSeq: this.handed };
    const chunk = this.batch.take();
    this.batchEvents = [];
    this.writes.push(write);
    this.handed += write.events.length;
    this.inFlightBytes += write.bytes;
    sink.write(chunk, chunkEncoding(chunk), (error) => this.onWritten(sink, error));
  }

  /** Write callbacks fire in order; one with an error means the stream is going away (detach gives back). */
  private onWritten(sink: ByteSink, error: Error | null | undefined): void {
    if (sink !== this.sink || error) return;
    const write = this.writes[this.writesHead] as Write;
    this.writesHead += 1;
    if (this.writesHead === this.writes.length) {
      this.writes = [];
      this.writesHead = 0;
    }
    const wasWritable = this.writable();
    this.inFlightBytes -= write.bytes;
    this.counters.written += write.events.length;
    this.taken += write.events.length;
    this.proof?.taken(write.events, write.firstSeq, write.bytes, this.listener?.needsProof?.bind(this.listener));
    if (!wasWritable) this.notifyWritable();
    this.settleIdle();
  }
}
