/**
 * The adapter from a transport (daemon/transports) to the supervisor's Component:
 * start/stop/flush and a status by id. Sources have theirs in daemon/sources/.
 */
import type { RoutingStage } from './routing-stage.js';
import type { Transport } from '../transports/index.js';
import type { Component, ComponentStatus } from './component.js';

/** setTimeout's longest delay is 2^31-1 ms (~24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;
const RENEWAL_RETRY_MS = 3600_000;

export interface Renewal {
  /** When to make the transport anew (ms since the epoch), as of the last make(); undefined: never. */
  renewAt(): number | undefined;
  log(message: string): void;
}

/** A transport as an output (events from the router) and/or input (events into it). */
export class TransportComponent implements Component {
  private transport: Transport | undefined;
  private lastError: string | undefined;
  private stopped = false;
  private renewalTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly id: string,
    readonly kind: 'output' | 'input',
    /** Async for enrolled outputs: the certificate is fetched or renewed first (daemon/enroll). */
    private readonly make: () => Transport | Promise<Transport>,
    private readonly routing: Pick<RoutingStage, 'setOutput' | 'removeOutput'> & Partial<Pick<RoutingStage, 'drained'>>,
    /** Enrolled outputs: made anew (enrolling again) when the certificate enters its last days. */
    private readonly renewal?: Renewal,
  ) {}

  async start(): Promise<void> {
    // The transport's module may be loaded now (its row's load()): a stop meanwhile wins.
    const transport = await this.make();
    if (this.stopped) return;
    this.transport = transport;
    transport.start();
    // A listener reports a configuration failure (EACCES on a low port, an address not ours)
    // here, so the daemon fails at start; a port still in use is retried by the listener
    // and must not hold up the start of everything else.
    const listening = (transport as Partial<{ listening(): Promise<void> }>).listening;
    if (typeof listening === 'function') {
      const listened = listening.call(transport);
      listened.catch(() => undefined); // a later failure shows in status()
      await Promise.race([listened, leftConnecting(transport)]);
    }
    if (this.kind === 'output' && transport.canSend) this.routing.setOutput(this.id, transport);
    this.scheduleRenewal();
  }

  /** Sets the timer for the renewal point; one already past (renewal failed, the stored certificate kept) is retried hourly. */
  private scheduleRenewal(): void {
    const at = this.renewal?.renewAt();
    if (at === undefined || this.stopped) return;
    const delay = Math.min(MAX_TIMER_MS, at > Date.now() ? at - Date.now() : RENEWAL_RETRY_MS);
    this.renewalTimer = setTimeout(() => void this.renewNow(at), delay);
    this.renewalTimer.unref();
  }

  /** Past the renewal point: a new transport (the certificate enrolled again), then the old one closed, as a restart does. */
  private async renewNow(at: number): Promise<void> {
    this.renewalTimer = undefined;
    if (this.stopped) return;
    // A long wait is taken in steps (a timer holds at most ~24 days).
    if (Date.now() < at) return this.scheduleRenewal();
    this.renewal?.log('the certificate enters its last 7 days: enrolling again and reconnecting');
    let next: Transport;
    try {
      next = await this.make();
    } catch (error) {
      this.renewal?.log(`renewal failed (${error instanceof Error ? error.message : String(error)}); the output keeps its connection`);
      return this.scheduleRenewal();
    }
    // No newer certificate (the server refused, the stored one is kept): keep the connection, retry later.
    const renewed = (this.renewal?.renewAt() ?? 0) > Date.now();
    if (this.stopped || !renewed) {
      await next.close();
      if (!renewed) this.scheduleRenewal();
      return;
    }
    const old = this.transport;
    if (old !== undefined) {
      this.routing.removeOutput(this.id, old);
      await old.close();
    }
    if (this.stopped) return void (await next.close());
    this.transport = next;
    next.start();
    if (this.kind === 'output' && next.canSend) this.routing.setOutput(this.id, next);
    this.scheduleRenewal();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.renewalTimer !== undefined) clearTimeout(this.renewalTimer);
    const transport = this.transport;
    if (transport === undefined) return;
    this.routing.removeOutput(this.id, transport);
    await transport.close();
  }

  /** The output's events waiting in the router go out first: the transport itself holds only what is in flight. */
  async flush(): Promise<void> {
    if (this.kind === 'output') await this.routing.drained?.(this.id);
    await this.transport?.flush();
  }

  status(): ComponentStatus {
    if (this.transport === undefined) return { id: this.id, kind: this.kind, state: 'stopped', detail: 'not started', counters: {} };
    const status = this.transport.status();
    const state = status.state;
    if (state === 'retrying' || state === 'failed') this.lastError = status.message;
    const c = status.counters;
    const result: ComponentStatus = {
      id: this.id,
      kind: this.kind,
      state,
      detail: status.message,
      counters: { ...c },
    };
    if (this.lastError !== undefined) result.lastError = this.lastError;
    // Events the transport holds: handed over, not yet written, dropped or given back (the
    // router's link holds the rest: takd_output_pending).
    if (this.kind === 'output') result.queueDepth = Math.max(0, c.eventsQueued - c.eventsSent - c.eventsDropped - (c.eventsReturned ?? 0));
    return result;
  }
}

/** Resolves once the transport is no longer binding (up, retrying, or failed). */
function leftConnecting(transport: Transport): Promise<void> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (transport.status().state !== 'starting') {
        clearInterval(timer);
        resolve();
      }
    }, 20);
  });
}
