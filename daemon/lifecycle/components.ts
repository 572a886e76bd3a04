/**
 * Adapters from the parts the daemon runs — transports (daemon/transports) and HAL sources
 * (hal/) — to the supervisor's Component: start/stop/flush and a status by id.
 */
import type { CotEvent } from '../codec/event.js';
import type { Driver, GnssFix, LinkProviders, Source, SourceStatus } from '../../hal/index.js';
import { startSource } from '../../hal/index.js';
import type { Logger } from '../log.js';
import type { RoutingStage } from './routing-stage.js';
import type { Transport, TransportStatus } from '../transports/index.js';
import type { Component, ComponentKind, ComponentState, ComponentStatus } from './component.js';

const TRANSPORT_STATES: Record<TransportStatus['state'], ComponentState> = {
  stopped: 'stopped',
  connecting: 'starting',
  negotiating: 'starting',
  up: 'connected',
  backoff: 'retrying',
  failed: 'failed',
};

/** A transport as an output (events from the router) and/or input (events into it). */
export class TransportComponent implements Component {
  private transport: Transport | undefined;
  private lastError: string | undefined;

  constructor(
    readonly id: string,
    readonly kind: 'output' | 'input',
    private readonly make: () => Transport,
    private readonly routing: Pick<RoutingStage, 'setOutput' | 'removeOutput'> & Partial<Pick<RoutingStage, 'drained'>>,
  ) {}

  async start(): Promise<void> {
    const transport = this.make();
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
  }

  async stop(): Promise<void> {
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
    const state = TRANSPORT_STATES[status.state];
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
      if (transport.status().state !== 'connecting') {
        clearInterval(timer);
        resolve();
      }
    }, 20);
  });
}

const SOURCE_STATES: Record<SourceStatus['state'], ComponentState> = {
  connecting: 'starting',
  running: 'connected',
  retrying: 'retrying',
  stopped: 'stopped',
  ended: 'ended',
};

export interface SourceComponentOptions {
  id: string;
  link: string;
  driver: Driver<unknown, unknown>;
  providers: LinkProviders;
  logger: Logger;
  queueCapacity: number;
  /** GPS drivers: each fix. */
  onFix?: (fix: GnssFix, sourceId: string) => void;
  /** Drivers whose messages are CoT by themselves (AIS, APRS). */
  onEvent?: (event: CotEvent, sourceId: string) => void;
  /** Every decoded message, before toCot (AIS own-ship fixes). */
  onMessage?: (message: unknown, sourceId: string) => void;
}

/** A HAL source: reads its messages and hands fixes to the PLI reporter, CoT to the router. */
export class SourceComponent implements Component {
  readonly kind: ComponentKind = 'source';
  readonly id: string;
  private source: Source<unknown> | undefined;
  private pump: Promise<void> | undefined;
  private failure: string | undefined;

  constructor(private readonly options: SourceComponentOptions) {
    this.id = options.id;
  }

  async start(): Promise<void> {
    const { driver, onFix, onEvent, onMessage, id } = this.options;
    const source = startSource({ id, url: this.options.link, driver, providers: this.options.providers, logger: this.options.logger, queueCapacity: this.options.queueCapacity });
    this.source = source;
    this.pump = (async () => {
      for await (const message of source.messages()) {
        if (onFix !== undefined) onFix(message as GnssFix, id);
        onMessage?.(message, id);
        const event = driver.toCot?.(message, { sourceId: id, now: Date.now() });
        if (event !== undefined) onEvent?.(event, id);
      }
    })().catch((error: unknown) => {
      // A driver bug, not bad input (decoders never throw on input): restart the source.
      this.failure = error instanceof Error ? error.message : String(error);
      this.options.logger.error({ error: error instanceof Error ? error.stack : this.failure }, 'source failed');
    });
  }

  async stop(): Promise<void> {
    await this.source?.stop();
    await this.pump;
  }

  /** Bytes to the device (a beacon through a TNC); rejects when it is not connected. */
  async write(bytes: Buffer): Promise<void> {
    if (this.source === undefined) throw new Error('source not started');
    await this.source.write(bytes);
  }

  status(): ComponentStatus {
    if (this.source === undefined) return { id: this.id, kind: 'source', state: 'stopped', detail: 'not started', counters: {} };
    return sourceStatus(this.id, this.source.status(), this.failure);
  }
}

/** A HAL source's status as a component's; `failure` is a driver bug that stopped its pump. */
export function sourceStatus(id: string, status: SourceStatus, failure?: string): ComponentStatus {
  const result: ComponentStatus = {
    id,
    kind: 'source',
    state: failure !== undefined ? 'failed' : SOURCE_STATES[status.state],
    detail: failure !== undefined ? `failed: ${failure}` : status.detail,
    counters: {
      connects: status.connects,
      disconnects: status.disconnects,
      messages: status.messages,
      messagesDropped: status.messagesDropped,
      'link.dropped': status.linkDropped,
      ...prefixed('framer', status.framer),
      ...prefixed('decoder', status.decoder),
    },
  };
  const lastError = failure ?? status.lastError;
  if (lastError !== undefined) result.lastError = lastError;
  return result;
}

function prefixed(prefix: string, counters: object): Record<string, number> {
  return Object.fromEntries(Object.entries(counters).map(([k, v]) => [`${prefix}.${k}`, Number(v)]));
}
