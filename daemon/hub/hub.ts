/**
 * The hub: the clients of every member listener (tcp+listen, tls+listen) of one takd, as
 * one TAK server would see them (tak-server-api.md §1).
 *
 * - Between clients: broadcast by default (never back to the sender), GeoChat by room,
 *   `<marti><dest>` by uid and by callsign, control traffic never relayed (addressing.ts).
 * - From the rest of takd (the router sends an event to a member listener): the clients of
 *   that listener, addressed events to their addressees only.
 * - A client that identifies itself (its first own position report) gets the SA replay
 *   (replay-store.ts) and what was held for it (mailbox.ts) at once.
 * - Each client has its own bounded queue with PLI coalescing (client-queue.ts); one whose
 *   queue stays full past the listener's stall timeout is closed and counted.
 * - bind_identity: a client's certificate CN must be the uid or callsign it claims.
 *
 * The listeners keep their own door (listener-limits.ts): limits, deadlines, TLS checks.
 */
import type { CotEvent } from '../codec/event.js';
import type { ClientDirectory, ClientEndpoint } from '../marti/client-directory.js';
import type { Logger } from '../../util/logger.js';
import { addressing, isSelfReport, type Addressing } from './addressing.js';
import { ClientQueue } from './client-queue.js';
import type { HubConnection, HubMemberOptions, ListenerHub } from '../transports/listener-hub.js';
import { Mailbox } from './mailbox.js';
import { ReplayStore } from './replay-store.js';
import { Fingerprinter } from '../routing/fingerprint.js';

export interface HubSettings {
  /** SA replay: how long an event is replayed at most (stale comes first when sooner). */
  replayTtlMs: number;
  replayMaxEntries: number;
  replayMaxBytes: number;
  /** Mailbox: events held per recipient, and in total. */
  mailboxPerRecipient: number;
  mailboxTotal: number;
  /** Per client queue: events and estimated bytes at most. */
  clientQueueEvents: number;
  clientQueueBytes: number;
}

export const HUB_DEFAULTS: HubSettings = {
  replayTtlMs: 3_600_000,
  replayMaxEntries: 10_000,
  replayMaxBytes: 16 * 2 ** 20,
  mailboxPerRecipient: 100,
  mailboxTotal: 5_000,
  clientQueueEvents: 1_000,
  clientQueueBytes: 2 * 2 ** 20,
};


/** One connected client, as status.json, the Marti server and /metrics see it. */
export interface HubClientInfo {
  uid: string | null;
  callsign: string | null;
  team: string | null;
  role: string | null;
  certCn: string | null;
  listener: string;
  address: string;
  peer: string;
  connectedSince: string;
  lastEventAt: string | null;
  /** epoch ms, for callers that compare times (Marti clientEndPoints lastEventTime). */
  lastEventMs: number | null;
  eventsIn: number;
  eventsOut: number;
  bytesIn: number;
  bytesOut: number;
  queueDepth: number;
  dropped: number;
}


export interface HubCounters {
  /** Events handed to a client's queue, by why. */
  broadcast: number;
  addressed: number;
  team: number;
  replayed: number;
  mailboxDelivered: number;
  /** Not relayed. */
  control: number;
  /** From the router, already relayed inside the hub (another member listener): skipped. */
  duplicate: number;
  /** Addressed to nobody connected and not held (no name, or the mailbox full). */
  unaddressed: number;
  /** bind_identity: a client claimed a uid/callsign its certificate does not carry; closed. */
  identityMismatch: number;
  /** Closed because its queue stayed full past the stall timeout. */
  closedQueueFull: number;
  /** Dropped from full client queues (oldest first), and PLI replaced in place. */
  queueDropped: number;
  queueCoalesced: number;
}

export interface HubStatus {
  listeners: string[];
  clients: number;
  identified: number;
  counters: HubCounters;
  replay: { entries: number; bytes: number; stored: number; evicted: number; expired: number; deleted: number };
  mailbox: { events: number; recipients: number; held: number; delivered: number; full: number; expired: number };
  queueDepth: number;
  connected: HubClientInfo[];
}

const FINGERPRINT_MS = 60_000;
const FINGERPRINTS_MAX = 8_192;
const KNOWN_MAX = 4_096;

export class HubClient {
  uid: string | undefined;
  callsign: string | undefined;
  team: string | undefined;
  role: string | undefined;
  readonly connectedAt = Date.now();
  lastEventAt: number | undefined;
  eventsIn = 0;
  readonly queue: ClientQueue;
  closed = false;

  constructor(
    readonly connection: HubConnection,
    readonly options: HubMemberOptions,
    settings: HubSettings,
    /** The replay store's sequence when it joined: later events reached it live. */
    readonly joinedAt: number,
  ) {
    this.queue = new ClientQueue(connection.queue, { maxEvents: settings.clientQueueEvents, maxBytes: settings.clientQueueBytes });
  }

  info(): HubClientInfo {
    const c = this.connection;
    return {
      uid: this.uid ?? null,
      callsign: this.callsign ?? null,
      team: this.team ?? null,
      role: this.role ?? null,
      certCn: c.certCn ?? null,
      listener: c.listener,
      address: c.address,
      peer: c.peer,
      connectedSince: new Date(this.connectedAt).toISOString(),
      lastEventAt: this.lastEventAt === undefined ? null : new Date(this.lastEventAt).toISOString(),
      lastEventMs: this.lastEventAt ?? null,
      eventsIn: this.eventsIn,
      eventsOut: this.queue.counters.handedOn,
      bytesIn: c.bytesIn(),
      bytesOut: c.bytesOut(),
      queueDepth: this.queue.depth,
      dropped: this.queue.counters.dropped,
    };
  }
}

export class Hub implements ListenerHub {
  readonly settings: HubSettings;
  private readonly members = new Set<HubClient>();
  private readonly listeners = new Map<string, number>();
  private readonly store: ReplayStore;
  private readonly mailbox: Mailbox;
  /** Events relayed inside the hub lately, so the router's copy for another member listener is not sent twice. */
  private readonly relayed = new Map<number, number>();
  /** Uid → callsign and team of clients seen, so team chat can wait for an offline member. */
  private readonly known = new Map<string, { callsign: string | undefined; team: string | undefined }>();
  readonly counters: HubCounters = {
    broadcast: 0,
    addressed: 0,
    team: 0,
    replayed: 0,
    mailboxDelivered: 0,
    control: 0,
    duplicate: 0,
    unaddressed: 0,
    identityMismatch: 0,
    closedQueueFull: 0,
    queueDropped: 0,
    queueCoalesced: 0,
  };
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(
    settings: Partial<HubSettings> = {},
    private readonly logger?: Logger,
  ) {
    this.settings = { ...HUB_DEFAULTS, ...settings };
    this.store = new ReplayStore({ ttlMs: this.settings.replayTtlMs, maxEntries: this.settings.replayMaxEntries, maxBytes: this.settings.replayMaxBytes });
    this.mailbox = new Mailbox({ perRecipient: this.settings.mailboxPerRecipient, total: this.settings.mailboxTotal });
  }

  /** A listener joins (its clients are hub members while it runs). */
  addListener(name: string): void {
    this.listeners.set(name, (this.listeners.get(name) ?? 0) + 1);
    if (this.sweepTimer === undefined) {
      this.sweepTimer = setInterval(() => this.sweep(Date.now()), 1_000);
      this.sweepTimer.unref();
    }
  }

  removeListener(name: string): void {
    const n = (this.listeners.get(name) ?? 0) - 1;
    if (n > 0) this.listeners.set(name, n);
    else this.listeners.delete(name);
    if (this.listeners.size === 0 && this.sweepTimer !== undefined) {
      clearInterval(this.sweepTimer);
      this.sweepTimer = undefined;
    }
  }

  join(connection: HubConnection, options: HubMemberOptions): HubClient {
    const client = new HubClient(connection, options, this.settings, this.store.sequence);
    this.members.add(client);
    return client;
  }

  leave(client: HubClient): void {
    if (!this.members.delete(client)) return;
    client.closed = true;
    this.counters.queueDropped += client.queue.counters.dropped;
    this.counters.queueCoalesced += client.queue.counters.coalesced;
    client.queue.clear();
  }

  clients(): HubClientInfo[] {
    return [...this.members].map((client) => client.info());
  }

  /** For the data-package server's `GET /Marti/api/clientEndPoints`: the identified clients connected now. */
  readonly directory: ClientDirectory = {
    clients: (): ClientEndpoint[] => {
      const out: ClientEndpoint[] = [];
      for (const client of this.members) {
        if (client.uid === undefined) continue;
        const endpoint: ClientEndpoint = { uid: client.uid, callsign: client.callsign ?? client.uid, lastEventTime: client.lastEventAt ?? client.connectedAt, connected: true };
        if (client.connection.certCn !== undefined) endpoint.username = client.connection.certCn;
        out.push(endpoint);
      }
      return out;
    },
  };

  /**
   * An event from a client (pings and negotiation were answered by its session). Relays it
   * to the other clients; true when it goes on to the router as well, false when it was
   * refused (bind_identity: the client is closed).
   */
  fromClient(client: HubClient, event: CotEvent, now = Date.now()): boolean {
    client.eventsIn += 1;
    client.lastEventAt = now;
    if (isSelfReport(event) && !this.identify(client, event, now)) return false;
    const route = addressing(event);
    if (route.kind === 'control') {
      this.counters.control += 1;
      return true;
    }
    this.remember(event, now);
    this.store.offer(event, 'hub', client.uid ?? event.uid, now, route.kind !== 'broadcast');
    this.deliver(route, event, client, undefined, now);
    return true;
  }

  /** An event the router sends to member listener `listener`: to its clients, addressed ones to their addressees. */
  fromRouter(listener: string, event: CotEvent, now = Date.now()): void {
    const key = fingerprint(event);
    const seen = this.relayed.get(key);
    if (seen !== undefined && now - seen < FINGERPRINT_MS) {
      this.counters.duplicate += 1;
      return;
    }
    const route = addressing(event);
    if (route.kind === 'control') {
      this.counters.control += 1;
      return;
    }
    this.store.offer(event, listener, undefined, now, route.kind !== 'broadcast');
    this.deliver(route, event, undefined, listener, now);
  }

  status(): HubStatus {
    const connected = this.clients();
    let dropped = this.counters.queueDropped;
    let coalesced = this.counters.queueCoalesced;
    for (const client of this.members) {
      dropped += client.queue.counters.dropped;
      coalesced += client.queue.counters.coalesced;
    }
    return {
      listeners: [...this.listeners.keys()],
      clients: connected.length,
      identified: connected.filter((c) => c.uid !== null).length,
      counters: { ...this.counters, queueDropped: dropped, queueCoalesced: coalesced },
      replay: { entries: this.store.size, bytes: this.store.bytes, ...this.store.counters },
      mailbox: { events: this.mailbox.size, recipients: this.mailbox.recipients, ...this.mailbox.counters },
      queueDepth: connected.reduce((sum, c) => sum + c.queueDepth, 0),
      connected,
    };
  }

  /** Shutdown: what waits for `listener`'s clients goes to their connections, to be flushed there. */
  handOnAll(listener: string): void {
    for (const client of this.members) if (client.connection.listener === listener) client.queue.handOnAll();
  }

  close(): void {
    if (this.sweepTimer !== undefined) clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
  }

  /** A self report: learn who the client is; the first one (or a new uid) brings the replay and the mailbox. */
  private identify(client: HubClient, event: CotEvent, now: number): boolean {
    const callsign = event.contact?.callsign;
    const cn = client.connection.certCn;
    if (client.options.bindIdentity && (cn === undefined || (cn !== event.uid && cn !== callsign))) {
      this.counters.identityMismatch += 1;
      this.logger?.warn({ transport: client.connection.listener, peer: client.connection.peer, certCn: cn ?? null, uid: event.uid, callsign }, 'client claims an identity its certificate does not carry; closed');
      client.connection.close();
      return false;
    }
    // A connection is who its first self report says; later reports of other uids are tracks it
    // relays (a gateway, a script), not a change of identity, so they bring no replay.
    if (client.uid !== null && client.uid !== undefined && client.uid !== event.uid) return true;
    const isNew = client.uid !== event.uid;
    const renamed = client.callsign !== callsign;
    client.uid = event.uid;
    client.callsign = callsign;
    if (event.group !== undefined) {
      client.team = event.group.name;
      client.role = event.group.role;
    }
    this.known.delete(event.uid);
    this.known.set(event.uid, { callsign, team: client.team });
    if (this.known.size > KNOWN_MAX) this.known.delete(this.known.keys().next().value as string);
    if (isNew) {
      this.logger?.info({ transport: client.connection.listener, peer: client.connection.peer, uid: event.uid, callsign }, 'client identified');
      const replay = this.store.replayFor(client.connection.listener, event.uid, client.joinedAt, now);
      client.queue.pushReplay(replay);
      this.counters.replayed += replay.length;
    }
    if (isNew || renamed) {
      const keys = [`uid:${event.uid}`];
      if (callsign !== undefined) keys.push(`callsign:${callsign}`);
      for (const held of this.mailbox.take(keys, now)) {
        client.queue.push(held, now);
        this.counters.mailboxDelivered += 1;
      }
    }
    return true;
  }

  private deliver(route: Addressing, event: CotEvent, sender: HubClient | undefined, listener: string | undefined, now: number): void {
    const eligible = (client: HubClient): boolean =>
      client !== sender && !client.closed && (listener === undefined || client.connection.listener === listener) && client.uid !== event.uid;
    switch (route.kind) {
      case 'control':
        return;
      case 'broadcast':
        for (const client of this.members) {
          if (!eligible(client)) continue;
          client.queue.push(event, now);
          this.counters.broadcast += 1;
        }
        return;
      case 'team': {
        const online = new Set<string>();
        for (const client of this.members) {
          if (client.team !== route.team) continue;
          if (client.uid !== undefined) online.add(client.uid);
          if (!eligible(client)) continue;
          client.queue.push(event, now);
          this.counters.team += 1;
        }
        // Members seen before and not connected now get it when they come back.
        for (const [uid, known] of this.known) {
          if (known.team !== route.team || online.has(uid) || uid === sender?.uid) continue;
          this.mailbox.hold(`uid:${uid}`, event);
        }
        return;
      }
      case 'addressed': {
        const uids = new Set(route.uids);
        const callsigns = new Set(route.callsigns);
        const found = new Set<string>();
        for (const client of this.members) {
          const byUid = client.uid !== undefined && uids.has(client.uid);
          const byCallsign = client.callsign !== undefined && callsigns.has(client.callsign);
          if (!byUid && !byCallsign) continue;
          if (byUid) found.add(`uid:${client.uid}`);
          if (byCallsign) found.add(`callsign:${client.callsign}`);
          if (!eligible(client)) continue;
          client.queue.push(event, now);
          this.counters.addressed += 1;
        }
        let held = 0;
        const senderUid = sender?.uid;
        for (const uid of uids) if (uid !== senderUid && !found.has(`uid:${uid}`) && this.mailbox.hold(`uid:${uid}`, event)) held += 1;
        for (const callsign of callsigns) if (callsign !== sender?.callsign && !found.has(`callsign:${callsign}`) && this.mailbox.hold(`callsign:${callsign}`, event)) held += 1;
        if (found.size === 0 && held === 0) this.counters.unaddressed += 1;
        return;
      }
    }
  }

  private remember(event: CotEvent, now: number): void {
    this.relayed.set(fingerprint(event), now);
    if (this.relayed.size <= FINGERPRINTS_MAX) return;
    for (const [key, at] of this.relayed) {
      if (this.relayed.size <= FINGERPRINTS_MAX / 2 && now - at < FINGERPRINT_MS) break;
      this.relayed.delete(key);
    }
  }

  private sweep(now: number): void {
    this.store.expire(now);
    this.mailbox.expire(now);
    for (const [key, at] of this.relayed) {
      if (now - at < FINGERPRINT_MS) break;
      this.relayed.delete(key);
    }
    this.members.forEach((client) => {
      const since = client.queue.fullSince;
      const limit = client.options.stallTimeoutMs;
      if (since === undefined || limit <= 0 || now - since < limit) return;
      this.counters.closedQueueFull += 1;
      this.logger?.info({ transport: client.connection.listener, peer: client.connection.peer, uid: client.uid ?? null }, 'client queue full past the stall timeout; closed');
      client.closed = true;
      client.connection.close();
    });
  }
}

const printer = new Fingerprinter();

/**
 * The event (uid, type, time, stale) as a 53-bit number: a string key held a sliced uid,
 * and so the whole text of the event it came from, for the minute it was remembered
 * (6,000 phone reports in the soak). Two events share one about once in 2^53 pairs.
 */
function fingerprint(event: CotEvent): number {
  printer.begin().string(event.uid).string(event.type).number(event.time).number(event.stale).finish();
  return printer.a * 0x800000 + (printer.b & 0x7fffff);
}
