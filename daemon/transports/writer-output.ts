/**
 * What a stream client and a line output share as outputs: a StreamWriter for the writing
 * (no queue under the router), a state and message, and the status they report.
 */
import type { CotEvent } from '../codec/event.js';
import type { StreamWriter } from './stream-writer.js';
import { newCounters, type OutputListener, type TransportCounters, type TransportState, type TransportStatus } from './types.js';

export abstract class WriterOutput {
  abstract readonly canSend: boolean;
  protected state: TransportState = 'stopped';
  protected message = 'not started';
  /** The protocol currently used to send: 0 XML, 1 TAK protocol v1. */
  protected protocol: 0 | 1 = 0;
  protected readonly counters: TransportCounters = newCounters();

  constructor(
    readonly name: string,
    protected readonly writer: StreamWriter,
  ) {}

  send(event: CotEvent): boolean {
    if (!this.canSend) return false;
    this.writer.send(event);
    return true;
  }

  isUp(): boolean {
    return this.state === 'connected';
  }

  writable(): boolean {
    return this.state === 'connected' && this.writer.writable();
  }

  setListener(listener: OutputListener | undefined): void {
    this.writer.setListener(listener);
  }

  flush(): Promise<void> {
    if (this.state === 'failed') return Promise.reject(new Error(this.message));
    return this.writer.whenIdle().then(() => this.writer.whenProven());
  }

  status(): TransportStatus {
    const { queued, written, dropped, returned } = this.writer.counters;
    const proof = this.writer.proof?.counters;
    return {
      name: this.name,
      state: this.state,
      message: this.message,
      protocol: this.protocol,
      counters: { ...this.counters, eventsQueued: queued, eventsSent: written, eventsDropped: dropped, eventsReturned: returned, ...(proof && { eventsProven: proof.proven, eventsResent: proof.resent, unsolicitedPongs: proof.unsolicitedPongs }) },
    };
  }

  protected setState(state: TransportState, message: string): void {
    this.state = state;
    this.message = message;
  }
}
