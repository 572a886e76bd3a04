/**
 * One [source.*] section as the supervisor runs it, for any row of the driver table: the
 * driver opens its source (hal openDriver) and this component routes what it produces —
 * GnssFix epochs to the PLI reporter, CoT to the router — and, when the driver has an
 * outbound side, registers the source as a router output under its own id.
 */
import type { CotEvent } from '../codec/event.js';
import { openDriver, type DriverInstance, type DriverSettings, type GnssFix, type LinkProviders, type RegisteredDriver, type SourceStatus } from '../../hal/index.js';
import type { Logger } from '../log.js';
import type { AttachableOutput } from '../routing/attachable-target.js';
import type { Component, ComponentKind, ComponentStatus } from '../lifecycle/component.js';
import type { RoutingStage } from '../lifecycle/routing-stage.js';

export interface SourceComponentOptions {
  id: string;
  link: string;
  driver: RegisteredDriver;
  /** The driver's own keys from the section. */
  settings?: DriverSettings;
  providers: LinkProviders;
  logger: Logger;
  queueCapacity: number;
  /** Fixes of the box's own position: every message of a 'fix' driver, ownFix() of a 'cot' one. */
  onFix?: (fix: GnssFix, sourceId: string) => void;
  /** CoT made from the driver's messages. */
  onEvent?: (event: CotEvent, sourceId: string) => void;
  /** The box's current own fix, for the driver's outbound position reports (APRS beacon). */
  ownFix?: () => GnssFix | undefined;
  /** Where a driver with an outbound side (DriverInstance.outbound) is registered as an output. */
  routing?: Pick<RoutingStage, 'setOutput' | 'removeOutput'>;
}

export class SourceComponent implements Component {
  readonly kind: ComponentKind = 'source';
  readonly id: string;
  private instance: DriverInstance | undefined;
  private output: AttachableOutput | undefined;
  private pump: Promise<void> | undefined;
  private failure: string | undefined;

  constructor(private readonly options: SourceComponentOptions) {
    this.id = options.id;
  }

  async start(): Promise<void> {
    const { id, link, driver, settings, providers, logger, queueCapacity, ownFix } = this.options;
    const instance = openDriver(driver, { id, url: link, providers, logger, queueCapacity, settings: settings ?? {}, ownFix: ownFix ?? (() => undefined) });
    this.instance = instance;
    this.pump = this.read(instance);
    if (instance.outbound !== undefined && this.options.routing !== undefined) {
      this.output = outputOf(id, instance.outbound);
      this.options.routing.setOutput(id, this.output);
    }
  }

  async stop(): Promise<void> {
    if (this.output !== undefined) this.options.routing?.removeOutput(this.id, this.output);
    await this.instance?.stop();
    await this.pump;
  }

  /** Bytes to the device; rejects when it is not connected. */
  async write(bytes: Buffer): Promise<void> {
    if (this.instance === undefined) throw new Error('source not started');
    await this.instance.source.write(bytes);
  }

  status(): ComponentStatus {
    const instance = this.instance;
    if (instance === undefined) return { id: this.id, kind: 'source', state: 'stopped', detail: 'not started', counters: {} };
    const status = sourceStatus(this.id, instance.source.status(), this.failure);
    const extra = instance.counters?.();
    if (extra !== undefined) status.counters = { ...status.counters, ...extra };
    const note = status.state === 'connected' ? instance.note?.() : undefined;
    if (note !== undefined) status.detail = `${status.detail}; ${note}`;
    return status;
  }

  private read(instance: DriverInstance): Promise<void> {
    const { id, driver, onFix, onEvent } = this.options;
    const fixes = driver.produces === 'fix';
    return (async () => {
      for await (const message of instance.source.messages()) {
        const fix = fixes ? (message as GnssFix) : instance.ownFix?.(message);
        if (fix !== undefined) onFix?.(fix, id);
        const event = instance.toCot?.(message, { sourceId: id, now: Date.now() });
        if (event !== undefined) onEvent?.(event, id);
      }
    })().catch((error: unknown) => {
      // A driver bug, not bad input (decoders never throw on input): restart the source.
      this.failure = error instanceof Error ? error.message : String(error);
      this.options.logger.error({ error: error instanceof Error ? error.stack : this.failure }, 'source failed');
    });
  }
}

/**
 * The router's view of a source that sends: up while the device takes events; send = offer
 * to the driver, which counts what becomes of it (the component's status shows those counters).
 */
function outputOf(name: string, side: NonNullable<DriverInstance['outbound']>): AttachableOutput {
  return {
    name,
    send: (event) => side.send(event),
    flush: () => Promise.resolve(),
    // The driver holds what waits (an airtime budget), so the router never sees a queue here.
    status: () => ({ state: side.ready() ? 'connected' : 'starting' }),
  };
}

/** A HAL source's status as a component's; `failure` is a driver bug that stopped its pump. */
export function sourceStatus(id: string, status: SourceStatus, failure?: string): ComponentStatus {
  const result: ComponentStatus = {
    id,
    kind: 'source',
    state: failure !== undefined ? 'failed' : status.state,
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
