/**
 * What a listener's client session is, whatever carries it (a TCP/TLS stream,
 * listener-session.ts, or a websocket, wss/session.ts): its peer, its drop-oldest queue
 * towards the client, the clocks the sweep reads (first event, idle, a client that reads
 * nothing) and how a received data event reaches the hub and the router.
 */
import type { Socket } from 'node:net';
import type { CotEvent } from '../codec/event.js';
import type { Logger } from '../../util/logger.js';
import { CotStreamDecoder } from '../codec/stream.js';
import type { CotDecodeError } from '../codec/errors.js';
import { deliver } from './deliver.js';
import type { ListenerClient } from './listener-core.js';
import type { ClosedReason, ListenerLimits } from './listener-limits.js';
import { DEFAULTS, type TransportOptions } from './options.js';
import type { EventEncoder } from './stream-writer.js';
import type { TransportCounters } from './types.js';
import { formatAddress } from './url.js';
import { WriteQueue } from './write-queue.js';

/** What a listener hands each session it makes. */
export interface SessionContext {
  transportName: string;
  options: TransportOptions;
  counters: TransportCounters;
  logger: Logger;
  canSend: boolean;
  /** The listener receives: data events go on to options.onEvent. */
  delivering: boolean;
  limits: ListenerLimits;
}

export abstract class ClientSession implements ListenerClient {
  readonly peer: string;
  readonly queue: WriteQueue;
  /** The hub (daemon/hub) sees each data event first; false: refused, not delivered. */
  onClientEvent: ((event: CotEvent) => boolean) | undefined;
  protected connectedAt: number;
  protected lastEventAt: number;
  protected eventsSeen = 0;
  /** How far the bytes towards the client had got at the last sweep, and since when that has not moved while some wait. */
  private lastProgress = 0;
  private stalledSince: number | undefined;

  constructor(
    protected readonly socket: Socket,
    protected readonly context: SessionContext,
    encoder: EventEncoder,
    maxBufferedBytes: number | undefined,
    now: number,
  ) {
    this.peer = formatAddress(socket.remoteAddress ?? '?', socket.remotePort ?? 0);
    this.connectedAt = this.lastEventAt = now;
    this.queue = new WriteQueue(encoder, {
      capacity: context.options.maxQueue ?? DEFAULTS.maxQueue,
      ...(maxBufferedBytes === undefined ? {} : { maxBufferedBytes }),
      logger: context.logger,
      logContext: { transport: context.transportName, peer: this.peer },
    });
  }

  abstract close(): void;
  abstract expired(now: number, receiving: boolean): ClosedReason | undefined;

  get bytesIn(): number {
    return this.socket.bytesRead;
  }

  get bytesOut(): number {
    return this.socket.bytesWritten;
  }

  /** A decoder for what the client sends, with the listener's bound on one event. */
  protected newDecoder(onEvent: (event: CotEvent) => void, onError: (error: CotDecodeError) => void): CotStreamDecoder {
    return new CotStreamDecoder({ maxEventBytes: this.context.options.maxEventBytes ?? DEFAULTS.maxEventBytes, onEvent, onError });
  }

  /** Bytes are queued for the client when the sweep asks, and nothing has moved since the last time this long. */
  protected stalled(now: number, waiting: boolean, progress: number): boolean {
    if (!waiting || progress !== this.lastProgress) {
      this.lastProgress = progress;
      this.stalledSince = undefined;
      return false;
    }
    if (this.stalledSince === undefined) {
      this.stalledSince = now;
      return false;
    }
    const { stallTimeoutMs } = this.context.limits;
    return stallTimeoutMs > 0 && now - this.stalledSince >= stallTimeoutMs;
  }

  /** The first event and idle deadlines of a client expected to send. */
  protected quiet(now: number): ClosedReason | undefined {
    const { firstEventTimeoutMs, idleTimeoutMs } = this.context.limits;
    if (firstEventTimeoutMs > 0 && this.eventsSeen === 0 && now - this.connectedAt >= firstEventTimeoutMs) return 'firstEventTimeout';
    if (idleTimeoutMs > 0 && now - this.lastEventAt >= idleTimeoutMs) return 'idle';
    return undefined;
  }

  /** A data event from the client: counted, shown to the hub, then delivered when the listener receives. */
  protected received(event: CotEvent, version: 0 | 1): void {
    const { counters, delivering, options, transportName, logger } = this.context;
    counters.eventsReceived += 1;
    if (this.onClientEvent !== undefined && !this.onClientEvent(event)) return;
    if (delivering) deliver(options.onEvent, event, { transport: transportName, peer: this.peer, version }, logger);
  }
}
