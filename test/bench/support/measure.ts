// Benchmark helpers: medians over interleaved runs (the machine is shared and noisy, so
// contenders take turns within each round), machine description, Markdown tables.
import { cpus, totalmem } from 'node:os';

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export interface Contender {
  name: string;
  /** Runs one pass over the workload; returns how many items it processed. */
  pass: () => number;
}

export interface Measured {
  name: string;
  /** Median items per second over the rounds. */
  perSecond: number;
  runs: number[];
}

/** Interleaved rounds: every contender runs once per round; the first round is warm-up. */
export function race(contenders: Contender[], rounds = 7): Measured[] {
  const runs = contenders.map(() => [] as number[]);
  for (let round = 0; round <= rounds; round++) {
    contenders.forEach((c, i) => {
      const started = process.hrtime.bigint();
      const items = c.pass();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (round > 0) runs[i].push(items / seconds);
    });
  }
  return contenders.map((c, i) => ({ name: c.name, perSecond: median(runs[i]), runs: runs[i] }));
}

export function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run benchmarks with node --expose-gc (npm run bench does)');
  collect();
  collect();
}

/** Heap bytes held per item by what `build` returns, measured after full collections. */
export function heapPerItem(count: number, build: () => unknown[]): number {
  gc();
  const before = process.memoryUsage().heapUsed;
  const held = build();
  gc();
  const after = process.memoryUsage().heapUsed;
  if (held.length !== count) throw new Error(`expected ${count} items, got ${held.length}`);
  return (after - before) / count;
}

export function machine(): string {
  const cpu = cpus();
  return `${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
}

export function formatRate(perSecond: number): string {
  return Math.round(perSecond).toLocaleString('en-US');
}

export function table(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
