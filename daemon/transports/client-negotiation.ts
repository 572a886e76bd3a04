/**
 * The client side of TAK protocol negotiation on a stream (tak-protocol.md §4.1), one per
 * connection: wait for the server's t-x-takp-v; if it offers 1, send t-x-takp-q and hold all
 * data until t-x-takp-r; switch on "true", stay in XML on "false" or when 1 is not offered;
 * give up on the connection when no answer comes in time.
 */
import type { CotEvent } from '../codec/event.js';
import { advertisedVersions, protocolRequestEvent, responseStatus } from './control-events.js';
import type { Logger } from '../../util/logger.js';

export interface NegotiationHooks {
  /** Writes a control event ahead of queued data (still XML at this point). */
  writeControl(event: CotEvent): void;
  holdData(): void;
  releaseData(): void;
  /** The server accepted: both directions are TAK protocol 1 from the next byte on. */
  switchToV1(): void;
  /** No answer in time: the connection state is undefined and must be dropped. */
  abandon(error: Error): void;
  logger: Logger;
  name: string;
}

type State = 'off' | 'awaiting-offer' | 'requested' | 'done';

export class ClientNegotiation {
  private state: State;
  private timer: NodeJS.Timeout | undefined;

  /**
   * `offerWaitMs` > 0 holds data that long for the offer (a TAK server offers at once), so
   * the first events already go as v1; with 0 they go as XML meanwhile, which §4.1 allows.
   */
  constructor(
    wantV1: boolean,
    private readonly offerWaitMs: number,
    private readonly responseTimeoutMs: number,
    private readonly hooks: NegotiationHooks,
  ) {
    this.state = wantV1 ? 'awaiting-offer' : 'off';
    if (this.state === 'awaiting-offer' && offerWaitMs > 0) {
      hooks.holdData();
      this.timer = setTimeout(() => {
        if (this.state === 'awaiting-offer') hooks.releaseData();
      }, offerWaitMs);
    }
  }

  /** True between our request and the server's answer: nothing else may be sent. */
  get awaitingAnswer(): boolean {
    return this.state === 'requested';
  }

  onOffer(offer: CotEvent): void {
    if (this.state !== 'awaiting-offer') return;
    this.clearTimer();
    const versions = advertisedVersions(offer);
    if (!versions.includes(1)) {
      this.state = 'off';
      this.hooks.releaseData();
      this.hooks.logger.info({ transport: this.hooks.name, offered: versions }, 'server does not offer TAK protocol 1; staying with XML');
      return;
    }
    this.hooks.writeControl(protocolRequestEvent(offer.uid, 1));
    this.state = 'requested';
    this.hooks.holdData();
    this.timer = setTimeout(() => {
      this.hooks.abandon(Object.assign(new Error(`no answer to the TAK protocol request within ${this.responseTimeoutMs} ms`), { code: 'NEGOTIATION_TIMEOUT' }));
    }, this.responseTimeoutMs);
  }

  onResponse(response: CotEvent): void {
    if (this.state !== 'requested') return;
    this.clearTimer();
    if (responseStatus(response) === true) {
      this.state = 'done';
      this.hooks.switchToV1();
      this.hooks.logger.info({ transport: this.hooks.name }, 'server accepted TAK protocol 1');
    } else {
      this.state = 'off';
      this.hooks.logger.info({ transport: this.hooks.name }, 'server refused TAK protocol 1; staying with XML');
    }
    this.hooks.releaseData();
  }

  stop(): void {
    this.clearTimer();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
