// Runs fuzz targets, each in its own worker thread (worker.ts), and turns what goes wrong
// into findings: an exception out of the target (crash), an input that runs longer than the
// time limit (timeout: the worker is terminated), or one that takes the worker's heap past
// its limit (oom). Used by the short runs in `npm test` (fuzz.test.ts) and by `npm run fuzz`
// (scripts/fuzz.ts).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { EngineStats } from './engine.js';
import type { WorkerInput, WorkerMessage } from './worker.js';

export const TARGETS = ['cot-xml-stream', 'xml-differential', 'tak-stream', 'mesh-datagram', 'nmea', 'ais', 'kiss-aprs', 'meshtastic', 'ini', 'marti-multipart', 'marti-target', 'console-requests', 'mqtt-payload', 'wss-frames', 'enrollment', 'connection-package', 'enroll-text'] as const;
export type TargetName = (typeof TARGETS)[number];

/** The repository (build/test/fuzz/runner.js is three levels down). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const corpusDir = (target: string): string => join(repoRoot, 'test/fuzz/corpus', target);
export const regressionsDir = (target: string): string => join(repoRoot, 'test/fuzz/regressions', target);

export interface FuzzOptions {
  seconds: number;
  /** 0: no cap. */
  maxRuns?: number;
  seed: number;
  /** Inputs per coverage take (default 8). */
  batchSize?: number;
  /** Heap limit of the worker (old generation), MiB. */
  heapMb?: number;
  /** Longest a single input may run, ms. */
  timeoutMs?: number;
  /** Directories whose files seed the run (default: the committed corpus and the regressions). */
  seedDirs?: string[];
  /** Exactly these inputs as seeds (reproducing a finding). */
  seedFiles?: string[];
  /** Where inputs that added coverage are written (the long run). */
  corpusOut?: string;
  /** Where a finding's input is written. */
  findingsDir?: string;
  progress?: (stats: EngineStats) => void;
}

export interface Finding {
  kind: 'crash' | 'timeout' | 'oom';
  message: string;
  input: Buffer;
  /** The file it was written to, when findingsDir was given. */
  file?: string;
}

export interface FuzzResult {
  target: string;
  stats?: EngineStats;
  finding?: Finding;
}

export function readSeeds(dirs: string[]): Buffer[] {
  const seeds: Buffer[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isFile() && !name.endsWith('.txt')) seeds.push(readFileSync(path));
    }
  }
  return seeds;
}

const SHARED_INPUT_BYTES = 1 << 20;

export function fuzzTarget(target: string, options: FuzzOptions): Promise<FuzzResult> {
  const seeds = options.seedFiles ? options.seedFiles.map((f) => readFileSync(f)) : readSeeds(options.seedDirs ?? [corpusDir(target), regressionsDir(target)]);
  const shared = new SharedArrayBuffer(16 + SHARED_INPUT_BYTES);
  const state = new Int32Array(shared, 0, 2);
  const startTime = new Float64Array(shared, 8, 1);
  const bytes = new Uint8Array(shared, 16);
  const currentInput = (): Buffer => Buffer.from(bytes.slice(0, state[1]));
  const timeoutMs = options.timeoutMs ?? 2000;
  const data: WorkerInput = { target, seconds: options.seconds, maxRuns: options.maxRuns ?? 0, seed: options.seed, batchSize: options.batchSize ?? 8, seeds: seeds.map((s) => new Uint8Array(s)), shared, progress: options.progress !== undefined };
  if (options.corpusOut) mkdirSync(options.corpusOut, { recursive: true });

  return new Promise((resolve) => {
    const worker = new Worker(new URL('./worker.js', import.meta.url), {
      workerData: data,
      resourceLimits: { maxOldGenerationSizeMb: options.heapMb ?? 256, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
    });
    let settled = false;
    const finish = (result: FuzzResult): void => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      if (result.finding && options.findingsDir) result.finding.file = writeFinding(options.findingsDir, target, result.finding);
      void worker.terminate();
      resolve(result);
    };
    const watchdog = setInterval(() => {
      if (Atomics.load(state, 0) === 1 && Date.now() - startTime[0]! > timeoutMs) {
        finish({ target, finding: { kind: 'timeout', message: `one input ran longer than ${timeoutMs} ms`, input: currentInput() } });
      }
    }, Math.min(100, timeoutMs / 4));
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') options.progress?.(message.stats as EngineStats);
      else if (message.type === 'new-input') {
        if (options.corpusOut) writeFileSync(join(options.corpusOut, sha(Buffer.from(message.input))), message.input);
      } else {
        const f = message.finding;
        finish({ target, stats: message.stats as EngineStats, finding: f && { kind: 'crash', message: f.message, input: Buffer.from(f.input) } });
      }
    });
    worker.on('error', (err: Error & { code?: string }) => {
      const running = Atomics.load(state, 0) === 1;
      if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        finish({ target, finding: { kind: 'oom', message: `heap over ${options.heapMb ?? 256} MiB${running ? '' : ' (between inputs: the last input is saved)'}`, input: currentInput() } });
      } else {
        finish({ target, finding: { kind: 'crash', message: `worker failed: ${err.stack ?? err.message}`, input: currentInput() } });
      }
    });
    worker.on('exit', (code) => finish({ target, finding: { kind: 'crash', message: `worker exited with ${code} before it finished`, input: currentInput() } }));
  });
}

function sha(input: Buffer): string {
  return createHash('sha1').update(input).digest('hex').slice(0, 16);
}

function writeFinding(dir: string, target: string, finding: Finding): string {
  const out = join(dir, target);
  mkdirSync(out, { recursive: true });
  const file = join(out, `${finding.kind}-${sha(finding.input)}`);
  writeFileSync(file, finding.input);
  writeFileSync(`${file}.txt`, `${finding.kind} in target ${target}\n\n${finding.message}\n`);
  return file;
}

export function describeStats(s: EngineStats | undefined): string {
  if (!s) return 'no stats';
  const lines = s.lines ? `, lines ${s.lines.covered}/${s.lines.total} (${s.lines.percent}%)` : '';
  return `${s.executions} execs in ${s.seconds}s (${s.execsPerSecond}/s), corpus ${s.corpus}, blocks ${s.blocks}, features ${s.features}${lines}`;
}

export function howToRegress(target: string, file: string): string {
  return [
    `reproduce:  npm run fuzz -- --target ${target} --reproduce ${file}`,
    `regression: fix the bug, then  cp ${file} test/fuzz/regressions/${target}/  — every npm test replays`,
    `            test/fuzz/regressions/<target>/* through the target first (test/fuzz/fuzz.test.ts);`,
    `            add a unit test beside the code that names the bug as well.`,
  ].join('\n');
}
