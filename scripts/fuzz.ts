// npm run fuzz — the long coverage-guided run (test/fuzz/). Each target runs in a worker with
// a heap limit and a per-input time limit; inputs that add coverage are kept in
// fuzz-out/corpus/<target>/ (and seed the next run); findings go to fuzz-out/findings/<target>/.
//
//   npm run fuzz                                   every target, 120 s each
//   npm run fuzz -- --target nmea --seconds 300    one target (repeat --target, or a,b,c)
//   npm run fuzz -- --target ini --reproduce FILE  run one input and print what it does
//   options: --seed N  --heap-mb 256  --timeout-ms 2000  --runs N  --batch N (inputs per coverage take)  --out DIR  --fresh (ignore fuzz-out/corpus)
// Exit status 1 when anything was found. Be kind to shared machines: nice -n 10 npm run fuzz.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { TARGETS, corpusDir, describeStats, fuzzTarget, howToRegress, regressionsDir, repoRoot, type FuzzResult } from '../test/fuzz/runner.js';

const { values } = parseArgs({
  options: {
    target: { type: 'string', multiple: true },
    seconds: { type: 'string', default: '120' },
    seed: { type: 'string' },
    'heap-mb': { type: 'string', default: '256' },
    'timeout-ms': { type: 'string', default: '2000' },
    runs: { type: 'string', default: '0' },
    batch: { type: 'string', default: '8' },
    out: { type: 'string', default: join(repoRoot, 'fuzz-out') },
    reproduce: { type: 'string' },
    fresh: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(`npm run fuzz -- [--target NAME]... [--seconds N] [--seed N] [--heap-mb N] [--timeout-ms N] [--runs N] [--batch N] [--out DIR] [--fresh] [--reproduce FILE]\ntargets: ${TARGETS.join(' ')}`);
  process.exit(0);
}
const targets = (values.target ?? [...TARGETS]).flatMap((t) => t.split(','));
for (const t of targets) {
  if (!(TARGETS as readonly string[]).includes(t)) {
    console.error(`unknown target ${t}; targets: ${TARGETS.join(' ')}`);
    process.exit(2);
  }
}
const seed = values.seed !== undefined ? Number(values.seed) : Date.now() % 0x7fffffff;
const common = { seed, batchSize: Number(values.batch), heapMb: Number(values['heap-mb']), timeoutMs: Number(values['timeout-ms']) };

async function main(): Promise<number> {
  if (values.reproduce) {
    if (targets.length !== 1) throw new Error('--reproduce needs exactly one --target');
    const result = await fuzzTarget(targets[0]!, { ...common, seconds: 0, maxRuns: 1, seedFiles: [values.reproduce] });
    report(result);
    return result.finding ? 1 : 0;
  }
  let found = 0;
  for (const target of targets) {
    const corpusOut = join(values.out!, 'corpus', target);
    console.log(`fuzz ${target}: ${values.seconds}s, seed ${seed}, heap ${common.heapMb} MiB, ${common.timeoutMs} ms per input`);
    const result = await fuzzTarget(target, {
      ...common,
      seconds: Number(values.seconds),
      maxRuns: Number(values.runs),
      seedDirs: [corpusDir(target), regressionsDir(target), ...(values.fresh ? [] : [corpusOut])],
      corpusOut,
      findingsDir: join(values.out!, 'findings'),
      progress: (s) => console.log(`  ${target}: ${describeStats(s)}`),
    });
    report(result);
    if (result.finding) found++;
  }
  return found > 0 ? 1 : 0;
}

function report(result: FuzzResult): void {
  console.log(`${result.target}: ${describeStats(result.stats)}`);
  if (result.stats?.lines) for (const [file, lines] of Object.entries(result.stats.lines.perFile)) console.log(`    ${file}: ${lines} lines`);
  const f = result.finding;
  if (f) {
    console.log(`FINDING (${f.kind}) in ${result.target}: ${f.message.split('\n').slice(0, 12).join('\n')}`);
    console.log(`input (${f.input.length} bytes): ${JSON.stringify(f.input.subarray(0, 300).toString('latin1'))}`);
    if (f.file) console.log(`written to ${f.file}\n${howToRegress(result.target, f.file)}`);
  }
}

main().then((code) => (process.exitCode = code), (err) => {
  console.error(err);
  process.exitCode = 2;
});
