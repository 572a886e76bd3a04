/**
 * One websocket client of a wss+listen:// listener: TAK protocol 1 frames, one per binary
 * message, both ways (as TAK Server's /takproto/1). Answers TAK pings with pongs (and ws
 * answers WebSocket pings by itself). Bounded: one drop-oldest queue towards the client;
 * the listener's sweep asks `expired()` for the deadlines (first event, idle, a client that
 * reads nothing). A bad message counts once and never swallows the next one.
 */
import type { Socket } from 'node:net';
import type WebSocket from 'ws';
import { CotStreamDecoder } from '../../codec/stream.js';
import type { CotEvent } from '../../codec/event.js';
import type { Logger } from '../../../util/logger.js';
import { PING, PONG, PROTOCOL_ADVERTISE, PROTOCOL_REQUEST, PROTOCOL_RESPONSE, pongEvent } from '../control-events.js';
import { deliver } from '../deliver.js';
import { holdWhileGateClosed } from '../inbound-gate.js';
import type { ClosedReason, ListenerLimits } from '../listener-limits.js';
import { DEFAULTS, type TransportOptions } from '../options.js';
import { streamEncoder } from '../stream-codec.js';
import type { TransportCounters } from '../types.js';
import { formatAddress } from '../url.js';
import { WriteQueue } from '../write-queue.js';
import { MessageSink } from './frames.js';

export class WssSession {
  readonly peer: string;
  readonly queue: WriteQueue;
  private readonly decoder: CotStreamDecoder;
  private connectedAt: number;
  private lastEventAt: number;
  private eventsSeen = 0;
  private messageHadError = false;
  private lastBuffered = 0;
  private stalledSince: number | undefined;
  /** The hub sees each data event first; false: refused, not delivered. */
  onClientEvent: ((event: CotEvent) => boolean) | undefined;

  constructor(
    private readonly ws: WebSocket,
    readonly socket: Socket,
    private readonly transportName: string,
    private readonly options: TransportOptions,
    private readonly counters: TransportCounters,
    private readonly logger: Logger,
    canSend: boolean,
    private readonly delivering: boolean,
    private readonly limits: ListenerLimits,
    now: number,
  ) {
    this.peer = formatAddress(socket.remoteAddress ?? '?', socket.remotePort ?? 0);
    this.connectedAt = this.lastEventAt = now;
    this.queue = new WriteQueue(streamEncoder(1), {
      capacity: options.maxQueue ?? DEFAULTS.maxQueue,
      maxBufferedBytes: limits.maxOutboundBytes,
      logger,
      logContext: { transport: transportName, peer: this.peer },
    });
    this.decoder = new CotStreamDecoder({
      maxEventBytes: options.maxEventBytes ?? DEFAULTS.maxEventBytes,
      onEvent: (event) => this.onFrameEvent(event),
      onError: (error) => {
        this.messageHadError = true;
        logger.debug({ transport: transportName, peer: this.peer, reason: error.reason }, 'undecodable message from client');
      },
    });
    this.decoder.setProtocol(1);
    ws.on('message', (data: Buffer, isBinary: boolean) => this.onMessage(data, isBinary));
    ws.on('ping', () => (this.lastEventAt = Date.now()));
    ws.on('error', (error) => logger.debug({ transport: transportName, peer: this.peer, err: error.message }, 'client connection error'));
    ws.on('close', () => {
      this.queue.detach();
      this.queue.clear();
    });
    if (canSend) this.queue.attach(new MessageSink(ws));
  }

  close(): void {
    this.ws.terminate();
  }

  get bytesIn(): number {
    return this.socket.bytesRead;
  }

  get bytesOut(): number {
    return this.socket.bytesWritten;
  }

  expired(now: number, receiving: boolean): ClosedReason | undefined {
    const { firstEventTimeoutMs, idleTimeoutMs, stallTimeoutMs } = this.limits;
    if (receiving) {
      if (firstEventTimeoutMs > 0 && this.eventsSeen === 0 && now - this.connectedAt >= firstEventTimeoutMs) return 'firstEventTimeout';
      if (idleTimeoutMs > 0 && now - this.lastEventAt >= idleTimeoutMs) return 'idle';
    }
    const buffered = this.ws.bufferedAmount;
    if (buffered === 0 || buffered !== this.lastBuffered) {
      this.lastBuffered = buffered;
      this.stalledSince = undefined;
    } else if (this.stalledSince === undefined) {
      this.stalledSince = now;
    } else if (stallTimeoutMs > 0 && now - this.stalledSince >= stallTimeoutMs) {
      return 'slowReader';
    }
    return undefined;
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (!isBinary) {
      this.counters.decodeErrors += 1;
      return;
    }
    this.messageHadError = false;
    this.decoder.push(data);
    holdWhileGateClosed(this.socket, this.options.inboundGate);
    if (this.messageHadError || this.decoder.midEvent) {
      this.counters.decodeErrors += 1;
      this.decoder.reset();
      this.decoder.setProtocol(1);
    }
  }

  private onFrameEvent(event: CotEvent): void {
    this.eventsSeen += 1;
    this.lastEventAt = Date.now();
    switch (event.type) {
      case PING:
        if (this.ws.readyState === 1 && this.ws.bufferedAmount < this.limits.maxOutboundBytes) this.ws.send(streamEncoder(1)(pongEvent()) as Buffer, { binary: true });
        return;
      case PONG:
      case PROTOCOL_ADVERTISE:
      case PROTOCOL_RESPONSE:
      case PROTOCOL_REQUEST:
        return;
    }
    this.counters.eventsReceived += 1;
    if (this.onClientEvent !== undefined && !this.onClientEvent(event)) return;
    if (this.delivering) deliver(this.options.onEvent, event, { transport: this.transportName, peer: this.peer, version: 1 }, this.logger);
  }
}
