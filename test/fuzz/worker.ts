// One fuzz target in a worker thread (started by runner.ts). Before each input runs, its
// bytes and start time go into shared memory, so that the parent can name the input when
// this thread hangs (it terminates the worker) or runs out of heap (resourceLimits).
import { parentPort, workerData } from 'node:worker_threads';
import { CoverageFeedback, feedbackFilter, runEngine } from './engine.js';
import type { FuzzTarget } from './target.js';

export interface WorkerInput {
  target: string;
  seconds: number;
  maxRuns: number;
  seed: number;
  batchSize: number;
  seeds: Uint8Array[];
  /** Int32 [0]: 1 while an input runs; [1]: its length. Float64 at byte 8: its start (ms). Its bytes from 16. */
  shared: SharedArrayBuffer;
  progress: boolean;
}

export type WorkerMessage =
  | { type: 'progress'; stats: unknown }
  | { type: 'new-input'; input: Uint8Array }
  | { type: 'done'; stats: unknown; finding?: { kind: string; message: string; input: Uint8Array } };

const data = workerData as WorkerInput;
const state = new Int32Array(data.shared, 0, 2);
const startTime = new Float64Array(data.shared, 8, 1);
const bytes = new Uint8Array(data.shared, 16);
const post = (message: WorkerMessage): void => parentPort!.postMessage(message);

// Coverage starts before the code under test is loaded, so that V8 compiles it with block
// counters; which scripts count is known once the target is.
let accept: (url: string) => boolean = () => false;
const coverage = new CoverageFeedback((url) => accept(url));
const { target } = (await import(`./targets/${data.target}.js`)) as { target: FuzzTarget };
accept = feedbackFilter(target);
const importTake = coverage.take();

const { stats, finding } = runEngine(target, {
  seconds: data.seconds,
  maxRuns: data.maxRuns,
  seed: data.seed,
  batchSize: data.batchSize,
  seeds: data.seeds.map((s) => Buffer.from(s)),
  beforeRun(input) {
    const length = Math.min(input.length, bytes.length);
    bytes.set(input.subarray(0, length));
    state[1] = length;
    startTime[0] = Date.now();
    Atomics.store(state, 0, 1);
  },
  afterRun() {
    Atomics.store(state, 0, 0);
  },
  onNewInput: (input) => post({ type: 'new-input', input: new Uint8Array(input) }),
  onProgress: data.progress ? (s) => post({ type: 'progress', stats: s }) : undefined,
}, coverage, importTake);
coverage.stop();
post({ type: 'done', stats, finding: finding && { kind: finding.kind, message: finding.message, input: new Uint8Array(finding.input) } });
