// The template's transport: what its row's load() gives. A transport is created stopped,
// start() opens it, close() ends it; it never throws on trouble at run time but reports it
// in status() (../types.ts). This one only keeps the uids of the last events it was sent.
import type { CotEvent } from '../../codec/event.js';
import type { TransportOptions } from '../options.js';
import { newCounters, type Transport, type TransportState, type TransportStatus } from '../types.js';
import type { TemplateSpec } from './row.js';

export class TemplateTransport implements Transport {
  readonly name: string;
  readonly canSend = true;
  readonly canReceive = false;
  private readonly keep: number;
  private readonly kept: string[] = [];
  private state: TransportState = 'stopped';
  private readonly counters = newCounters();

  constructor(spec: TemplateSpec, options: TransportOptions) {
    this.name = options.name ?? `template://${spec.label}`;
    // Its own key, template_keep, arrives parsed and defaulted in options.own.
    const keep = options.own?.template_keep;
    this.keep = typeof keep === 'number' ? keep : 10;
  }

  /** The uids kept, oldest first. */
  uids(): readonly string[] {
    return this.kept;
  }

  start(): void {
    this.state = 'connected';
  }

  send(event: CotEvent): boolean {
    if (this.state !== 'connected') return false;
    this.counters.eventsQueued++;
    this.counters.eventsSent++;
    this.kept.push(event.uid);
    if (this.kept.length > this.keep) this.kept.shift();
    return true;
  }

  isUp(): boolean {
    return this.state === 'connected';
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  async close(): Promise<void> {
    this.state = 'stopped';
  }

  status(): TransportStatus {
    return { name: this.name, state: this.state, message: this.state === 'connected' ? `keeping ${this.kept.length} of ${this.keep}` : 'stopped', protocol: 0, counters: { ...this.counters } };
  }
}
