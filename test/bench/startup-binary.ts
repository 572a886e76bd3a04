// Scenario: the single binary as users start it. Size (stripped, against the official
// node it is built on), `takd --version` wall time, start to the first CoT event out
// (corpus capture replayed, log://stdout), idle resident memory of `takd run`; each with
// V8's code cache in the SEA blob and without, against the same sources run by node, and
// idle memory and size against the floor: the official node the binary is built on; and the
// release .deb's size, against the packaging budgets (issue "Packaging budget, restated").
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBinary } from '../../packaging/build/binary.js';
import { buildDeb } from '../../packaging/build/deb.js';
import { NODE_VERSION, officialNode } from '../../packaging/build/node-dist.js';
import { mib, SIZE_BUDGET } from '../../packaging/testing/binaries.js';
import { idleResident, timeToExit, timeToFirstEvent } from '../../packaging/testing/process-metrics.js';
import { gnssCorpusDir, repoRoot } from '../support/paths.js';
import { machine, median, table } from './support/measure.js';

const RUNS = 7;
const RSS_RUNS = 5;
const BUDGET = { versionMs: 150, firstEventMs: 400, idleRssMiB: 60 };
const TSC_MAIN = fileURLToPath(new URL('../../daemon/main.js', import.meta.url));

interface Contender {
  name: string;
  argv: string[];
}

/** The capture without RMC/ZDA dates, so its 2014 GPS time cannot make every PLI stale. */
function datelessCapture(dir: string): string {
  const lines = readFileSync(join(gnssCorpusDir, 'bu353s4.log'), 'latin1').split('\n');
  const path = join(dir, 'bu353s4-dateless.log');
  writeFileSync(path, lines.filter((line) => !/^\$..(RMC|ZDA),/.test(line)).join('\n'), 'latin1');
  return path;
}

function replayConfig(dir: string): string {
  const capture = datelessCapture(dir);
  const path = join(dir, 'replay.ini');
  writeFileSync(path, `[takd]\ncallsign = BENCH-1\nuid = bench-1\n[source.gps]\ndriver = nmea-gnss\nlink = file://${capture}?pace=fast\n[output.console]\nurl = log://stdout\n[log]\nlevel = warn\n`);
  return path;
}

function idleConfig(dir: string): string {
  const path = join(dir, 'idle.ini');
  writeFileSync(path, `[takd]\ncallsign = BENCH-1\nuid = bench-1\n[pli]\nenabled = no\n[input.phones]\nurl = tcp+listen://127.0.0.1:0\n[output.file]\nurl = file://${join(dir, 'out.cot')}\n[log]\nlevel = warn\n`);
  return path;
}

/** What an idle node costs with no application: a timer keeps it alive, status.json says it started. */
const FLOOR_SCRIPT = "require('fs').writeFileSync(process.env.RUNTIME_DIRECTORY + '/status.json', '{}'); setInterval(() => {}, 60000);";

function strippedSize(binary: string, dir: string): number {
  const copy = join(dir, 'node-stripped');
  copyFileSync(binary, copy);
  execFileSync('strip', ['--strip-all', copy]);
  const bytes = statSync(copy).size;
  rmSync(copy);
  return bytes;
}

/** Interleaved rounds (contenders take turns), the first one discarded as warm-up. */
async function interleaved(contenders: Contender[], rounds: number, measure: (c: Contender) => Promise<number> | number): Promise<number[]> {
  const samples = contenders.map(() => [] as number[]);
  for (let round = 0; round <= rounds; round++) {
    for (const [i, contender] of contenders.entries()) {
      const value = await measure(contender);
      if (round > 0) samples[i].push(value);
    }
  }
  return samples.map(median);
}

export default async function (): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'takd-bench-startup-'));
  try {
    const withCache = await buildBinary({ repoRoot, arch: 'x64', outDir: join(dir, 'cache'), useCodeCache: true });
    const withoutCache = await buildBinary({ repoRoot, arch: 'x64', outDir: join(dir, 'nocache'), useCodeCache: false });
    const officialPath = await officialNode('x64');
    const official = statSync(officialPath).size;
    const officialStripped = strippedSize(officialPath, dir);
    const contenders: Contender[] = [
      { name: 'takd-linux-x64 (code cache)', argv: [withCache.path] },
      { name: 'takd-linux-x64 (no code cache)', argv: [withoutCache.path] },
      { name: `node ${process.version} + tsc output`, argv: [process.execPath, TSC_MAIN] },
    ];

    const version = await interleaved(contenders, RUNS, (c) => timeToExit([...c.argv, '--version']));

    const hasCorpus = existsSync(join(gnssCorpusDir, 'bu353s4.log'));
    const replay = replayConfig(dir);
    const firstEvent = hasCorpus
      ? await interleaved(contenders, RUNS, (c) => {
          const runtime = join(dir, 'rt-first');
          rmSync(runtime, { recursive: true, force: true });
          mkdirSync(runtime);
          return timeToFirstEvent([...c.argv, 'run', '-c', replay], { RUNTIME_DIRECTORY: runtime, STATE_DIRECTORY: runtime, TAKD_LOG_FORMAT: 'json' });
        })
      : contenders.map(() => NaN);

    const idle = idleConfig(dir);
    // The floor takes its turn with the others; it ignores the `run -c` arguments.
    const floor: Contender = { name: `floor: official node ${NODE_VERSION}, an empty timer`, argv: [officialPath, '-e', FLOOR_SCRIPT] };
    const rssContenders = [...contenders, floor];
    const anonymous: number[][] = rssContenders.map(() => []);
    const rss = await interleaved(rssContenders, RSS_RUNS, async (c) => {
      const runtime = join(dir, 'rt-idle');
      rmSync(runtime, { recursive: true, force: true });
      mkdirSync(runtime);
      const memory = await idleResident([...c.argv, 'run', '-c', idle], { RUNTIME_DIRECTORY: runtime, STATE_DIRECTORY: runtime, TAKD_LOG_FORMAT: 'json' }, () => existsSync(join(runtime, 'status.json')));
      anonymous[rssContenders.indexOf(c)].push(memory.anonymous); // round 0 (warm-up) dropped below
      return memory.total;
    });
    const anonymousMedian = anonymous.map((values) => median(values.slice(1)));
    const floorIndex = rssContenders.length - 1;

    const reference = contenders.length - 1;
    const ms = (v: number) => (Number.isNaN(v) ? 'n/a (no corpus)' : v.toFixed(0));
    const ratio = (values: number[], i: number) => (Number.isNaN(values[i]) ? '' : `${(values[i] / values[reference]).toFixed(2)}×`);
    const rows = contenders.map((c, i) => [c.name, ms(version[i]), ratio(version, i), ms(firstEvent[i]), ratio(firstEvent, i), rss[i].toFixed(1), ratio(rss, i), anonymousMedian[i].toFixed(1)]);
    const overFloor = (v: number, floorValue: number) => `+${(v - floorValue).toFixed(1)}`;
    const floorRows = rssContenders.map((c, i) => [
      c.name,
      rss[i].toFixed(1),
      i === floorIndex ? '' : overFloor(rss[i], rss[floorIndex]),
      anonymousMedian[i].toFixed(1),
      (rss[i] - anonymousMedian[i]).toFixed(1),
    ]);
    const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
    const deb = await buildDeb({ repoRoot, arch: 'amd64', compression: 'xz', outDir: join(dir, 'deb') });
    const binaryBudget = officialStripped + SIZE_BUDGET.binaryOverNodeBytes;
    const verdict = (bytes: number, budget: number) => `${mib(budget)} (${bytes <= budget ? 'met' : 'MISSED'})`;
    return [
      '## Start-up of the single binary',
      '',
      `${machine()}. Medians of ${RUNS} runs (${RSS_RUNS} for memory) after one warm-up, contenders interleaved. Ratios are to node running the tsc output.`,
      `"First event": spawn to the first CoT event on stdout, bu353s4 capture (date sentences removed) replayed flat out to log://stdout. "Idle RSS": \`takd run\` with a TCP listener and no traffic, 2 s after status.json appears.`,
      '',
      table(['contender', '--version ms', 'ratio', 'first event ms', 'ratio', 'idle RSS MiB', 'ratio', 'of which anonymous MiB'], rows),
      '',
      table(['idle, against the floor', 'RSS MiB', 'over the floor MiB', 'anonymous MiB', 'file-backed MiB'], floorRows),
      '',
      table(
        ['size', 'MB', 'MiB', 'budget'],
        [
          ['takd-linux-x64 (stripped, code cache)', mb(withCache.bytes), mib(withCache.bytes), `the floor + 3 MiB = ${verdict(withCache.bytes, binaryBudget)}`],
          ['takd-linux-x64 (no code cache)', mb(withoutCache.bytes), mib(withoutCache.bytes), ''],
          [`takd_*_amd64.deb (xz, the release package)`, mb(deb.bytes), mib(deb.bytes), verdict(deb.bytes, SIZE_BUDGET.debBytes)],
          [`official node ${NODE_VERSION} it is built on, stripped (the floor)`, mb(officialStripped), mib(officialStripped), ''],
          [`official node ${NODE_VERSION}, as published (unstripped)`, mb(official), mib(official), ''],
          ['esbuild bundle inside', mb(withCache.bundleBytes), mib(withCache.bundleBytes), ''],
        ],
      ),
      '',
      `Budgets: --version <= ${BUDGET.versionMs} ms, first event <= ${BUDGET.firstEventMs} ms, idle RSS <= ${BUDGET.idleRssMiB} MiB. ` +
        'Most of the idle RSS is file-backed: the pages of the node executable that start-up touched (clean, shared, reclaimable); the anonymous part is the heap and stacks. ' +
        'The binaries are measured as buildBinary leaves them (copied from its cache), which reads the same as a cold start: the file postject writes in one large write() shows ~18 MiB more file-backed RSS on this kernel (6.18) for the same code, presumably larger page-cache folios.',
      '',
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
