/**
 * The router: every source's events → de-duplication → per-output selection → per-link
 * policy (output-link.ts) → transports.
 *
 * - Never echoes: an event is not sent back out of the link it came from.
 * - De-duplicates by uid + type + time over a short window, so a bridge between two paths
 *   to the same network (mesh and server) forwards each event once.
 * - Learns from position reports which link each callsign and uid is on, and sends events
 *   that name recipients (`<marti><dest …/>`) only to those links. If a recipient has not
 *   been seen anywhere, the event is routed as if it named nobody (the server can still
 *   route it by its marti element, which is kept).
 * - Strips `_flow-tags_` when relaying (tak-protocol.md §6.3); link control (ping, pong,
 *   protocol negotiation) is never relayed.
 */
import type { CotEvent } from '../codec/event.js';
import { systemClock, type Clock } from './clock.js';
import { newRouterCounters, type OutputCounters, type RouterCounters } from './counters.js';
import { Dedupe, type DedupeOptions } from './dedupe.js';
import { DestinationBook, type DestinationBookOptions, type RecipientLinks } from './destinations.js';
import { martiRecipients, stripFlowTags } from './detail-scan.js';
import { OutputFilter, type EventSource, type OutputFilterConfig } from './filter.js';
import { AttachableTarget, type AttachableOutput } from './attachable-target.js';
import { classifyLane } from './lane.js';
import { OutputLink, xmlBytes, type OutputLinkOptions } from './output-link.js';
import type { LinkRole } from './roles.js';
import type { InboundGate } from '../transports/inbound-gate.js';

/**
 * Inbound back-pressure: stream inputs stop reading while an output that is up and not
 * writable (its socket backed up) holds this many events in memory, and read again once every such
 * output is down to GATE_OPEN_AT. Coalescing keeps normal traffic (one report per uid)
 * far below this; only a flood of distinct events reaches it.
 */
const GATE_CLOSE_AT = 1_000;
const GATE_OPEN_AT = 250;
/**
 * An output that has not drained for this long is stalled (a peer that stopped reading), not
 * slow: it stops holding the gate, so one dead peer does not slow every input and every
 * other output until its stall timeout closes it. It drops by its own policy meanwhile.
 */
const GATE_STALL_MS = 2_000;
/** blockedSince of a stalled output whose release was counted (it stays stalled until it drains). */
const STALL_COUNTED = -Infinity;

export interface RouterOutput extends OutputLinkOptions {
  /** The transport, fixed for the router's life; or leave it out and attach one by name (setOutput). */
  target?: AttachableOutput;
  /** Required without a target; with one, the target's name is used. */
  name?: string;
  role: LinkRole;
  filter?: OutputFilterConfig;
}

export interface RouterOptions {
  outputs: RouterOutput[];
  /**
   * Roles of the links and sources named by id (publish(event, id), setOutput of an output
   * not in `outputs`). Unknown source ids are devices; unknown outputs take everything.
   */
  roles?: Record<string, LinkRole>;
  clock?: Clock;
  dedupe?: DedupeOptions;
  destinations?: DestinationBookOptions;
  /** How often waiting events are retried (rate budgets, reconnects); default 50 ms. */
  pumpIntervalMs?: number;
}

export interface OutputStatus {
  name: string;
  role: LinkRole;
  up: boolean;
  /** Events waiting: in memory and in the durable queue. */
  pending: number;
  /** Of those, in the durable queue. */
  stored: number;
  counters: OutputCounters;
  /** The durable queue's recovery at open (outputs with one): what it found and what it cut. */
  store?: OutputStoreStatus;
}

export interface OutputStoreStatus {
  /** Undelivered events found on disk at open. */
  recovered: number;
  /** Bytes cut off at open: torn (a crash or power cut mid-write) or corrupt records and all after them. */
  tornBytes: number;
  /** Segment files cut at open. */
  tornSegments: number;
}

export interface RouterStatus {
  counters: RouterCounters;
  outputs: OutputStatus[];
}

interface RoutedOutput {
  link: OutputLink;
  filter: OutputFilter;
  role: LinkRole;
  options: RouterOutput;
  /** The transport's slot; `fixed` when it was given up front rather than attached by name. */
  slot: AttachableTarget;
  fixed: boolean;
  /** Since when it is up and not writable (undefined while writable or down). */
  blockedSince: number | undefined;
}

export class Router {
  readonly counters: RouterCounters = newRouterCounters();
  private readonly clock: Clock;
  private readonly outputs: RoutedOutput[] = [];
  private readonly roles: Record<string, LinkRole>;
  private readonly dedupe: Dedupe;
  private readonly book: DestinationBook;
  private needsSize = false;
  private readonly pumpIntervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private gateWaiters: (() => void)[] = [];

  /** Give this to stream inputs (TransportOptions.inboundGate). */
  readonly inboundGate: InboundGate = {
    closed: () => this.outputs.some((output) => this.backedUp(output, GATE_CLOSE_AT)),
    whenOpen: (listener) => {
      this.gateWaiters.push(listener);
      this.openGateIfClear();
    },
  };

  constructor(options: RouterOptions) {
    this.clock = options.clock ?? systemClock;
    this.roles = options.roles ?? {};
    for (const output of options.outputs) this.addOutput(output);
    this.dedupe = new Dedupe(this.clock, options.dedupe);
    this.book = new DestinationBook(this.clock, options.destinations);
    this.pumpIntervalMs = options.pumpIntervalMs ?? 50;
  }

  /** Starts retrying waiting events on a timer. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.pump(), this.pumpIntervalMs);
    this.timer.unref();
  }

  /** Stops the timer and lets paused inputs read again. Durable queues belong to whoever opened them and are not closed here. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.releaseGateWaiters();
  }

  /**
   * Attaches the transport of output `id` (the supervisor calls this when the output
   * starts or restarts). An id not configured gets a link that takes everything.
   */
  setOutput(id: string, output: AttachableOutput): void {
    let routed = this.outputs.find((o) => o.link.name === id);
    if (routed?.fixed) throw new Error(`output ${id} has a fixed target`);
    routed ??= this.addOutput({ name: id, role: this.roles[id] ?? 'sink' });
    routed.slot.attach(output);
    routed.link.pump();
  }

  /** Detaches an output's transport: the link is down until attached again (events wait or are stored). */
  removeOutput(id: string, output?: AttachableOutput): void {
    const routed = this.outputs.find((o) => o.link.name === id);
    if (routed !== undefined && !routed.fixed) routed.slot.detach(output);
  }

  /**
   * An event for one output only, past the filters (own position reports: the reporter
   * keeps a schedule per output). The link's policy still applies.
   */
  sendTo(id: string, event: CotEvent): void {
    const routed = this.outputs.find((o) => o.link.name === id);
    const lane = classifyLane(event);
    if (routed === undefined || lane === 'control') return;
    routed.link.offer(event, lane, routed.link.needsSize ? xmlBytes(event) : 0);
  }

  /**
   * One event from a source (a device, or a network input or output by its id; its role
   * then comes from `roles`). Never throws.
   */
  publish(received: CotEvent, from: EventSource | string): void {
    const source = typeof from === 'string' ? { id: from, role: this.roles[from] ?? 'device' } : from;
    this.counters.received += 1;
    const lane = classifyLane(received);
    if (lane === 'control') {
      this.counters.control += 1;
      return;
    }
    const now = this.clock.now(); // one clock read for the whole event
    if (!this.dedupe.firstSighting(received, now)) {
      this.counters.duplicates += 1;
      return;
    }
    if (lane === 'pli') this.book.learn(received, source.id, now);
    const event = this.withoutFlowTags(received);
    const recipients = this.recipientLinks(event);
    let size = 0;
    if (this.needsSize) size = xmlBytes(event);
    for (const output of this.outputs) {
      const counters = output.link.counters;
      if (output.link.name === source.id) counters.echo += 1;
      else if (recipients !== undefined && !recipients.has(output.link.name)) counters.notAddressed += 1;
      else if (!output.filter.matches(event, source)) counters.filtered += 1;
      else output.link.offer(event, lane, size, now);
    }
  }

  /**
   * Events of output `id` waiting in memory while its transport is up (they will go out);
   * 0 when it is down (they wait for the durable queue or are lost at shutdown).
   */
  waitingToGo(id: string): number {
    const link = this.outputs.find((o) => o.link.name === id)?.link;
    return link !== undefined && link.target.isUp() ? link.waitingInMemory : 0;
  }

  /** Retries waiting events on every output. */
  pump(): void {
    for (const output of this.outputs) output.link.pump();
    this.openGateIfClear();
  }

  /** Holds the gate: up, not writable, `waiting` or more in memory, and not stalled. */
  private backedUp(output: RoutedOutput, waiting: number): boolean {
    const { link } = output;
    if (!link.target.isUp() || link.target.writable?.() !== false) {
      output.blockedSince = undefined;
      return false;
    }
    const now = this.clock.now();
    output.blockedSince ??= now;
    if (now - output.blockedSince < GATE_STALL_MS) return link.waitingInMemory >= waiting;
    if (output.blockedSince !== STALL_COUNTED) {
      link.counters.gateReleased += 1;
      output.blockedSince = STALL_COUNTED;
    }
    return false;
  }

  private openGateIfClear(): void {
    if (this.gateWaiters.length === 0) return;
    if (this.outputs.some((output) => this.backedUp(output, GATE_OPEN_AT + 1))) return;
    this.releaseGateWaiters();
  }

  private releaseGateWaiters(): void {
    const waiters = this.gateWaiters;
    this.gateWaiters = [];
    for (const waiter of waiters) waiter();
  }

  status(): RouterStatus {
    return {
      counters: { ...this.counters },
      outputs: this.outputs.map(({ link, role, options }) => {
        const output: OutputStatus = {
          name: link.name,
          role,
          up: link.target.isUp(),
          pending: link.pending,
          stored: options.store?.length ?? 0,
          counters: { ...link.counters },
        };
        if (options.store) {
          const { recovered, tornBytes, tornSegments } = options.store.counters;
          output.store = { recovered, tornBytes, tornSegments };
        }
        return output;
      }),
    };
  }

  private addOutput(output: RouterOutput): RoutedOutput {
    const slot = new AttachableTarget(output.target?.name ?? output.name ?? '');
    if (slot.name === '') throw new Error('a router output needs a target or a name');
    // Once the link has pumped after its transport became writable, paused inputs may read again.
    const link = new OutputLink(slot, this.clock, {
      ...output,
      afterDrain: () => {
        routed.blockedSince = undefined;
        this.openGateIfClear();
      },
    });
    if (output.target !== undefined) slot.attach(output.target);
    const routed: RoutedOutput = {
      link,
      filter: new OutputFilter(output.role, output.filter),
      role: output.role,
      options: output,
      slot,
      fixed: output.target !== undefined,
      blockedSince: undefined,
    };
    this.outputs.push(routed);
    this.needsSize ||= routed.link.needsSize;
    return routed;
  }

  private withoutFlowTags(event: CotEvent): CotEvent {
    if (event.xmlDetail === undefined) return event;
    const stripped = stripFlowTags(event.xmlDetail);
    if (stripped === event.xmlDetail) return event;
    this.counters.flowTagsStripped += 1;
    return { ...event, xmlDetail: stripped };
  }

  /** The links an addressed event may go to; undefined: not addressed, or to someone unknown. */
  private recipientLinks(event: CotEvent): ReadonlySet<string> | undefined {
    const recipients = martiRecipients(event.xmlDetail);
    if (!recipients) return undefined;
    this.counters.addressed += 1;
    const links: RecipientLinks = this.book.linksFor(recipients);
    if (links === 'unknown') {
      this.counters.addressedToUnknown += 1;
      return undefined;
    }
    return links;
  }
}
