/**
 * The daemon's routing stage: the Router (daemon/routing) built from the configuration,
 * plus one durable queue per storing output. Components talk to this stage, not to a
 * particular Router, because a reload that changes routing settings builds a new Router:
 * the transports attached to the old one are attached to the new one, and the durable
 * queue of an output whose store settings did not change is handed over open.
 */
import type { CotEvent } from '../codec/event.js';
import type { Logger } from '../log.js';
import type { Clock } from '../routing/clock.js';
import type { AttachableOutput } from '../routing/attachable-target.js';
import type { LinkRole } from '../routing/roles.js';
import { Router, type RouterOutput, type RouterStatus } from '../routing/router.js';
import { queueDirectory, stateDirectory } from '../routing/settings.js';
import { DurableQueue } from '../routing/store/durable-queue.js';
import type { OutputConfig, TakdConfig } from '../../config/view.js';
import type { InboundGate } from '../transports/inbound-gate.js';
import { transportDirection, transportRole } from '../transports/url.js';

interface OpenQueue {
  queue: DurableQueue;
  /** The store settings it was opened with; different settings reopen it. */
  key: string;
}

/** Receive-only outputs (`+ro`) never send, so they get no router output. */
function sends(output: OutputConfig): boolean {
  return transportDirection(output.spec) !== 'receive';
}

export class RoutingStage {
  private router: Router | undefined;
  private routerKey = '';
  private readonly queues = new Map<string, OpenQueue>();
  private readonly attached = new Map<string, AttachableOutput>();
  /**
   * Told of every event published or sent to one output, and where from (the console's
   * track table, daemon/console); undefined, the default, costs nothing.
   */
  observer: ((event: CotEvent, from: string) => void) | undefined;

  /**
   * `clock` judges staleness: the daemon passes the same CotClock its position reports are
   * stamped with, so with an unsynchronised system clock both follow GPS time.
   */
  constructor(
    private readonly logger: Logger,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly clock?: Clock,
  ) {}

  /** Builds (or keeps, when nothing routing-related changed) the router for `config`. */
  configure(config: TakdConfig): void {
    const outputs = config.outputs.filter(sends);
    const roles: Record<string, LinkRole> = {};
    for (const output of config.outputs) roles[output.id] = transportRole(output.spec);
    for (const input of config.inputs) roles[input.id] = transportRole(input.spec);
    for (const source of config.sources) roles[source.id] = 'device';
    roles.api = 'api';
    const key = JSON.stringify([roles, outputs.map((o) => [o.id, o.routing])]);
    if (this.router !== undefined && key === this.routerKey) return;
    this.routerKey = key;
    this.retire(this.router);
    this.reconcileQueues(outputs);
    const routerOutputs: RouterOutput[] = outputs.map((output) => this.routerOutput(output, roles[output.id] as LinkRole));
    const router = new Router({ outputs: routerOutputs, roles, clock: this.clock });
    this.router = router;
    for (const [id, transport] of this.attached) router.setOutput(id, transport);
    router.start();
  }

  setOutput(id: string, transport: AttachableOutput): void {
    this.attached.set(id, transport);
    this.router?.setOutput(id, transport);
  }

  removeOutput(id: string, transport?: AttachableOutput): void {
    if (transport === undefined || this.attached.get(id) === transport) this.attached.delete(id);
    this.router?.removeOutput(id, transport);
  }

  /** Resolves once output `id` has no events waiting in memory to go out (at shutdown: bounded by the caller). */
  async drained(id: string): Promise<void> {
    while ((this.router?.waitingToGo(id) ?? 0) > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  /** Back-pressure for stream inputs, from whichever router is current. */
  readonly inboundGate: InboundGate = {
    closed: () => this.router?.inboundGate.closed() ?? false,
    whenOpen: (listener) => (this.router ? this.router.inboundGate.whenOpen(listener) : listener()),
  };

  /** An event from a source, input or output by its config id (its role comes from the config). */
  publish(event: CotEvent, from: string): void {
    this.observer?.(event, from);
    this.router?.publish(event, from);
  }

  /** Own position reports: one output at a time, each on its own schedule. */
  sendTo(id: string, event: CotEvent): void {
    this.observer?.(event, 'self');
    this.router?.sendTo(id, event);
  }

  status(): RouterStatus {
    return this.router?.status() ?? { counters: { received: 0, control: 0, duplicates: 0, flowTagsStripped: 0, addressed: 0, addressedToUnknown: 0 }, outputs: [] };
  }

  /**
   * After the outputs stopped: what waits in memory goes to the durable queues (the links
   * are down now, so a pump spills), then the queues are synced and closed.
   */
  close(): void {
    this.retire(this.router);
    this.router = undefined;
    for (const [id, { queue }] of this.queues) this.closeQueue(id, queue);
    this.queues.clear();
  }

  /**
   * A router being replaced: its links are detached so that one last pump moves what waits
   * in memory into the durable queues (which the new router reads); waiting position
   * reports are dropped (newer ones come).
   */
  private retire(router: Router | undefined): void {
    if (router === undefined) return;
    for (const id of this.attached.keys()) router.removeOutput(id);
    router.pump();
    router.stop();
  }

  private routerOutput(output: OutputConfig, role: LinkRole): RouterOutput {
    const { filter, rate, maxEventBytes } = output.routing;
    const routed: RouterOutput = { name: output.id, role, filter, rate };
    if (maxEventBytes !== undefined) routed.maxEventBytes = maxEventBytes;
    const store = this.queues.get(output.id)?.queue;
    if (store !== undefined) routed.store = store;
    return routed;
  }

  /** Opens the queues of storing outputs, keeps unchanged ones open, closes the rest. */
  private reconcileQueues(outputs: OutputConfig[]): void {
    const wanted = new Map(outputs.filter((o) => o.routing.store !== undefined).map((o) => [o.id, JSON.stringify(o.routing.store)]));
    for (const [id, open] of this.queues) {
      if (wanted.get(id) === open.key) continue;
      this.closeQueue(id, open.queue);
      this.queues.delete(id);
    }
    for (const output of outputs) {
      const key = wanted.get(output.id);
      const store = output.routing.store;
      if (key === undefined || store === undefined || this.queues.has(output.id)) continue;
      const dir = queueDirectory(stateDirectory(this.env), output.id);
      try {
        const queue = DurableQueue.open({ dir, maxBytes: store.maxBytes, fsync: store.fsync });
        this.queues.set(output.id, { queue, key });
        const { recovered, tornBytes } = queue.counters;
        this.logger.info({ output: output.id, dir, recovered, tornBytes }, 'durable queue open');
      } catch (error) {
        // A read-only or missing state directory must not stop the gateway: it runs without
        // store-and-forward for this output, and says so.
        const code = (error as NodeJS.ErrnoException).code ?? String(error);
        this.logger.warn({ output: output.id, dir, code }, 'cannot open the durable queue; set STATE_DIRECTORY or store = false');
      }
    }
  }

  private closeQueue(id: string, queue: DurableQueue): void {
    try {
      queue.close();
    } catch (error) {
      this.logger.warn({ output: id, error: String(error) }, 'closing the durable queue failed');
    }
  }
}
