/**
 * How the takd process itself is doing, for status.json and /metrics: resident and heap
 * memory, the handles keeping the event loop alive (sockets, timers, files), CPU time, and
 * the event loop's delay. A soak (test/bench/soak.ts) reads these to show that memory and
 * handles stay flat over hours; an operator reads them to see a leak before the box does.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { HeapTrim } from './heap-trim.js';

export interface ProcessGauges {
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
  /** process.getActiveResourcesInfo().length: sockets, servers, timers, file handles. */
  activeResources: number;
  cpuUserSeconds: number;
  cpuSystemSeconds: number;
  /** Full collections made to give back the heap a storm grew (heap-trim.ts). */
  heapTrims: number;
  /** Times the heap grew back within 10 minutes of a trim and that size was kept instead (heap-trim.ts). */
  heapKept: number;
  /** Of heapTrims, those for pages a burst left resident (heap-trim.ts). */
  heapResidentTrims: number;
  /** Event-loop delay (beyond a 10 ms timer's period) over the last completed window (`windowSeconds`), in ms; absent before the first. */
  eventLoopDelay?: { p50Ms: number; p99Ms: number; maxMs: number; windowSeconds: number };
}

/** How often the heap's free space is looked at (heap-trim.ts). */
const TRIM_LOOK_MS = 2_000;

/** The delay monitor's timer period. */
const LOOP_TIMER_MS = 10;

/** Samples the event-loop delay in windows; a window's figures are kept until the next one ends. */
export class ProcessMonitor {
  private histogram: IntervalHistogram | undefined;
  private timer: NodeJS.Timeout | undefined;
  private last: ProcessGauges['eventLoopDelay'];
  private readonly heapTrim = new HeapTrim();
  private trimTimer: NodeJS.Timeout | undefined;

  constructor(private readonly windowMs = 10_000) {}

  start(): void {
    if (this.histogram !== undefined) return;
    this.histogram = monitorEventLoopDelay({ resolution: LOOP_TIMER_MS });
    this.histogram.enable();
    this.timer = setInterval(() => this.rotate(), this.windowMs);
    this.timer.unref();
    this.trimTimer = setInterval(() => this.heapTrim.check(), TRIM_LOOK_MS);
    this.trimTimer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    if (this.trimTimer !== undefined) clearInterval(this.trimTimer);
    this.timer = this.trimTimer = undefined;
    this.histogram?.disable();
    this.histogram = undefined;
  }

  private rotate(): void {
    const h = this.histogram;
    if (h === undefined) return;
    // The histogram holds the timer's whole interval (an idle loop reads 10 ms); the delay
    // is what exceeds the timer's period.
    const ms = (ns: number): number => Math.max(0, Math.round(ns / 1e4) / 100 - LOOP_TIMER_MS);
    this.last = { p50Ms: ms(h.percentile(50)), p99Ms: ms(h.percentile(99)), maxMs: ms(h.max), windowSeconds: this.windowMs / 1000 };
    h.reset();
  }

  gauges(): ProcessGauges {
    const memory = process.memoryUsage();
    const cpu = process.cpuUsage();
    return {
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      heapTotalBytes: memory.heapTotal,
      externalBytes: memory.external,
      activeResources: process.getActiveResourcesInfo().length,
      cpuUserSeconds: cpu.user / 1e6,
      cpuSystemSeconds: cpu.system / 1e6,
      heapTrims: this.heapTrim.trims,
      heapKept: this.heapTrim.kept,
      heapResidentTrims: this.heapTrim.residentTrims,
      ...(this.last !== undefined ? { eventLoopDelay: this.last } : {}),
    };
  }
}
