/**
 * A Meshtastic radio session on top of a Source: the Source opens the link (and reopens it
 * after an unplug) and the driver's onOpen starts the handshake; this client watches the
 * handshake and redoes it when it stalls or the radio reboots, sends heartbeats once the
 * config dump is complete, and sends TAK packets to the mesh within the airtime budget.
 *
 * Timing: one unref'd timer ticks every `tickMs`; nothing is sent before the handshake
 * completes (the firmware ignores packets before it), and a write to a link that is gone
 * is dropped (counted) rather than queued, because the budget re-offers newer PLIs anyway.
 */
import type { CotEvent } from '../../../daemon/codec/event.js';
import type { HalLogger, Source } from '../../contract.js';
import type { LinkProviders } from '../../links/index.js';
import { silentLogger } from '../../logger.js';
import { startSource } from '../../source.js';
import { AirtimeBudget, type AirtimeBudgetOptions } from './budget.js';
import { createMeshtasticDriver } from './record.js';
import type { MeshtasticMessage } from './messages.js';
import { cotToTakPayload, takPacketFrame, type OutboundRefusal } from './outbound.js';
import { MeshtasticSession } from './session.js';

export interface MeshtasticClientOptions {
  id: string;
  /** `serial:///dev/ttyACM0?baud=115200` or `tcp://meshtastic.local:4403`. */
  url: string;
  providers: LinkProviders;
  logger?: HalLogger;
  /** Default 300 000 (the Python client's; firmware gives up after 15 min of silence). */
  heartbeatMs?: number;
  /** Redo want_config when the dump has not completed after this long. Default 10 000. */
  configTimeoutMs?: number;
  /** Default 250. */
  tickMs?: number;
  budget?: AirtimeBudgetOptions;
  /** Local channel index TAK traffic uses. Default 0 (primary). */
  channel?: number;
  clock?: () => number;
  retryInitialMs?: number;
  retryMaxMs?: number;
}

export interface MeshtasticClientCounters {
  handshakes: number;
  handshakesCompleted: number;
  reboots: number;
  heartbeats: number;
  packetsSent: number;
  writeFailures: number;
  refused: Record<OutboundRefusal, number>;
}

export class MeshtasticClient {
  readonly session: MeshtasticSession;
  readonly source: Source<MeshtasticMessage>;
  readonly budget: AirtimeBudget;
  readonly counters: MeshtasticClientCounters = {
    handshakes: 0, handshakesCompleted: 0, reboots: 0, heartbeats: 0, packetsSent: 0, writeFailures: 0,
    refused: { 'unsupported-type': 0, 'too-large': 0, 'no-text': 0 },
  };
  private readonly logger: HalLogger;
  private readonly clock: () => number;
  private readonly timer: NodeJS.Timeout;
  private lastHeartbeatAt = 0;
  private writing = false;
  private readonly refusalsLogged = new Set<OutboundRefusal>();

  constructor(private readonly options: MeshtasticClientOptions) {
    this.clock = options.clock ?? Date.now;
    this.logger = (options.logger ?? silentLogger).child({ source: options.id });
    this.session = new MeshtasticSession(this.clock);
    this.budget = new AirtimeBudget(options.budget);
    const driver = createMeshtasticDriver(this.session, this.logger);
    const onOpen = driver.onOpen;
    driver.onOpen = () => {
      this.counters.handshakes++;
      return onOpen?.();
    };
    this.source = startSource({
      id: options.id,
      url: options.url,
      driver,
      providers: options.providers,
      logger: this.logger,
      retryInitialMs: options.retryInitialMs,
      retryMaxMs: options.retryMaxMs,
    });
    this.timer = setInterval(() => void this.tick(), options.tickMs ?? 250);
    this.timer.unref();
  }

  /** Everything the radio reports, after the client has acted on the control messages. */
  async *messages(): AsyncIterable<MeshtasticMessage> {
    for await (const message of this.source.messages()) {
      if (message.kind === 'config-complete' && message.ours) {
        this.counters.handshakesCompleted++;
        this.lastHeartbeatAt = 0; // first heartbeat right away
        this.logger.info({ node: this.session.myNodeNum, firmware: this.session.firmwareVersion }, 'radio ready');
      } else if (message.kind === 'rebooted') {
        this.counters.reboots++;
        this.logger.warn({}, 'radio rebooted; redoing the handshake');
        await this.write(this.session.openingBytes(), () => this.counters.handshakes++);
      }
      yield message;
    }
  }

  /** Offers a CoT event for the mesh: PLI or GeoChat. Returns why not, when it cannot be carried. */
  send(event: CotEvent): 'queued' | OutboundRefusal {
    const payload = cotToTakPayload(event);
    if (typeof payload === 'string') {
      this.counters.refused[payload]++;
      if (!this.refusalsLogged.has(payload)) {
        this.refusalsLogged.add(payload);
        this.logger.warn({ reason: payload, type: event.type, uid: event.uid }, 'CoT not sent to the mesh (logged once per reason)');
      }
      return payload;
    }
    this.budget.offer(payload);
    return 'queued';
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    if (this.session.configComplete) await this.write(this.session.disconnectFrame());
    await this.source.stop();
  }

  private async tick(): Promise<void> {
    if (this.writing || this.source.status().state !== 'connected') return;
    const now = this.clock();
    const session = this.session;
    if (!session.configComplete) {
      if (now - session.handshakeStartedAt >= (this.options.configTimeoutMs ?? 10_000)) {
        this.logger.info({}, 'no config dump yet; asking again');
        await this.write(session.openingBytes(), () => this.counters.handshakes++);
      }
      return;
    }
    if (now - this.lastHeartbeatAt >= (this.options.heartbeatMs ?? 300_000)) {
      this.lastHeartbeatAt = now;
      await this.write(session.heartbeatFrame(), () => this.counters.heartbeats++);
    }
    const item = this.budget.next(now);
    if (item !== undefined) {
      const frame = takPacketFrame(item.payload, { id: session.nextPacketId(), hopLimit: session.hopLimit, channel: this.options.channel ?? 0 });
      await this.write(frame, () => this.counters.packetsSent++);
    }
  }

  private async write(bytes: Buffer, onWritten?: () => void): Promise<void> {
    this.writing = true;
    try {
      await this.source.write(bytes);
      onWritten?.();
    } catch {
      this.counters.writeFailures++;
    } finally {
      this.writing = false;
    }
  }
}
