/**
 * One end-user device connected to a tcp+listen:// or tls+listen:// listener.
 *
 * Acts as a TAK server would: answers pings with pongs (ATAK resets a silent server link
 * after 25 s), offers TAK protocol 1 when the listener is configured for it and switches
 * when the client asks, and drops the client after a long read silence.
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { CotStreamDecoder } from '../codec/stream.js';
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
import { deliver } from './deliver.js';
import { holdWhileGateClosed } from './inbound-gate.js';
import { DEFAULTS, type TransportOptions } from './options.js';
import { SilenceWatchdog } from './silence-watchdog.js';
import { streamEncoder } from './stream-codec.js';
import type { EventOrigin, Logger, TransportCounters } from './types.js';
import { formatAddress } from './url.js';
import { WriteQueue } from './write-queue.js';

export class ListenerSession {
  readonly peer: string;
  readonly queue: WriteQueue;
  private readonly decoder: CotStreamDecoder;
  private readonly watchdog: SilenceWatchdog;
  private protocol: 0 | 1 = 0;
  private offerUid: string | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly transportName: string,
    private readonly options: TransportOptions,
    private readonly counters: TransportCounters,
    private readonly logger: Logger,
    canSend: boolean,
    private readonly delivering: boolean,
  ) {
    this.peer = formatAddress(socket.remoteAddress ?? '?', socket.remotePort ?? 0);
    this.queue = new WriteQueue(streamEncoder(0), {
      capacity: options.maxQueue ?? DEFAULTS.maxQueue,
      logger,
      logContext: { transport: transportName, peer: this.peer },
    });
    this.decoder = new CotStreamDecoder({
      maxEventBytes: options.maxEventBytes ?? DEFAULTS.maxEventBytes,
      onEvent: (event) => this.onStreamEvent(event),
      onError: (error) => {
        counters.decodeErrors += 1;
        logger.debug({ transport: transportName, peer: this.peer, reason: error.reason }, 'undecodable data from client');
      },
    });
    this.watchdog = new SilenceWatchdog({
      pingAfterMs: 0,
      idleTimeoutMs: options.idleTimeoutMs ?? DEFAULTS.listenerIdleTimeoutMs,
      sendPing: () => undefined,
      onIdle: (silentFor) => {
        logger.info({ transport: transportName, peer: this.peer, silentFor }, 'client silent; dropping it');
        socket.destroy();
      },
    });
    const keepAliveMs = options.keepAliveMs ?? DEFAULTS.keepAliveMs;
    if (keepAliveMs > 0) socket.setKeepAlive(true, keepAliveMs);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.watchdog.heard();
      this.decoder.push(chunk);
      holdWhileGateClosed(socket, options.inboundGate);
    });
    socket.on('error', (error) => logger.debug({ transport: transportName, peer: this.peer, err: error.message }, 'client connection error'));
    socket.on('close', () => {
      this.watchdog.stop();
      this.queue.detach();
      this.queue.clear();
    });
    if (options.proto === 1) {
      this.offerUid = randomUUID();
      this.writeControl(protocolAdvertiseEvent(this.offerUid, [1]));
    }
    if (canSend) this.queue.attach(socket);
  }

  close(): void {
    this.socket.destroy();
  }

  private writeControl(event: CotEvent): void {
    if (!this.socket.destroyed) this.socket.write(streamEncoder(this.protocol)(event));
  }

  private onStreamEvent(event: CotEvent): void {
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
    this.counters.eventsReceived += 1;
    const origin: EventOrigin = { transport: this.transportName, peer: this.peer, version: this.protocol };
    if (this.delivering) deliver(this.options.onEvent, event, origin, this.logger);
  }

  private onProtocolRequest(request: CotEvent): void {
    const accepted = this.offerUid !== undefined && this.protocol === 0 && requestedVersion(request) === 1;
    this.writeControl(protocolResponseEvent(request.uid, accepted));
    if (!accepted) return;
    // The response went out in XML; everything after it, both ways, is TAK protocol 1.
    this.decoder.setProtocol(1);
    this.protocol = 1;
    this.queue.setEncoder(streamEncoder(1));
    this.logger.info({ transport: this.transportName, peer: this.peer }, 'client switched to TAK protocol 1');
  }
}
