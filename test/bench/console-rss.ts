// Scenario: what the console costs in idle resident memory. `takd run` with the start-up
// benchmark's idle configuration (a TCP listener on loopback, a file output, PLI off), three
// ways: `[status] http` off; on with nobody looking; on after the page and the API were
// fetched once (the page's text is decompressed and kept then). VmRSS 2 s after status.json
// appears, medians of interleaved starts, for the single binary (built as the start-up
// benchmark builds it) and for node running the tsc output.
// Budgets (issue 20): off adds nothing (the console and node:http are loaded only with
// [status] http: the off row is the daemon's plain idle figure); on with no page open ≤ 5 MiB
// over off.
// Sizes: TAKD_BENCH_CONSOLE_RSS_RUNS (default 5); a smoke run: TAKD_BENCH_CONSOLE_RSS_RUNS=1
// and TAKD_BENCH_CONSOLE_RSS_BINARY=no (node only, no binary built).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildBinary } from '../../packaging/build/binary.js';
import { freePort } from '../support/gpsfake.js';
import { repoRoot } from '../support/paths.js';
import { TAKD_MAIN } from '../support/daemon-process.js';
import { machine, median, table } from './support/measure.js';

const RUNS = Number(process.env.TAKD_BENCH_CONSOLE_RSS_RUNS ?? 5);
const WITH_BINARY = process.env.TAKD_BENCH_CONSOLE_RSS_BINARY !== 'no';
const BUDGET_ON_MIB = 5;

type Case = 'off' | 'on' | 'viewed';
const CASES: readonly Case[] = ['off', 'on', 'viewed'];

function config(dir: string, port: number | undefined): string {
  const path = join(dir, `idle-${port ?? 'off'}.ini`);
  const status = port === undefined ? '' : `[status]\nhttp = 127.0.0.1:${port}\n`;
  writeFileSync(path, `[takd]\ncallsign = BENCH-1\nuid = bench-1\n[pli]\nenabled = no\n[input.phones]\nurl = tcp+listen://127.0.0.1:0\n[output.file]\nurl = file://${join(dir, 'out.cot')}\n${status}[log]\nlevel = warn\n`);
  return path;
}

function rssMiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
}

/** One start: VmRSS (MiB) 2 s after status.json appears (after fetching the page once for `viewed`). */
async function idleRss(argv: string[], dir: string, which: Case): Promise<number> {
  const port = which === 'off' ? undefined : await freePort();
  const runtime = join(dir, `rt-${which}`);
  rmSync(runtime, { recursive: true, force: true });
  mkdirSync(runtime);
  const [program, ...args] = argv as [string, ...string[]];
  const child = spawn(program, [...args, 'run', '-c', config(dir, port)], { env: { PATH: process.env.PATH, RUNTIME_DIRECTORY: runtime, STATE_DIRECTORY: runtime, TAKD_LOG_FORMAT: 'json' }, stdio: 'ignore' });
  try {
    const deadline = Date.now() + 30_000;
    while (!existsSync(join(runtime, 'status.json'))) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${argv.join(' ')} did not become ready`);
      await sleep(50);
    }
    if (which === 'viewed') {
      const base = `http://127.0.0.1:${port}`;
      for (const path of ['/', '/app.js', '/app.css', '/api/links', '/api/tracks', '/api/map']) await (await fetch(`${base}${path}`, { headers: { 'accept-encoding': 'br, gzip' } })).arrayBuffer();
    }
    await sleep(2_000);
    return rssMiB(child.pid as number);
  } finally {
    child.kill('SIGKILL');
  }
}

export default async function (): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'takd-bench-console-rss-'));
  try {
    const contenders: { name: string; argv: string[] }[] = [];
    if (WITH_BINARY) {
      const binary = await buildBinary({ repoRoot, arch: 'x64', outDir: join(dir, 'bin'), useCodeCache: true });
      contenders.push({ name: 'takd-linux-x64 (code cache)', argv: [binary.path] });
    }
    contenders.push({ name: `node ${process.version} + tsc output`, argv: [process.execPath, TAKD_MAIN] });
    const samples = new Map<string, number[]>();
    // Round 0 warms the page cache and is dropped; then every contender and case takes turns.
    for (let round = 0; round <= RUNS; round++) {
      for (const contender of contenders) {
        for (const which of CASES) {
          const value = await idleRss(contender.argv, dir, which);
          if (round === 0) continue;
          const key = `${contender.name}|${which}`;
          samples.set(key, [...(samples.get(key) ?? []), value]);
        }
      }
    }
    const rows = contenders.map((c) => {
      const [off, on, viewed] = CASES.map((which) => median(samples.get(`${c.name}|${which}`) ?? []));
      const added = (on as number) - (off as number);
      return [c.name, (off as number).toFixed(1), (on as number).toFixed(1), `${added >= 0 ? '+' : ''}${added.toFixed(1)} (${added <= BUDGET_ON_MIB ? 'met' : 'not met'})`, (viewed as number).toFixed(1)];
    });
    return [
      '## Console: idle resident memory',
      '',
      `${machine()}. \`takd run\` with the start-up benchmark's idle configuration (a TCP listener, a file output, PLI off), VmRSS 2 s after status.json appears; medians of ${RUNS} starts per case, contenders and cases interleaved, a warm-up round dropped. "Viewed": after the page's files and the API were fetched once (the page is decompressed and kept).`,
      '',
      table(['daemon', 'http off MiB', 'http on, no page MiB', 'on − off MiB (budget ≤ 5)', 'after one view MiB'], rows),
      '',
      'With `[status] http` off the console adds nothing: the HTTP endpoint, node:http and daemon/console are loaded by a dynamic import only when it is set (daemon/lifecycle/status-publisher.ts), so the off column is the daemon\'s plain idle figure. (The single binary carries the console\'s code in its bundle either way; it is parsed lazily and its top level never runs.)',
      '',
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
