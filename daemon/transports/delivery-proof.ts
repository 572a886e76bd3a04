/**
 * Proof of delivery on a stream output, from pings: TAK servers, taky and takd's own
 * listener answer a ping (`t-x-c-t`) with a pong (`t-x-c-t-r`), in order, on the same
 * connection. A pong to a ping written after an event proves the peer read that event.
 *
 * The writer reports each event the kernel took (taken()); the ones the listener wants
 * proven (chats, markers, emergencies: not position reports) stay here, unproven, until
 * a pong proves them. If the connection dies first they go back to the listener, which
 * sends them again on the next connection (at-least-once: the peer may have read some of
 * them; counted as `resent`).
 *
 * Only a peer that has answered a ping on this output gets this: a plain consumer that
 * never answers would otherwise have every event sent twice. Until one is answered the
 * unproven events are remembered (bounded, the oldest forgotten) but never hold back
 * sending, and a lost connection gives nothing back (the at-most-once window, counted by
 * the transport as `inFlightLost`). Once the peer answers, the window is bounded in events
 * and bytes: past it the output is not writable until a pong frees room. A pong that no
 * ping asked for (counted as `unsolicitedPongs`) ends the trust: a peer that sends pongs
 * of its own would otherwise "prove" events it never read.
 */
import type { CotEvent } from '../codec/event.js';

export interface DeliveryProofOptions {
  /** Unproven events per connection at most (the window); default 1,000. */
  maxEvents?: number;
  /** Unproven bytes per connection at most; default 1 MiB. */
  maxBytes?: number;
  /**
   * A ping for proof this long after the first unproven event (at once when the window is
   * half full); default 1 s. At most one such ping waits for its pong: on a slow link the
   * pings cost little next to the events they prove.
   */
  pingDelayMs?: number;
  /** Writes a ping now; false if it could not (not connected, negotiating). */
  writePing: () => boolean;
  /** Events handed to the socket so far on this connection (the mark a ping proves up to). */
  handed: () => number;
  /** Room in the window again, or waiters to settle. */
  onChange: () => void;
}

interface Unproven {
  /** Position in the connection's write order (the writer's `handed` count before it). */
  seq: number;
  event: CotEvent;
  bytes: number;
}

/** At most this many pings wait for their pong; more would prove nothing sooner. */
const MAX_MARKS = 16;

export class DeliveryProof {
  /** Proven by a pong; given back unproven to be sent again; forgotten (window over, peer not known to answer). */
  readonly counters = { proven: 0, resent: 0, forgotten: 0, unsolicitedPongs: 0 };
  /** True once a pong came back on any connection of this output. */
  peerAnswers = false;
  /**
   * True once a pong came that no ping asked for: such a peer's pongs prove nothing, and
   * the output is treated as one whose peer does not answer, for good.
   */
  distrusted = false;
  /** Events the kernel took on the connection that ended last, neither proven nor given back. */
  lostOnLastConnection = 0;
  private readonly maxEvents: number;
  private readonly maxBytes: number;
  private readonly pingDelayMs: number;
  private unproven: Unproven[] = [];
  private head = 0;
  private bytes = 0;
  /** Per ping written and not yet answered: the handed count before it. */
  private marks: number[] = [];
  /** Pings written while MAX_MARKS waited: their pongs prove nothing new, but are no surprise. */
  private unmarkedPings = 0;
  /** Events on this connection a pong proved read (the highest mark answered). */
  private provenUpTo = 0;
  private pingTimer: NodeJS.Timeout | undefined;
  private waiters: { mark: number; resolve: () => void }[] = [];
  /** Events tracked on this connection so far (the mark whenProven waits for). */
  private tracked = 0;

  constructor(private readonly options: DeliveryProofOptions) {
    this.maxEvents = Math.max(1, options.maxEvents ?? 1_000);
    this.maxBytes = Math.max(1, options.maxBytes ?? 1024 * 1024);
    this.pingDelayMs = options.pingDelayMs ?? 1_000;
  }

  /** Events proven read on this connection (what is no longer at risk). */
  get confirmed(): number {
    return this.provenUpTo;
  }

  get waiting(): number {
    return this.unproven.length - this.head;
  }

  /** False while a peer that answers pings has a full window: send no more until a pong. */
  hasRoom(): boolean {
    if (!this.peerAnswers) return true;
    return this.waiting < this.maxEvents && this.bytes < this.maxBytes;
  }

  /** A new connection: marks and the proof count start over. */
  connected(): void {
    this.marks = [];
    this.unmarkedPings = 0;
    this.provenUpTo = 0;
  }

  /** The kernel took `events` (handed to the socket from `firstSeq` on); keep those `needsProof` wants proven. */
  taken(events: readonly CotEvent[], firstSeq: number, bytes: number, needsProof: ((event: CotEvent) => boolean) | undefined): void {
    if (!needsProof) return;
    const each = events.length > 0 ? Math.ceil(bytes / events.length) : 0;
    events.forEach((event, i) => {
      const seq = firstSeq + i;
      if (seq < this.provenUpTo || !needsProof(event)) return;
      this.unproven.push({ seq, event, bytes: each });
      this.bytes += each;
      this.tracked += 1;
    });
    if (!this.peerAnswers) this.forgetOverWindow();
    if (this.waiting > 0 && !this.distrusted) this.schedulePing();
  }

  /** Any ping written on this connection (ours or the keepalive's): remember what it proves. */
  pinged(): void {
    if (this.distrusted) return;
    if (this.marks.length < MAX_MARKS) this.marks.push(this.options.handed());
    else this.unmarkedPings += 1;
  }

  /** A pong: the oldest ping waiting was answered, so everything handed before it was read. */
  ponged(): void {
    if (this.distrusted) return;
    const mark = this.marks.shift();
    if (mark === undefined) {
      if (this.unmarkedPings > 0) this.unmarkedPings -= 1;
      else this.distrust();
      return;
    }
    this.peerAnswers = true;
    this.provenUpTo = Math.max(this.provenUpTo, mark);
    while (this.head < this.unproven.length && (this.unproven[this.head] as Unproven).seq < this.provenUpTo) {
      this.dropOldest();
      this.counters.proven += 1;
    }
    this.compact();
    if (this.waiting > 0) this.schedulePing();
    this.settle();
    this.options.onChange();
  }

  /**
   * The connection is gone: unproven events go back (oldest first) if the peer answers
   * pings, else they are forgotten (the transport counts its at-most-once window).
   */
  connectionLost(taken: number): CotEvent[] {
    this.clearPingTimer();
    const events = this.unproven.slice(this.head).map((item) => item.event);
    const givenBack = this.peerAnswers ? events.length : 0;
    this.lostOnLastConnection = Math.max(0, taken - this.provenUpTo - givenBack);
    this.unproven = [];
    this.head = 0;
    this.bytes = 0;
    this.marks = [];
    this.provenUpTo = 0;
    this.settle(true);
    if (!this.peerAnswers) return [];
    this.counters.resent += events.length;
    return events;
  }

  /** Resolves once every event tracked so far is proven or given back (at once for a peer not known to answer). */
  whenProven(): Promise<void> {
    if (!this.peerAnswers || this.waiting === 0) return Promise.resolve();
    const mark = this.tracked;
    return new Promise((resolve) => this.waiters.push({ mark, resolve }));
  }

  stop(): void {
    this.clearPingTimer();
  }

  private schedulePing(): void {
    if (this.pingTimer || this.marks.length > 0) return;
    const full = this.peerAnswers && (this.waiting * 2 >= this.maxEvents || this.bytes * 2 >= this.maxBytes);
    this.pingTimer = setTimeout(() => {
      this.pingTimer = undefined;
      if (this.waiting === 0 || this.marks.length > 0) return;
      if (this.options.writePing()) this.pinged();
      // Not now (negotiating): try again, or a full window would wait for a keepalive ping.
      else if (this.peerAnswers) this.schedulePing();
    }, full ? 0 : this.pingDelayMs);
    this.pingTimer.unref();
  }

  private clearPingTimer(): void {
    if (this.pingTimer) clearTimeout(this.pingTimer);
    this.pingTimer = undefined;
  }

  /** A pong no ping asked for: at-most-once from now on (what is unproven now is not given back). */
  private distrust(): void {
    this.counters.unsolicitedPongs += 1;
    this.distrusted = true;
    this.peerAnswers = false;
    this.marks = [];
    this.clearPingTimer();
    this.forgetOverWindow();
    this.settle(true);
    this.options.onChange();
  }

  private forgetOverWindow(): void {
    while (this.waiting > this.maxEvents || (this.waiting > 0 && this.bytes > this.maxBytes)) {
      this.dropOldest();
      this.counters.forgotten += 1;
    }
    this.compact();
  }

  private dropOldest(): void {
    this.bytes -= (this.unproven[this.head] as Unproven).bytes;
    this.head += 1;
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.unproven.length) {
      this.unproven = this.unproven.slice(this.head);
      this.head = 0;
    }
  }

  /** Resolves waiters whose events are all proven (or, on a lost connection, all of them). */
  private settle(all = false): void {
    if (this.waiters.length === 0) return;
    const oldestTracked = this.tracked - this.waiting;
    const keep: typeof this.waiters = [];
    for (const waiter of this.waiters) {
      if (all || oldestTracked >= waiter.mark) waiter.resolve();
      else keep.push(waiter);
    }
    this.waiters = keep;
  }
}
