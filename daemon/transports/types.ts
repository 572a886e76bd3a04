/**
 * The contract every transport (tcp, tls, udp, listeners, log, file) fulfils.
 *
 * A transport is created stopped; `start()` opens it and it then owns its own reconnects.
 * It never throws on network trouble: that is reported through `status()` and the logger.
 * Configuration mistakes are thrown as TransportConfigError (from the factory, or from
 * `start()` when a file it needs cannot be read), so a bad config never starts half a daemon.
 */
import type { CotEvent } from '../codec/event.js';

/** Where a received event came from: the transport's name plus the remote address. */
export interface EventOrigin {
  transport: string;
  /** `host:port` (IPv6 in brackets) of the peer that sent it, when there is one. */
  peer?: string;
  /** TAK protocol version the event arrived in. */
  version: 0 | 1;
}

export type TransportState =
  | 'stopped' // created, or closed
  | 'connecting' // dialling, binding or listening
  | 'negotiating' // TAK protocol v1 requested, waiting for the server's answer
  | 'up' // usable
  | 'backoff' // waiting before the next attempt
  | 'failed'; // given up (configuration error, or maxAttempts reached)

export interface TransportCounters {
  /** Events accepted by send(). */
  eventsQueued: number;
  /** Events written to the socket, file or stream. */
  eventsSent: number;
  /** Events dropped: queue full (oldest first), too large for a datagram, or not encodable. */
  eventsDropped: number;
  eventsReceived: number;
  /** Frames, datagrams or events that did not decode. */
  decodeErrors: number;
  connects: number;
  disconnects: number;
  /** udp: our own datagrams that came back (two of our interfaces on one LAN), dropped unread. */
  ownDatagramsDropped?: number;
}

export interface TransportStatus {
  name: string;
  state: TransportState;
  /** A human sentence: "up since 12:00:01 (TAK protocol 1)", "retrying in 9 s: ECONNREFUSED". */
  message: string;
  /** The protocol currently used to send: 0 XML, 1 TAK protocol v1. */
  protocol: 0 | 1;
  /** The common counters, and any a transport keeps besides (listeners: refusals by reason). */
  counters: TransportCounters & Record<string, number>;
}

/** Something takd can send events to. */
export interface CotOutput {
  readonly name: string;
  /**
   * Queues one event for sending. Never blocks, never throws. Returns false when the event
   * was not taken: the transport is receive-only, or it dropped this event at once (a
   * datagram too large, not encodable, too many in flight; counted in eventsDropped).
   * Streams never refuse: when their queue is full the oldest queued event is dropped and
   * counted, and the new one is taken.
   */
  send(event: CotEvent): boolean;
  /** True while events sent now go out (connected and, for v1, negotiated). Cheaper than status(). */
  isUp?(): boolean;
  /**
   * Flow control for a router in front of this output (optional): how many accepted events
   * wait in its queue (for a connection, or for the socket to drain), and a one-shot call for
   * when that falls below `depth` again, so the router can keep events in its own priority
   * lanes meanwhile.
   * Outputs without them (listeners with one queue per client, datagrams) never hold it back.
   */
  backlog?(): number;
  whenBacklogBelow?(depth: number, listener: () => void): void;
  /**
   * Resolves once every event queued so far has been handed to the OS (or dropped).
   * Rejects if the transport failed for good before that (see TransportState 'failed').
   */
  flush(): Promise<void>;
}

/** Something takd receives events from. Events go to the `onEvent` given at creation. */
export interface CotInput {
  readonly name: string;
}

export interface Transport extends CotOutput, CotInput {
  readonly canSend: boolean;
  readonly canReceive: boolean;
  start(): void;
  /** Stops reconnecting, closes sockets, files and timers. Queued events are discarded. */
  close(): Promise<void>;
  status(): TransportStatus;
}

/** Called for every received data event (control events such as pings are consumed). */
export type EventHandler = (event: CotEvent, origin: EventOrigin) => void;

export function newCounters(): TransportCounters {
  return {
    eventsQueued: 0,
    eventsSent: 0,
    eventsDropped: 0,
    eventsReceived: 0,
    decodeErrors: 0,
    connects: 0,
    disconnects: 0,
  };
}
