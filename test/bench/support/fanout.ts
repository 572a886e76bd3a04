/**
 * The policy-free fan-out the Router replaced in the daemon, kept only as the reference row
 * of the routing benchmark (test/bench/routing-fanout.ts): every event from a source or
 * input goes to every output, except back to the output it arrived on. No de-duplication,
 * filters, lanes or budgets — the cost of doing nothing, to compare the router with.
 */
import type { CotEvent } from '../../../daemon/codec/event.js';
import type { CotOutput } from '../../../daemon/transports/index.js';

export interface FanoutCounters {
  eventsIn: number;
  eventsOut: number;
  dropped: Record<string, number>;
}

export class Fanout {
  private readonly outputs = new Map<string, CotOutput>();
  readonly counters: FanoutCounters = { eventsIn: 0, eventsOut: 0, dropped: { 'no-output': 0 } };

  setOutput(id: string, output: CotOutput): void {
    this.outputs.set(id, output);
  }

  /** An event from `from` (a source, input or output id) to every other output. */
  publish(event: CotEvent, from: string): void {
    this.counters.eventsIn += 1;
    let delivered = 0;
    for (const [id, output] of this.outputs) {
      if (id === from) continue;
      if (output.send(event)) delivered += 1;
    }
    if (delivered === 0) this.counters.dropped['no-output'] += 1;
    this.counters.eventsOut += delivered;
  }
}
