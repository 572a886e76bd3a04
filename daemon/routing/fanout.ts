/**
 * The policy-free fan-out the Router replaced in the daemon, kept as the reference the
 * routing benchmark (test/bench/routing-fanout.ts) measures against: every event from a source
 * or input goes to every output, except back to the output it arrived on (a TAK Server
 * connection is both an input and an output). Own-position reports go to one output at a
 * time (each output has its own reporting schedule).
 */
import type { CotEvent } from '../codec/event.js';
import type { CotOutput } from '../transports/index.js';

export interface FanoutCounters {
  eventsIn: number;
  eventsOut: number;
  dropped: Record<string, number>;
}

export class Fanout {
  private readonly outputs = new Map<string, CotOutput>();
  readonly counters: FanoutCounters = { eventsIn: 0, eventsOut: 0, dropped: { 'no-output': 0, 'output-gone': 0 } };

  setOutput(id: string, output: CotOutput): void {
    this.outputs.set(id, output);
  }

  removeOutput(id: string, output?: CotOutput): void {
    // A restarted output registers its new instance before the old one is removed.
    if (output === undefined || this.outputs.get(id) === output) this.outputs.delete(id);
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

  /** An event for one output (own position reports). */
  sendTo(id: string, event: CotEvent): void {
    const output = this.outputs.get(id);
    if (output === undefined) {
      this.counters.dropped['output-gone'] += 1;
      return;
    }
    if (output.send(event)) this.counters.eventsOut += 1;
  }
}
