/**
 * The contract every transport (tcp, tls, udp, listeners, log, file) fulfils.
 *
 * A transport is created stopped; `start()` opens it and it then owns its own reconnects.
 * It never throws on network trouble: that is reported through `status()` and the logger.
 * Configuration mistakes are thrown as TransportConfigError (from the factory, or from
 * `start()` when a file it needs cannot be read), so a bad config never starts half a daemon.
 */
import type { LinkState } from '../../util/link-state.js';
import type { CotEvent } from '../codec/event.js';

/** Where a received event came from: the transport's name plus the remote address. */
export interface EventOrigin {
  transport: string;
  /** `host:port` (IPv6 in brackets) of the peer that sent it, when there is one. */
  peer?: string;
  /** TAK protocol version the event arrived in. */
  version: 0 | 1;
}

/** A transport's state, in the one link vocabulary (never 'ended': a transport runs until closed). */
export type TransportState = Exclude<LinkState, 'ended'>;

export interface TransportCounters {
  /** Events accepted by send(). */
  eventsQueued: number;
  /** Events written to the socket, file or stream (taken by the kernel). */
  eventsSent: number;
  /** Events dropped: queue full (oldest first), too large for a datagram, or not encodable. */
  eventsDropped: number;
  eventsReceived: number;
  /** Frames, datagrams or events that did not decode. */
  decodeErrors: number;
  connects: number;
  disconnects: number;
  /** Streams: events handed over that a dead connection never wrote, given back to be sent again. */
  eventsReturned?: number;
  /**
   * Streams: events the kernel had taken (counted in eventsSent) on a connection that died
   * without the peer being heard from after them: the at-most-once window, maybe lost.
   */
  inFlightLost?: number;
  /** Streams to a peer that answers pings: events a pong proved read. */
  eventsProven?: number;
  /** Streams to a peer that answers pings: written events no pong proved before the connection died, sent again (at-least-once). */
  eventsResent?: number;
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
   * Sends one event. Never blocks, never throws. Returns false when the event was not
   * taken: the transport is receive-only, or it dropped this event at once (a datagram too
   * large, not encodable, too many in flight; counted in eventsDropped). Stream clients and
   * line outputs hold no queue: send while `writable()`; an event sent while down goes
   * straight back to the listener.
   */
  send(event: CotEvent): boolean;
  /** True while events sent now go out (connected and, for v1, negotiated). Cheaper than status(). */
  isUp?(): boolean;
  /**
   * Flow control (optional): true while an event sent now is written at once (connected,
   * negotiated, and below the transport's bound on bytes in flight). The caller keeps
   * events while it is false and hands them over when its listener hears `onWritable`.
   * Outputs without it (listeners with one queue per client, datagrams) take events whenever up.
   */
  writable?(): boolean;
  /** Who hears when the output is writable again and gets back what a dead connection never wrote. */
  setListener?(listener: OutputListener | undefined): void;
  /**
   * Resolves once every event queued so far has been handed to the OS (or dropped).
   * Rejects if the transport failed for good before that (see TransportState 'failed').
   */
  flush(): Promise<void>;
}

/** The owner of an output's waiting events (the router's OutputLink, or `takd send`). */
export interface OutputListener {
  /** The output can take events again (drained, connected, negotiated, a pause over). */
  onWritable(): void;
  /**
   * Events handed over that the connection never wrote (it died before the kernel took
   * them), oldest first: they are the listener's again, to send on the next connection.
   */
  onReturned(events: CotEvent[]): void;
  /** Whether an event must stay until the peer proves it read it (delivery-proof.ts); default no. */
  needsProof?(event: CotEvent): boolean;
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
