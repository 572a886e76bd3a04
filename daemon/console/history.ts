/**
 * Each link's event rate over the last 15 minutes, for the console's sparklines: one
 * sample every 10 s (90 per link), kept in memory while the HTTP endpoint runs.
 */
import type { ComponentStatus } from '../lifecycle/component.js';

const SLOTS = 90;

/** Events a link moved: sent by outputs, received by inputs, decoded or read by sources. */
export function eventCount(counters: Record<string, number>): number {
  for (const key of ['eventsSent', 'eventsReceived', 'events', 'messages']) {
    const value = counters[key];
    if (typeof value === 'number') return value;
  }
  return 0;
}

export class LinkHistory {
  private readonly last = new Map<string, number>();
  private readonly rates = new Map<string, number[]>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly components: () => ComponentStatus[],
    readonly intervalSeconds = 10,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalSeconds * 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  sample(): void {
    const seen = new Set<string>();
    for (const c of this.components()) {
      seen.add(c.id);
      const count = eventCount(c.counters);
      const before = this.last.get(c.id);
      this.last.set(c.id, count);
      if (before === undefined) continue;
      const series = this.rates.get(c.id) ?? [];
      series.push(Math.max(0, count - before) / this.intervalSeconds);
      if (series.length > SLOTS) series.shift();
      this.rates.set(c.id, series);
    }
    for (const id of this.last.keys()) {
      if (seen.has(id)) continue;
      this.last.delete(id);
      this.rates.delete(id);
    }
  }

  /** Events per second over the last interval (0 before two samples). */
  rate(id: string): number {
    return this.rates.get(id)?.at(-1) ?? 0;
  }

  series(id: string): number[] {
    return [...(this.rates.get(id) ?? [])];
  }
}
