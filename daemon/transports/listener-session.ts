/**
 * One end-user device connected to a tcp+listen:// or tls+listen:// listener.
 *
 * Acts as a TAK server would: answers pings with pongs (ATAK resets a silent server link
 * after 25 s), offers TAK protocol 1 when the listener is configured for it and switches
 * when the client asks.
 *
 * Bounded both ways: what is queued towards the client (answers and relayed events) is
 * capped, and while it is over the cap takd stops reading from the client, so a client that
 * writes without reading cannot make takd buffer without end. The listener's sweep asks
 * `expired()` for the deadlines (first event, one event, idle, a client that reads nothing).
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { CotStreamDecoder } from '../codec/stream.js';
import type { CotEvent } from '../codec/event.js';
import {
  PING,
  PONG,
  PROTOCOL_ADVERTISE,
  PROTOCOL_REQUEST,
  PROTOCOL_RESPONSE,
  pongEvent,
  protocolAdvertiseEvent,
  protocolResponseEvent,
  requestedVersion,
} from './control-events.js';
import { ClientSession, type SessionContext } from './client-session.js';
import type { ClosedReason } from './listener-limits.js';
import { DEFAULTS } from './options.js';
import { streamEncoder } from './stream-codec.js';

/**
 * Bytes a client's socket may buffer in the process beyond what the kernel took: what
 * waits beyond that stays in the queues in front (for a hub client, its client queue,
 * where a newer position replaces an older one and bounds apply per client). Was 256 KiB;
 * measured alone, the change did not move memory after 500 phones joined: it is here
 * so that a backlog is one that coalesces.
 */
const SOCKET_BUFFER_BYTES = 64 * 1024;

export class ListenerSession extends ClientSession {
  private readonly decoder: CotStreamDecoder;
  private protocol: 0 | 1 = 0;
  private offerUid: string | undefined;
  /** When the event now arriving began, while one is incomplete. */
  private eventStartedAt: number | undefined;
  /** Why reading is paused: the daemon's inbound gate is closed, or the client does not read. */
  private gateHold = false;
  private outboundHold = false;

  constructor(socket: Socket, context: SessionContext, now: number) {
    super(socket, context, streamEncoder(0), SOCKET_BUFFER_BYTES, now);
    const { transportName, options, counters, logger } = context;
    this.decoder = this.newDecoder(
      (event) => this.onStreamEvent(event),
      (error) => {
        counters.decodeErrors += 1;
        logger.debug({ transport: transportName, peer: this.peer, reason: error.reason }, 'undecodable data from client');
      },
    );
    const keepAliveMs = options.keepAliveMs ?? DEFAULTS.keepAliveMs;
    if (keepAliveMs > 0) socket.setKeepAlive(true, keepAliveMs);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => this.setOutboundHold(false));
    socket.on('error', (error) => logger.debug({ transport: transportName, peer: this.peer, err: error.message }, 'client connection error'));
    socket.on('close', () => {
      this.queue.detach();
      this.queue.clear();
    });
    if (options.proto === 1) {
      this.offerUid = randomUUID();
      this.writeControl(protocolAdvertiseEvent(this.offerUid, [1]));
    }
    if (context.canSend) this.queue.attach(socket);
  }

  close(): void {
    this.socket.destroy();
  }

  /**
   * The deadline this client has missed at `now`, if any. `receiving`: the listener takes
   * events, so a client is expected to send them (ATAK sends its position at once and pings
   * when it has nothing else to say); a send-only listener serves clients that only read.
   */
  expired(now: number, receiving: boolean): ClosedReason | undefined {
    const { eventTimeoutMs } = this.context.limits;
    // While takd is not reading, the client cannot be late: its clocks restart when reading does.
    if (receiving && !this.gateHold && !this.outboundHold) {
      const quiet = this.quiet(now);
      if (quiet === 'firstEventTimeout') return quiet;
      if (eventTimeoutMs > 0 && this.eventStartedAt !== undefined && now - this.eventStartedAt >= eventTimeoutMs) return 'eventTimeout';
      if (quiet !== undefined) return quiet;
    }
    // Bytes wait for the client and the kernel has taken none of them since the last look.
    // (bytesWritten copies the socket's buffer list: read it only when bytes wait.)
    const waiting = this.socket.writableLength !== 0;
    const sent = waiting ? this.socket.bytesWritten - this.socket.writableLength : 0;
    return this.stalled(now, waiting, sent) ? 'slowReader' : undefined;
  }

  private onData(chunk: Buffer): void {
    this.decoder.push(chunk);
    if (this.decoder.midEvent) this.eventStartedAt ??= Date.now();
    else this.eventStartedAt = undefined;
    if (this.socket.writableLength >= this.context.limits.maxOutboundBytes) this.setOutboundHold(true);
    const gate = this.context.options.inboundGate;
    if (gate !== undefined && !this.gateHold && gate.closed()) {
      this.gateHold = true;
      this.updateReading();
      gate.whenOpen(() => {
        this.gateHold = false;
        this.updateReading();
      });
    }
  }

  private setOutboundHold(hold: boolean): void {
    if (this.outboundHold === hold) return;
    this.outboundHold = hold;
    this.updateReading();
  }

  private updateReading(): void {
    if (this.socket.destroyed) return;
    if (this.gateHold || this.outboundHold) {
      this.socket.pause();
      return;
    }
    const now = Date.now();
    this.lastEventAt = now;
    if (this.eventsSeen === 0) this.connectedAt = now;
    if (this.eventStartedAt !== undefined) this.eventStartedAt = now;
    this.socket.resume();
  }

  /** Answers go out ahead of queued events; while the client is over its bound they are not written. */
  private writeControl(event: CotEvent): void {
    if (this.socket.destroyed || this.socket.writableLength >= this.context.limits.maxOutboundBytes) return;
    this.socket.write(streamEncoder(this.protocol)(event));
  }

  private onStreamEvent(event: CotEvent): void {
    this.eventsSeen += 1;
    this.lastEventAt = Date.now();
    switch (event.type) {
      case PING:
        this.writeControl(pongEvent());
        return;
      case PONG:
      case PROTOCOL_ADVERTISE:
      case PROTOCOL_RESPONSE:
        return;
      case PROTOCOL_REQUEST:
        this.onProtocolRequest(event);
        return;
    }
    this.received(event, this.protocol);
  }

  private onProtocolRequest(request: CotEvent): void {
    const accepted = this.offerUid !== undefined && this.protocol === 0 && requestedVersion(request) === 1;
    this.writeControl(protocolResponseEvent(request.uid, accepted));
    if (!accepted) return;
    // The response went out in XML; everything after it, both ways, is TAK protocol 1.
    this.decoder.setProtocol(1);
    this.protocol = 1;
    this.queue.setEncoder(streamEncoder(1));
    this.context.logger.info({ transport: this.context.transportName, peer: this.peer }, 'client switched to TAK protocol 1');
  }
}
