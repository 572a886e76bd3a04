// The coverage-guided fuzzing engine: runs inside a worker thread (worker.ts), one target per
// worker, so that the parent (runner.ts) can stop an input that hangs and survive one that
// exhausts the heap (the worker's resourceLimits).
//
// Why not Jazzer.js: @jazzer.js/core 4.0.0 loads a prebuilt libFuzzer addon that needs
// glibc 2.38 (`__isoc23_strtol`), and Debian 12 / Raspberry Pi OS bookworm — this machine and
// the box takd targets — have 2.36; 2.1.0 fetches its addon from GitHub or builds it by
// downloading LLVM's compiler-rt. So the feedback here comes from V8 itself.
//
// Feedback: V8's precise block coverage (node:inspector, Profiler.startPreciseCoverage with
// call counts), taken after every input. V8 reports only the functions that ran since the
// last take, each with its blocks' counts; it merges a block that ran exactly as often as its
// enclosing range into that range, and reports a block that did not run with count 0. So a
// block seen once with count 0 that is no longer reported (and not inside a range with count
// 0) ran as often as its parent. A feature is (script, block, bucket of its count) with
// libFuzzer's buckets (1, 2, 3, 4–7, 8–15, 16–31, 32–127, 128+); an input that adds a feature
// joins the corpus. Mutations are libFuzzer's usual byte-level ones plus a per-target
// dictionary and crossover between corpus entries; the random source is seeded.
import { Session } from 'node:inspector';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FuzzTarget } from './target.js';

export interface BlockRange {
  startOffset: number;
  endOffset: number;
  count: number;
}
interface FunctionCoverage {
  functionName: string;
  ranges: BlockRange[];
  isBlockCoverage: boolean;
}
interface ScriptCoverage {
  scriptId: string;
  url: string;
  functions: FunctionCoverage[];
}

/** xorshift32: small, seeded, reproducible. */
export function xorshift(seed: number): () => number {
  let state = seed >>> 0 || 0x9e3779b9;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
}

function bucket(count: number): number {
  if (count <= 0) return 0;
  if (count <= 3) return count;
  if (count <= 7) return 4;
  if (count <= 15) return 5;
  if (count <= 31) return 6;
  if (count <= 127) return 7;
  return 8;
}

/** Synchronous use of the in-thread inspector session (its callbacks run before post returns). */
class Inspector {
  private readonly session = new Session();

  constructor() {
    this.session.connect();
  }

  post<T>(method: string, params?: object): T {
    let result: T | undefined;
    let failure: Error | null = null;
    let done = false;
    this.session.post(method, params ?? {}, (err, res) => {
      failure = err;
      result = res as T;
      done = true;
    });
    if (!done) throw new Error(`inspector ${method} did not answer synchronously`);
    if (failure) throw failure;
    return result as T;
  }

  disconnect(): void {
    this.session.disconnect();
  }
}

/** Features from V8 block coverage, for the scripts the filter accepts. */
export class CoverageFeedback {
  private readonly inspector = new Inspector();
  private readonly features = new Set<string>();
  /** Per function (script + range): the blocks ever reported with count 0 in it. */
  private readonly knownZero = new Map<string, Array<[number, number]>>();
  /** Distinct blocks (not buckets) that have run. */
  private readonly blocks = new Set<string>();

  constructor(private readonly accept: (url: string) => boolean) {
    this.inspector.post('Profiler.enable');
    this.inspector.post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
  }

  get featureCount(): number {
    return this.features.size;
  }

  get blockCount(): number {
    return this.blocks.size;
  }

  /** Everything that ran since the last take (and resets V8's counters). */
  take(): ScriptCoverage[] {
    return this.inspector.post<{ result: ScriptCoverage[] }>('Profiler.takePreciseCoverage').result;
  }

  /**
   * Takes coverage and returns how many features are new, recording them — unless `probe` is
   * given: then the coverage is a batch's (counts summed over several inputs), nothing is
   * recorded, and a feature counts as new only if neither a single input nor an earlier batch
   * had it (the batch's features go into `probe`, so a sum that no single input reaches
   * does not flag every batch).
   */
  collect(probe?: Set<string>): number {
    const dryRun = probe !== undefined;
    let fresh = 0;
    const add = (key: string, count: number): void => {
      const feature = `${key}#${bucket(count)}`;
      if (this.features.has(feature)) return;
      if (probe) {
        if (probe.has(feature) && this.blocks.has(key)) return;
        probe.add(feature);
        fresh++;
        return;
      }
      fresh++;
      this.features.add(feature);
      this.blocks.add(key);
    };
    for (const script of this.take()) {
      if (!this.accept(script.url)) continue;
      for (const fn of script.functions) {
        const [root, ...inner] = fn.ranges;
        if (root === undefined || root.count === 0) continue;
        const fnKey = `${script.url}@${root.startOffset}`;
        add(`${fnKey}:${root.startOffset}-${root.endOffset}`, root.count);
        const zeros: Array<[number, number]> = [];
        for (const r of inner) {
          if (r.count === 0) zeros.push([r.startOffset, r.endOffset]);
          else add(`${fnKey}:${r.startOffset}-${r.endOffset}`, r.count);
        }
        let known = this.knownZero.get(fnKey);
        if (known === undefined) {
          known = [];
          if (!dryRun) this.knownZero.set(fnKey, known);
        }
        // A block once seen with count 0 that is not reported as 0 now (nor lies inside a
        // range reported as 0) ran: with the count of the innermost range that contains it.
        for (const [start, end] of known) {
          if (zeros.some(([s, e]) => s <= start && end <= e)) continue;
          add(`${fnKey}:${start}-${end}`, innermostCount(fn.ranges, start, end));
        }
        if (!dryRun) {
          for (const z of zeros) if (!known.some(([s, e]) => s === z[0] && e === z[1])) known.push(z);
        }
      }
    }
    return fresh;
  }

  stop(): void {
    this.inspector.post('Profiler.stopPreciseCoverage');
    this.inspector.disconnect();
  }
}

function innermostCount(ranges: BlockRange[], start: number, end: number): number {
  let best: BlockRange | undefined;
  for (const r of ranges) {
    if (r.startOffset <= start && end <= r.endOffset && (best === undefined || r.endOffset - r.startOffset <= best.endOffset - best.startOffset)) best = r;
  }
  return best?.count ?? 0;
}

/** Line coverage of the target's own source files, from coverage takes (union over takes). */
export function lineCoverage(takes: ScriptCoverage[][], files: string[]): { covered: number; total: number; perFile: Record<string, string> } {
  let covered = 0;
  let total = 0;
  const perFile: Record<string, string> = {};
  for (const file of files) {
    const url = `file://${file}`;
    const text = readFileSync(file, 'utf8');
    const lineStarts: number[] = [];
    let at = 0;
    for (const line of text.split('\n')) {
      lineStarts.push(at);
      at += line.length + 1;
    }
    const rangesPerTake = takes.map((take) => {
      const ranges: BlockRange[] = [];
      for (const script of take) if (script.url === url) for (const fn of script.functions) ranges.push(...fn.ranges);
      return ranges;
    });
    let fileCovered = 0;
    let fileTotal = 0;
    text.split('\n').forEach((line, index) => {
      const trimmed = line.trim();
      if (!isCodeLine(trimmed)) return;
      const offset = lineStarts[index]! + (line.length - line.trimStart().length);
      fileTotal++;
      const ran = rangesPerTake.some((ranges) => {
        let best: BlockRange | undefined;
        for (const r of ranges) {
          if (r.startOffset <= offset && offset < r.endOffset && (best === undefined || r.endOffset - r.startOffset <= best.endOffset - best.startOffset)) best = r;
        }
        return best !== undefined && best.count > 0;
      });
      if (ran) fileCovered++;
    });
    covered += fileCovered;
    total += fileTotal;
    perFile[file.replace(/^.*\/build\//, '')] = `${fileCovered}/${fileTotal}`;
  }
  return { covered, total, perFile };
}

/** A line that holds code (not blank, not only a comment, not only closing punctuation, not an import). */
function isCodeLine(trimmed: string): boolean {
  if (trimmed === '') return false;
  if (trimmed.startsWith('//') || trimmed.startsWith('/*') || trimmed.startsWith('*')) return false;
  if (/^[}\])\s;,]*$/.test(trimmed)) return false;
  if (/^(import|export \{.*\} from|export \* from)\b/.test(trimmed)) return false;
  return true;
}

// ---------------------------------------------------------------------------------------
// Mutations

const INTERESTING = [0, 1, 0x7f, 0x80, 0xff, 0x0a, 0x0d, 0x20, 0x30, 0x39, 0x2c, 0x2a, 0x3c, 0x3e, 0x22, 0x26];

export class Mutator {
  private readonly dictionary: Buffer[];

  constructor(
    private readonly random: () => number,
    dictionary: readonly (string | Buffer)[],
    private readonly maxLength: number,
  ) {
    this.dictionary = dictionary.map((d) => (typeof d === 'string' ? Buffer.from(d, 'latin1') : d));
  }

  private int(n: number): number {
    return Math.floor(this.random() * n);
  }

  mutate(input: Buffer, other: () => Buffer): Buffer {
    let out: Buffer = Buffer.from(input);
    const stack = 1 + this.int(this.random() < 0.5 ? 2 : 6);
    for (let k = 0; k < stack; k++) out = this.once(out, other);
    return out.length > this.maxLength ? out.subarray(0, this.maxLength) : out;
  }

  private once(b: Buffer, other: () => Buffer): Buffer {
    const n = b.length;
    const at = this.int(n + 1);
    switch (this.int(n === 0 ? 3 : 12)) {
      case 0: // insert random bytes
        return Buffer.concat([b.subarray(0, at), Buffer.from(Array.from({ length: 1 + this.int(4) }, () => this.int(256))), b.subarray(at)]);
      case 1: { // insert a dictionary token
        if (this.dictionary.length === 0) return b;
        return Buffer.concat([b.subarray(0, at), this.dictionary[this.int(this.dictionary.length)]!, b.subarray(at)]);
      }
      case 2: { // crossover: splice in a piece of another corpus entry
        const o = other();
        if (o.length === 0) return b;
        const from = this.int(o.length);
        const len = 1 + this.int(Math.min(o.length - from, 64));
        return this.random() < 0.5
          ? Buffer.concat([b.subarray(0, at), o.subarray(from, from + len), b.subarray(at)])
          : Buffer.concat([b.subarray(0, at), o.subarray(from)]);
      }
      case 3: { // flip a bit
        const i = this.int(n);
        b[i] = b[i]! ^ (1 << this.int(8));
        return b;
      }
      case 4: // set a random byte
        b[this.int(n)] = this.int(256);
        return b;
      case 5: // set an interesting byte
        b[this.int(n)] = INTERESTING[this.int(INTERESTING.length)]!;
        return b;
      case 6: { // erase a range
        const i = this.int(n);
        return Buffer.concat([b.subarray(0, i), b.subarray(Math.min(n, i + 1 + this.int(this.random() < 0.8 ? 4 : 64)))]);
      }
      case 7: { // overwrite with a dictionary token
        if (this.dictionary.length === 0) return b;
        const token = this.dictionary[this.int(this.dictionary.length)]!;
        const i = this.int(n);
        return Buffer.concat([b.subarray(0, i), token, b.subarray(Math.min(n, i + token.length))]);
      }
      case 8: { // copy a piece of itself elsewhere (repeats structure)
        const i = this.int(n);
        const len = 1 + this.int(Math.min(n - i, 128));
        return Buffer.concat([b.subarray(0, at), b.subarray(i, i + len), b.subarray(at)]);
      }
      case 9: { // change an ASCII number: bump a digit, or make it long, or negative
        const digits: number[] = [];
        for (let i = 0; i < n; i++) if (b[i]! >= 0x30 && b[i]! <= 0x39) digits.push(i);
        if (digits.length === 0) return b;
        const i = digits[this.int(digits.length)]!;
        const choice = this.int(3);
        if (choice === 0) b[i] = 0x30 + ((b[i]! - 0x30 + 1 + this.int(9)) % 10);
        else if (choice === 1) return Buffer.concat([b.subarray(0, i), Buffer.from('9'.repeat(1 + this.int(20))), b.subarray(i)]);
        else return Buffer.concat([b.subarray(0, i), Buffer.from('-'), b.subarray(i)]);
        return b;
      }
      case 10: { // swap two bytes
        const i = this.int(n);
        const j = this.int(n);
        const t = b[i]!;
        b[i] = b[j]!;
        b[j] = t;
        return b;
      }
      default: { // truncate
        return b.subarray(0, this.int(n));
      }
    }
  }
}

/**
 * Constants the code compares input with, taken from the target's compiled sources (what
 * libFuzzer learns from comparison tracing, which V8 coverage does not give): string literals
 * up to 32 characters and integer literals that fit a byte, each a dictionary token.
 */
export function autoDictionary(files: string[]): Buffer[] {
  const tokens = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/'([^'\\\n]{1,32})'|"([^"\\\n]{1,32})"/g)) {
      const literal = m[1] ?? m[2]!;
      if (!/^\.{0,2}\//.test(literal)) tokens.add(literal); // not an import path
    }
    for (const m of text.matchAll(/(?<![\w.])(0x[0-9a-fA-F]{1,2}|[0-9]{1,3})(?![\w.])/g)) {
      const value = Number(m[1]);
      if (value <= 0xff) tokens.add(String.fromCharCode(value));
    }
  }
  return [...tokens].slice(0, 1024).map((t) => Buffer.from(t, 'latin1'));
}

// ---------------------------------------------------------------------------------------
// The loop

export interface EngineOptions {
  seconds: number;
  /** Stop after this many executions (0: no cap); with a fixed seed the short run is reproducible. */
  maxRuns: number;
  seed: number;
  /** Inputs per coverage take (default 8; 1 takes coverage after every input). */
  batchSize?: number;
  /** Seed inputs (committed corpus, regressions, a previous run's corpus). */
  seeds: Buffer[];
  /** Called with each input that added coverage (the long run saves them). */
  onNewInput?(input: Buffer): void;
  /** Called before each input runs (the runner's hang watchdog copies it). */
  beforeRun(input: Buffer): void;
  afterRun(): void;
  onProgress?(stats: EngineStats): void;
}

export interface EngineStats {
  target: string;
  executions: number;
  seconds: number;
  execsPerSecond: number;
  corpus: number;
  features: number;
  blocks: number;
  lines?: { covered: number; total: number; percent: number; perFile: Record<string, string> };
}

export interface EngineFinding {
  kind: 'crash';
  message: string;
  input: Buffer;
}

const buildRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Coverage counts only code of the daemon (build/daemon, hal, config) and the target's extra modules. */
function feedbackFilter(target: FuzzTarget): (url: string) => boolean {
  const roots = ['daemon/', 'hal/', 'config/'].map((d) => `file://${buildRoot}${d}`);
  const extra = target.extraFeedback ?? [];
  return (url) => roots.some((r) => url.startsWith(r)) || extra.some((e) => url.includes(e));
}

export function sourceFiles(target: FuzzTarget): string[] {
  return target.sources.map((s) => `${buildRoot}${s}.js`);
}

export function runEngine(target: FuzzTarget, options: EngineOptions, coverage: CoverageFeedback, importTake: ScriptCoverage[]): { stats: EngineStats; finding?: EngineFinding } {
  const random = xorshift(options.seed);
  const mutator = new Mutator(random, [...(target.dictionary ?? []), ...autoDictionary(sourceFiles(target))], target.maxLength ?? 4096);
  const corpus: Buffer[] = [];
  const started = performance.now();
  let executions = 0;
  let lastProgress = started;

  const stats = (): EngineStats => {
    const seconds = (performance.now() - started) / 1000;
    return { target: target.name, executions, seconds: Math.round(seconds * 10) / 10, execsPerSecond: Math.round(executions / Math.max(seconds, 0.001)), corpus: corpus.length, features: coverage.featureCount, blocks: coverage.blockCount };
  };

  const execute = (input: Buffer): EngineFinding | undefined => {
    options.beforeRun(input);
    executions++;
    try {
      target.fuzz(input);
    } catch (err) {
      return { kind: 'crash', message: err instanceof Error ? (err.stack ?? err.message) : String(err), input };
    } finally {
      options.afterRun();
    }
    return undefined;
  };

  coverage.take(); // drop what setup ran
  for (const seed of options.seeds) {
    const finding = execute(seed);
    if (finding) return { stats: stats(), finding };
    coverage.collect();
    corpus.push(seed);
  }
  if (corpus.length === 0) corpus.push(Buffer.alloc(0));

  // Inputs run in batches with one coverage take per batch (the take costs more than most
  // inputs); a batch that shows anything new runs again one input at a time, and only those
  // inputs that add coverage on their own join the corpus.
  const batchSize = Math.max(1, options.batchSize ?? 8);
  const probe = new Set<string>();
  const deadline = started + options.seconds * 1000;
  const other = (): Buffer => corpus[Math.floor(random() * corpus.length)]!;
  const batch: Buffer[] = [];
  while ((options.maxRuns === 0 || executions < options.maxRuns) && performance.now() < deadline) {
    batch.length = 0;
    for (let k = 0; k < batchSize && (options.maxRuns === 0 || executions < options.maxRuns); k++) {
      // Favour recent finds a little: they sit at the frontier of what is covered.
      const base = random() < 0.3 ? corpus[corpus.length - 1 - Math.floor(random() * Math.min(corpus.length, 16))]! : other();
      const input = mutator.mutate(base, other);
      const finding = execute(input);
      if (finding) return { stats: stats(), finding };
      batch.push(input);
    }
    const keep = (input: Buffer): void => {
      corpus.push(input);
      options.onNewInput?.(input);
    };
    if (batch.length === 1) {
      if (coverage.collect() > 0) keep(batch[0]!);
    } else if (coverage.collect(probe) > 0) {
      for (const input of batch) {
        const finding = execute(input);
        if (finding) return { stats: stats(), finding };
        if (coverage.collect() > 0) keep(input);
      }
    }
    const now = performance.now();
    if (options.onProgress && now - lastProgress > 5000) {
      lastProgress = now;
      options.onProgress(stats());
    }
  }

  // Line coverage of the target's sources: replay the corpus with counters accumulating.
  const result = stats();
  coverage.take();
  for (const input of corpus) {
    try {
      target.fuzz(input);
    } catch {
      // it did not throw the first time; coverage is what matters here
    }
  }
  const replay = coverage.take();
  const lines = lineCoverage([importTake, replay], sourceFiles(target));
  result.lines = { ...lines, percent: Math.round((1000 * lines.covered) / Math.max(1, lines.total)) / 10 };
  return { stats: result };
}

export { feedbackFilter };
