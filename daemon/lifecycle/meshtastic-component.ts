/**
 * A Meshtastic radio as the daemon runs it: one MeshtasticClient (its own session, so several
 * radios never share handshake state) that is both a source (node PLI, GeoChat and TAK
 * packets from the mesh go to the router) and a router output (our own PLI and chosen CoT
 * go to the mesh as TAK packets within the client's airtime budget).
 */
import type { CotEvent } from '../codec/event.js';
import { createMeshtasticToCot, MeshtasticClient, type LinkProviders, type MeshtasticMessage } from '../../hal/index.js';
import type { Logger } from '../log.js';
import type { AttachableOutput } from '../routing/attachable-target.js';
import type { Component, ComponentKind, ComponentStatus } from './component.js';
import { sourceStatus } from './components.js';
import type { RoutingStage } from './routing-stage.js';

export type MeshSendKind = 'pli' | 'chat';

export interface MeshtasticComponentOptions {
  id: string;
  link: string;
  providers: LinkProviders;
  logger: Logger;
  routing: Pick<RoutingStage, 'setOutput' | 'removeOutput'>;
  publish: (event: CotEvent, from: string) => void;
  /** At most one PLI on air per this many ms. */
  pliIntervalMs: number;
  /** What goes to the mesh. */
  send: readonly MeshSendKind[];
}

/** Which outbound kind a CoT event is, as the mesh carries it. */
function meshKind(event: CotEvent): MeshSendKind | undefined {
  if (event.type === 'b-t-f' || event.type.startsWith('b-t-f-')) return 'chat';
  if (event.type.startsWith('a-')) return 'pli';
  return undefined;
}

export class MeshtasticComponent implements Component {
  readonly kind: ComponentKind = 'source';
  readonly id: string;
  private client: MeshtasticClient | undefined;
  private output: AttachableOutput | undefined;
  private pump: Promise<void> | undefined;
  private failure: string | undefined;
  /** Offered by the router but not a kind this radio sends (`send = …`). */
  private notChosen = 0;
  private readonly toCot = createMeshtasticToCot();

  constructor(private readonly options: MeshtasticComponentOptions) {
    this.id = options.id;
  }

  async start(): Promise<void> {
    const { id, link, providers, logger, pliIntervalMs } = this.options;
    const client = new MeshtasticClient({ id, url: link, providers, logger, budget: { pliIntervalMs } });
    this.client = client;
    this.pump = this.readMesh(client);
    this.output = this.meshOutput(client);
    this.options.routing.setOutput(id, this.output);
  }

  async stop(): Promise<void> {
    if (this.output !== undefined) this.options.routing.removeOutput(this.id, this.output);
    await this.client?.stop();
    await this.pump;
  }

  status(): ComponentStatus {
    const client = this.client;
    if (client === undefined) return { id: this.id, kind: 'source', state: 'stopped', detail: 'not started', counters: {} };
    const status = sourceStatus(this.id, client.source.status(), this.failure);
    const { refused, ...counters } = client.counters;
    status.counters = {
      ...status.counters,
      ...Object.fromEntries(Object.entries(counters).map(([k, v]) => [`radio.${k}`, v])),
      ...Object.fromEntries(Object.entries(refused).map(([k, v]) => [`refused.${k}`, v])),
      ...Object.fromEntries(Object.entries(client.budget.counters).map(([k, v]) => [`airtime.${k}`, v])),
      'airtime.queued': client.budget.queued,
      notChosen: this.notChosen,
    };
    if (status.state === 'connected' && !client.session.configComplete) status.detail = `${status.detail}; handshake in progress`;
    return status;
  }

  private readMesh(client: MeshtasticClient): Promise<void> {
    const { id, publish, logger } = this.options;
    return (async () => {
      for await (const message of client.messages()) {
        const event = this.toCot(message as MeshtasticMessage, { sourceId: id, now: Date.now() });
        if (event !== undefined) publish(event, id);
      }
    })().catch((error: unknown) => {
      this.failure = error instanceof Error ? error.message : String(error);
      logger.error({ error: error instanceof Error ? error.stack : this.failure }, 'meshtastic source failed');
    });
  }

  /**
   * The router's view of the radio: up once the handshake completed; send = offer to the
   * budget. What becomes of an offered event is counted where it happens and reported in
   * this component's status: notChosen, refused.* (the client), airtime.* (the budget),
   * radio.packetsSent; the router counts sent and refused per output.
   */
  private meshOutput(client: MeshtasticClient): AttachableOutput {
    const chosen = new Set(this.options.send);
    return {
      name: this.id,
      send: (event) => {
        const kind = meshKind(event);
        if (kind === undefined || !chosen.has(kind)) {
          this.notChosen++;
          return false;
        }
        return client.send(event) === 'queued';
      },
      flush: () => Promise.resolve(),
      // The budget holds what waits, so the router never sees a queue here.
      status: () => ({ state: client.session.configComplete ? 'up' : 'connecting' }),
    };
  }
}
