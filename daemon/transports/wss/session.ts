/**
 * One websocket client of a wss+listen:// listener: TAK protocol 1 frames, one per binary
 * message, both ways (as TAK Server's /takproto/1). Answers TAK pings with pongs (and ws
 * answers WebSocket pings by itself). Bounded: one drop-oldest queue towards the client;
 * the listener's sweep asks `expired()` for the deadlines (first event, idle, a client that
 * reads nothing). A bad message counts once and never swallows the next one.
 */
import type { Socket } from 'node:net';
import type WebSocket from 'ws';
import type { CotStreamDecoder } from '../../codec/stream.js';
import type { CotEvent } from '../../codec/event.js';
import { ClientSession, type SessionContext } from '../client-session.js';
import { PING, PONG, PROTOCOL_ADVERTISE, PROTOCOL_REQUEST, PROTOCOL_RESPONSE, pongEvent } from '../control-events.js';
import { holdWhileGateClosed } from '../inbound-gate.js';
import type { ClosedReason } from '../listener-limits.js';
import { streamEncoder } from '../stream-codec.js';
import { MessageSink } from './frames.js';

export class WssSession extends ClientSession {
  private readonly decoder: CotStreamDecoder;
  private messageHadError = false;

  constructor(
    private readonly ws: WebSocket,
    socket: Socket,
    context: SessionContext,
    now: number,
  ) {
    super(socket, context, streamEncoder(1), context.limits.maxOutboundBytes, now);
    const { transportName, logger } = context;
    this.decoder = this.newDecoder(
      (event) => this.onFrameEvent(event),
      (error) => {
        this.messageHadError = true;
        logger.debug({ transport: transportName, peer: this.peer, reason: error.reason }, 'undecodable message from client');
      },
    );
    this.decoder.setProtocol(1);
    ws.on('message', (data: Buffer, isBinary: boolean) => this.onMessage(data, isBinary));
    ws.on('ping', () => (this.lastEventAt = Date.now()));
    ws.on('error', (error) => logger.debug({ transport: transportName, peer: this.peer, err: error.message }, 'client connection error'));
    ws.on('close', () => {
      this.queue.detach();
      this.queue.clear();
    });
    if (context.canSend) this.queue.attach(new MessageSink(ws));
  }

  close(): void {
    this.ws.terminate();
  }

  expired(now: number, receiving: boolean): ClosedReason | undefined {
    if (receiving) {
      const quiet = this.quiet(now);
      if (quiet !== undefined) return quiet;
    }
    const buffered = this.ws.bufferedAmount;
    return this.stalled(now, buffered !== 0, buffered) ? 'slowReader' : undefined;
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (!isBinary) {
      this.context.counters.decodeErrors += 1;
      return;
    }
    this.messageHadError = false;
    this.decoder.push(data);
    holdWhileGateClosed(this.socket, this.context.options.inboundGate);
    if (this.messageHadError || this.decoder.midEvent) {
      this.context.counters.decodeErrors += 1;
      this.decoder.reset();
      this.decoder.setProtocol(1);
    }
  }

  private onFrameEvent(event: CotEvent): void {
    this.eventsSeen += 1;
    this.lastEventAt = Date.now();
    switch (event.type) {
      case PING:
        if (this.ws.readyState === 1 && this.ws.bufferedAmount < this.context.limits.maxOutboundBytes) this.ws.send(streamEncoder(1)(pongEvent()) as Buffer, { binary: true });
        return;
      case PONG:
      case PROTOCOL_ADVERTISE:
      case PROTOCOL_RESPONSE:
      case PROTOCOL_REQUEST:
        return;
    }
    this.received(event, 1);
  }
}
