/**
 * What a listener (stream-listener.ts) needs from the hub its clients join (daemon/hub
 * implements it): the transports stay below the hub, which builds on them.
 */
import type { CotEvent } from '../codec/event.js';

/** The connection's write queue, as far as the hub needs it. */
export interface ConnectionQueue {
  readonly length: number;
  push(event: CotEvent): void;
  whenBacklogBelow(depth: number, listener: () => void): void;
}

/** One connection, as its listener hands it to the hub. */
export interface HubConnection {
  /** The listener's name (its config id). */
  readonly listener: string;
  /** `host:port` of the client. */
  readonly peer: string;
  readonly address: string;
  /** Subject CN of the client certificate (tls+listen with a client certificate). */
  readonly certCn: string | undefined;
  readonly queue: ConnectionQueue;
  bytesIn(): number;
  bytesOut(): number;
  close(): void;
}

export interface HubMemberOptions {
  /** The certificate CN must be the uid or callsign the client claims. */
  bindIdentity: boolean;
  /** A client whose hub queue stays full this long is closed; 0: never. */
  stallTimeoutMs: number;
}

/** A client as the hub knows it; opaque to the listener. */
export type HubMember = object;

export interface ListenerHub {
  addListener(name: string): void;
  removeListener(name: string): void;
  join(connection: HubConnection, options: HubMemberOptions): HubMember;
  leave(member: HubMember): void;
  /** An event from a client; true when it goes on to the router too. */
  fromClient(member: HubMember, event: CotEvent): boolean;
  /** An event the router sends to listener `listener`. */
  fromRouter(listener: string, event: CotEvent): void;
  /** Shutdown: what waits for `listener`'s clients goes to their connections. */
  handOnAll(listener: string): void;
}

/** What a listener is told about its hub: which hub, and whether certificates bind identities. */
export interface HubMembership {
  hub: ListenerHub;
  /** The client certificate's CN must be the uid or callsign the client claims (tls+listen only). */
  bindIdentity: boolean;
}
