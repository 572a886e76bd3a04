// Scenario: takd's hub and taky (../shared/peers/taky, plain TCP) side by side in one run,
// driven by the same load generator (test/bench/support/hub-load.ts, in this process; each
// server runs in a process of its own, on loopback only; a fresh server for every phase):
//  1. N clients (10, 100, 500) connect and identify themselves with a PLI (contact callsign,
//     __group); RSS before and after (with the most clients: after MEMORY_QUIET s without
//     traffic) gives memory per connected client. Then a PLI per
//     client per second: delivered events/s, loss (of N×(N−1) per round), p99 delivery
//     latency (receive time − the event's own time attribute, set just before the write;
//     1 ms resolution), the server's CPU. Then a burst: every client writes BURST All Chat
//     Rooms messages at once; loss within BURST_WINDOW, and the peak RSS (VmHWM).
//  2. Rate ramp at RAMP_CLIENTS clients: the per-client PLI rate goes up step by step until
//     a step loses an event or does not drain within DRAIN ms of its last write; the last
//     clean step is the server's sustained fan-out without loss.
//  3. SA replay: a gateway client sends TRACKS tracks (one uid each); a witness sees them all
//     arrive; then a new client identifies itself and the time until it holds all TRACKS
//     is taken, REPLAY_ROUNDS times (a new client each).
//
// takd is the single binary built from this tree (or taken from the build cache), else the
// tsc output; TAKD_HUB_BENCH_DAEMON=node forces the tsc output (smoke runs: no binary build),
// a path runs that binary. Default run: about 6 minutes for both servers. To shrink it:
//   TAKD_HUB_BENCH_CLIENTS=3,5        client counts of phase 1 (comma list; default 10,100,500)
//   TAKD_HUB_BENCH_SECONDS=2          seconds of 1 Hz PLI per count (default 8)
//   TAKD_HUB_BENCH_BURST=2            chats per client in the burst (default 10)
//   TAKD_HUB_BENCH_BURST_WINDOW=5     seconds the burst may take to arrive (default 15)
//   TAKD_HUB_BENCH_RAMP_CLIENTS=5     clients of the ramp (default 100)
//   TAKD_HUB_BENCH_RAMP=1,2           per-client PLI rates of the ramp, Hz (default 0.5,1,2,3,5,8,12,18,27,40,60)
//   TAKD_HUB_BENCH_RAMP_SECONDS=1     seconds per ramp step (default 3)
//   TAKD_HUB_BENCH_TRACKS=50          tracks to replay (default 1000)
//   TAKD_HUB_BENCH_MEMORY_QUIET=1     seconds of quiet before RSS with the most clients is read (default 10)
//   TAKD_HUB_BENCH_SERVERS=takd       which servers (default takd,taky)
// Connection counts stay far below `ulimit -n` (each side holds one socket per client) and
// below 1,024 (taky's select() cannot watch more descriptors than that).
import type { HubCounters } from '../../daemon/hub/hub.js';
import { peersUnavailableReason } from '../support/pytak-peer.js';
import { closeClients, connectClients, LatencyHistogram, resetCounts, sendPliAt, settle, type LoadClient } from './support/hub-load.js';
import { cpuMs, memoryKiB, startTakd, startTaky, takdCommand, type BenchServer } from './support/hub-servers.js';
import { machine, median, table } from './support/measure.js';
import { setTimeout as sleep } from 'node:timers/promises';

const list = (name: string, fallback: string): number[] => (process.env[name] ?? fallback).split(',').map(Number).filter((n) => n > 0);
const num = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);

const CLIENTS = list('TAKD_HUB_BENCH_CLIENTS', '10,100,500');
const SECONDS = num('TAKD_HUB_BENCH_SECONDS', 8);
const BURST = num('TAKD_HUB_BENCH_BURST', 10);
const BURST_WINDOW_MS = num('TAKD_HUB_BENCH_BURST_WINDOW', 15) * 1000;
const RAMP_CLIENTS = num('TAKD_HUB_BENCH_RAMP_CLIENTS', 100);
const RAMP = list('TAKD_HUB_BENCH_RAMP', '0.5,1,2,3,5,8,12,18,27,40,60,90,120,180');
const RAMP_SECONDS = num('TAKD_HUB_BENCH_RAMP_SECONDS', 3);
const TRACKS = num('TAKD_HUB_BENCH_TRACKS', 1000);
const SERVERS = (process.env.TAKD_HUB_BENCH_SERVERS ?? 'takd,taky').split(',');
const MEMORY_QUIET_MS = num('TAKD_HUB_BENCH_MEMORY_QUIET', 10) * 1000;
const REPLAY_ROUNDS = 3;
/** A ramp step must be fully delivered this soon after its last write (else it is not sustained). */
const DRAIN_MS = 2_000;
/** Identification (N² deliveries, and taky's replays on top) may take this long at most. */
const IDENTIFY_LIMIT_MS = 30_000;

type Start = () => Promise<BenchServer>;

interface LoadResult {
  server: string;
  clients: number;
  idleKiB: number;
  perClientKiB: number;
  deliveredPerSecond: number;
  loss: number;
  p99: number;
  cpuPercent: number;
  generatorCpu: number;
  burstLoss: number;
  burstPerSecond: number;
  peakKiB: number;
  disconnected: number;
}

interface RampStep {
  hz: number;
  offered: number;
  deliveredPerSecond: number;
  loss: number;
  drainMs: number;
  p99: number;
  serverCpu: number;
  generatorCpu: number;
  clean: boolean;
}

interface Figures {
  load: LoadResult[];
  ramp: RampStep[];
  replay: number[];
  replayComplete: boolean;
  counters: HubCounters | undefined;
}

const pct = (lost: number): string => `${(100 * lost).toFixed(2)} %`;
const fmt = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—');
const mib = (kib: number): string => (kib / 1024).toFixed(1);

/** Own CPU (user + system) in ms, for the generator's share. */
function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Every client identifies itself; done when nothing more arrives for a second (taky replays on top of the live PLIs). */
async function identify(clients: LoadClient[]): Promise<void> {
  resetCounts(clients);
  const since = Date.now();
  for (const c of clients) c.pli();
  await settle(clients, Number.POSITIVE_INFINITY, since, 1_000, IDENTIFY_LIMIT_MS);
}

/** VmRSS after `ms` of quiet (node gives back the heap it grew in a storm after some idle seconds). */
async function quietRssKiB(pid: number, ms: number): Promise<number> {
  await sleep(ms);
  return memoryKiB(pid, 'VmRSS');
}

async function phaseLoad(start: Start, n: number, counters: (c: HubCounters | undefined) => void): Promise<LoadResult> {
  const server = await start();
  try {
    await sleep(500);
    const idleKiB = memoryKiB(server.pid, 'VmRSS');
    const clients = await connectClients(server.port, n, `hb${n}`);
    await identify(clients);
    const withClientsKiB = await quietRssKiB(server.pid, n === Math.max(...CLIENTS) ? MEMORY_QUIET_MS : 1_000);
    // Sustained: a PLI per client per second.
    const latencies = new LatencyHistogram();
    resetCounts(clients, latencies);
    const cpuBefore = cpuMs(server.pid);
    const ownBefore = ownCpuMs();
    const started = Date.now();
    const sent = await sendPliAt(clients, 1, SECONDS);
    const expected = sent * (n - 1);
    const settled = await settle(clients, expected, started, 1_500, SECONDS * 1000 + 10_000);
    const cpuPercent = (100 * (cpuMs(server.pid) - cpuBefore)) / (Date.now() - started);
    const generatorCpu = (100 * (ownCpuMs() - ownBefore)) / (Date.now() - started);
    // Burst: every client writes BURST chats at once.
    resetCounts(clients);
    const burstStart = Date.now();
    for (const c of clients) {
      let text = '';
      for (let b = 0; b < BURST; b += 1) text += c.maker.chat();
      c.write(text, BURST);
    }
    const burstExpected = BURST * n * (n - 1);
    const burst = await settle(clients, burstExpected, burstStart, 2_000, BURST_WINDOW_MS);
    const peakKiB = memoryKiB(server.pid, 'VmHWM');
    const disconnected = clients.filter((c) => c.closed).length;
    counters(server.hubCounters());
    closeClients(clients);
    return {
      server: server.name,
      clients: n,
      idleKiB,
      perClientKiB: (withClientsKiB - idleKiB) / n,
      deliveredPerSecond: settled.received / (Math.max(settled.lastArrivalMs, SECONDS * 1000) / 1000),
      loss: 1 - settled.received / expected,
      p99: latencies.percentile(99),
      cpuPercent,
      generatorCpu,
      burstLoss: 1 - burst.received / burstExpected,
      burstPerSecond: burst.received / (Math.max(1, burst.lastArrivalMs) / 1000),
      peakKiB,
      disconnected,
    };
  } finally {
    await server.stop();
  }
}

async function phaseRamp(start: Start): Promise<RampStep[]> {
  const server = await start();
  const steps: RampStep[] = [];
  try {
    const n = RAMP_CLIENTS;
    const clients = await connectClients(server.port, n, 'ramp');
    await identify(clients);
    for (const hz of RAMP) {
      const latencies = new LatencyHistogram();
      resetCounts(clients, latencies);
      const serverBefore = cpuMs(server.pid);
      const ownBefore = ownCpuMs();
      const started = Date.now();
      const sent = await sendPliAt(clients, hz, RAMP_SECONDS);
      const writesDone = Date.now();
      const expected = sent * (n - 1);
      const settled = await settle(clients, expected, started, 500, writesDone - started + DRAIN_MS);
      const wall = Date.now() - started;
      const drainMs = Math.max(0, started + settled.lastArrivalMs - writesDone);
      const loss = 1 - settled.received / expected;
      const clean = settled.received >= expected && drainMs <= DRAIN_MS && clients.every((c) => !c.closed);
      steps.push({
        hz,
        offered: hz * n * (n - 1),
        deliveredPerSecond: settled.received / (Math.max(settled.lastArrivalMs, RAMP_SECONDS * 1000) / 1000),
        loss,
        drainMs,
        p99: latencies.percentile(99),
        serverCpu: (100 * (cpuMs(server.pid) - serverBefore)) / wall,
        generatorCpu: (100 * (ownCpuMs() - ownBefore)) / wall,
        clean,
      });
      if (!clean) break;
      // What is still on its way from a step at the edge must not count in the next one.
      await settle(clients, Number.POSITIVE_INFINITY, Date.now(), 500, 5_000);
    }
    closeClients(clients);
    return steps;
  } finally {
    await server.stop();
  }
}

async function phaseReplay(start: Start): Promise<{ times: number[]; complete: boolean }> {
  const server = await start();
  try {
    const [witness, gateway] = await connectClients(server.port, 2, 'replay');
    if (witness === undefined || gateway === undefined) throw new Error('no clients');
    witness.countPrefix = 'track-';
    witness.pli();
    gateway.pli();
    await sleep(300);
    let text = '';
    const t = Date.now();
    for (let i = 0; i < TRACKS; i += 1) text += trackXml(`track-${i}`, t);
    gateway.write(text, TRACKS);
    const since = Date.now();
    while (witness.withPrefix < TRACKS && Date.now() - since < 30_000) await sleep(10);
    const times: number[] = [];
    let complete = witness.withPrefix >= TRACKS;
    for (let round = 0; round < REPLAY_ROUNDS && complete; round += 1) {
      const [joiner] = await connectClients(server.port, 1, `joiner${round}`);
      if (joiner === undefined) throw new Error('no joiner');
      joiner.countPrefix = 'track-';
      const started = performance.now();
      joiner.pli();
      while (joiner.withPrefix < TRACKS && performance.now() - started < 10_000) await new Promise((resolve) => setImmediate(resolve));
      if (joiner.withPrefix < TRACKS) complete = false;
      else times.push(performance.now() - started);
      closeClients([joiner]);
    }
    closeClients([witness, gateway]);
    return { times, complete };
  } finally {
    await server.stop();
  }
}

/** A track as a gateway relays it (an AIS ship, a radar contact): its own uid, a position, a name. */
function trackXml(uid: string, t: number): string {
  const iso = (ms: number): string => new Date(ms).toISOString();
  return `<event version="2.0" uid="${uid}" type="a-n-S" how="m-g" time="${iso(t)}" start="${iso(t)}" stale="${iso(t + 600_000)}"><point lat="39.2" lon="-105.3" hae="0" ce="50" le="50"/><detail><contact callsign="${uid}"/><track course="90" speed="5"/></detail></event>`;
}

export default async function run(): Promise<string> {
  const skip = peersUnavailableReason(true);
  const command = await takdCommand();
  const starts: [string, Start][] = [];
  if (SERVERS.includes('takd')) starts.push(['takd', () => startTakd(command)]);
  if (SERVERS.includes('taky') && skip === undefined) starts.push(['taky', startTaky]);
  const figures = new Map<string, Figures>();
  for (const [name, start] of starts) {
    const f: Figures = { load: [], ramp: [], replay: [], replayComplete: false, counters: undefined };
    for (const n of CLIENTS) f.load.push(await phaseLoad(start, n, (c) => (f.counters = c ?? f.counters)));
    f.ramp = await phaseRamp(start);
    const replay = await phaseReplay(start);
    f.replay = replay.times;
    f.replayComplete = replay.complete;
    figures.set(name, f);
    console.error(`hub-vs-taky: ${name} done`);
  }
  return report(figures, command.label, skip);
}

function sustained(steps: RampStep[]): RampStep | undefined {
  let last: RampStep | undefined;
  for (const s of steps) {
    if (!s.clean) break;
    last = s;
  }
  return last;
}

function report(figures: Map<string, Figures>, takdLabel: string, skip: string | undefined): string {
  const takd = figures.get('takd');
  const taky = figures.get('taky');
  const loadRows = [...figures.values()].flatMap((f) =>
    f.load.map((r) => [r.server, r.clients, fmt(r.deliveredPerSecond), pct(r.loss), r.p99, r.cpuPercent.toFixed(0), r.generatorCpu.toFixed(0), pct(r.burstLoss), fmt(r.burstPerSecond), mib(r.idleKiB), r.perClientKiB.toFixed(1), mib(r.peakKiB), r.disconnected]),
  );
  const rampRows = [...figures.entries()].flatMap(([name, f]) =>
    f.ramp.map((s) => [name, s.hz, fmt(s.offered), fmt(s.deliveredPerSecond), pct(s.loss), fmt(s.drainMs), s.p99, s.serverCpu.toFixed(0), s.generatorCpu.toFixed(0), s.clean ? 'yes' : '**no**']),
  );
  const replayRows = [...figures.entries()].map(([name, f]) => [name, TRACKS, f.replayComplete ? median(f.replay).toFixed(1) : 'incomplete', f.replay.length > 0 ? Math.max(...f.replay).toFixed(1) : '—']);

  const maxN = Math.max(...CLIENTS);
  const at = (f: Figures | undefined, n: number): LoadResult | undefined => f?.load.find((r) => r.clients === n);
  const fanout = (f: Figures | undefined): number => {
    const s = f === undefined ? undefined : sustained(f.ramp);
    return s === undefined ? 0 : s.hz * RAMP_CLIENTS * (RAMP_CLIENTS - 1);
  };
  const verdict = (ok: boolean | undefined): string => (ok === undefined ? 'not measured' : ok ? 'met' : '**missed**');
  const both = takd !== undefined && taky !== undefined;
  const targets: (string | number)[][] = [];
  const tf = fanout(takd);
  const yf = fanout(taky);
  // A server that never failed a step has only a lower bound (the ramp's top rate).
  const open = (f: Figures | undefined): boolean => f !== undefined && f.ramp.length > 0 && f.ramp.every((s) => s.clean);
  // taky lost at its very first step: it sustains less than that step offered.
  const yFirst = taky?.ramp[0];
  const yBelow = yf === 0 && yFirst !== undefined && !yFirst.clean ? yFirst.offered : undefined;
  const fanoutVerdict = !both ? undefined : yBelow !== undefined ? (tf >= 20 * yBelow ? true : undefined) : yf === 0 ? undefined : tf >= 20 * yf && !open(taky) ? true : !open(takd) ? false : undefined;
  const tykText = yBelow !== undefined ? `taky under ${fmt(yBelow)}/s (it lost at the first step, ${yFirst?.hz} Hz)` : `taky ${fmt(yf)}/s${open(taky) ? ' or more' : ''}`;
  targets.push([
    `sustained fan-out without loss at ${RAMP_CLIENTS} clients ≥ 20× taky's`,
    `takd ${fmt(tf)}/s${open(takd) ? ' or more' : ''}, ${tykText}: ${yf > 0 ? `${(tf / yf).toFixed(1)}×` : yBelow !== undefined ? `more than ${(tf / yBelow).toFixed(1)}×` : '—'}`,
    both && fanoutVerdict === undefined ? 'not determined (a limit lies outside the ramp: widen TAKD_HUB_BENCH_RAMP)' : verdict(fanoutVerdict),
  ]);
  const tm = at(takd, maxN);
  const ym = at(taky, maxN);
  targets.push([`memory per connected client (RSS growth 0 → ${maxN}, / ${maxN}) ≤ ½ taky's`, `takd ${tm?.perClientKiB.toFixed(1) ?? '—'} KiB, taky ${ym?.perClientKiB.toFixed(1) ?? '—'} KiB`, verdict(tm && ym ? tm.perClientKiB <= ym.perClientKiB / 2 : undefined)]);
  targets.push([`peak RSS at ${maxN} clients under the burst ≤ taky's`, `takd ${tm ? mib(tm.peakKiB) : '—'} MiB, taky ${ym ? mib(ym.peakKiB) : '—'} MiB`, verdict(tm && ym ? tm.peakKiB <= ym.peakKiB : undefined)]);
  const t100 = at(takd, 100);
  targets.push(['takd p99 latency < 10 ms at 100 clients × 1 Hz', t100 ? `${t100.p99} ms (loss ${pct(t100.loss)})` : '—', verdict(t100 ? t100.p99 < 10 && t100.loss === 0 : undefined)]);
  const tr = takd?.replayComplete ? median(takd.replay) : NaN;
  targets.push([`takd SA replay of ${TRACKS} tracks < 100 ms`, takd ? (takd.replayComplete ? `${tr.toFixed(1)} ms` : 'incomplete') : '—', verdict(takd ? takd.replayComplete && tr < 100 : undefined)]);

  return [
    '## Hub: takd and taky side by side (hub-vs-taky)',
    '',
    `${machine()}. takd: ${takdLabel}, one \`tcp+listen\` hub listener and nothing else. taky: commit 016f2c3 under Debian's python3, plain TCP. The load generator (one node thread, this process) and each server (its own process, a fresh one per phase) share the machine's cores. Loss: deliveries missing of N×(N−1) per round. Latency: receive time − the event's own time (1 ms resolution, includes the generator's own event-loop delay). RSS in MiB, per client in KiB; CPU in % of one core.${skip === undefined || !SERVERS.includes('taky') ? '' : ` taky not run: ${skip}.`}`,
    '',
    `### N clients, a PLI each per second for ${SECONDS} s, then a burst of ${BURST} chats each`,
    '',
    table(['server', 'clients', 'delivered/s', 'loss', 'p99 ms', 'server CPU %', 'generator CPU %', 'burst loss', 'burst delivered/s', 'RSS idle MiB', 'RSS/client KiB', 'peak RSS MiB', 'clients dropped'], loadRows),
    '',
    `RSS/client: (VmRSS with the clients identified − VmRSS before they connected) / N, read ${MEMORY_QUIET_MS / 1000} s after the identification's N×(N−1) deliveries at N = ${Math.max(...CLIENTS)} (1 s at the smaller N: a heap grown in that storm may not have been given back yet). Burst loss counts what had not arrived ${BURST_WINDOW_MS / 1000} s after the burst (or after 2 s without a delivery).`,
    '',
    `### Rate ramp at ${RAMP_CLIENTS} clients (per-client PLI rate, ${RAMP_SECONDS} s a step)`,
    '',
    table(['server', 'Hz per client', 'offered deliveries/s', 'delivered/s', 'loss', 'drain ms', 'p99 ms', 'server CPU %', 'generator CPU %', 'clean'], rampRows),
    '',
    `A step is clean when every delivery arrived, no client was dropped, and the last arrived within ${DRAIN_MS} ms of the last write; the ramp stops at the first step that is not. Sustained fan-out = the last clean rate × ${RAMP_CLIENTS} × ${RAMP_CLIENTS - 1}.`,
    '',
    '### SA replay to a client that joins',
    '',
    table(['server', 'tracks', 'median ms', 'max ms'], replayRows),
    '',
    `From the new client's self report to the last of the ${TRACKS} tracks read (${REPLAY_ROUNDS} joiners, one after the other).`,
    '',
    '### Against the targets',
    '',
    table(['target', 'measured', ''], targets),
    '',
    ...limits(figures),
    '',
  ].join('\n');
}

/** What limits each server, from the ramp's last step and the known design of each. */
function limits(figures: Map<string, Figures>): string[] {
  const lines: string[] = [];
  for (const [name, f] of figures) {
    const edge = f.ramp.find((s) => !s.clean) ?? f.ramp.at(-1);
    const cpu = edge === undefined ? '' : ` At ${edge.hz} Hz per client the server used ${edge.serverCpu.toFixed(0)} % of a core and the generator ${edge.generatorCpu.toFixed(0)} %.`;
    const generatorBound = edge !== undefined && edge.generatorCpu >= 90 ? ' The generator was near a full core there, so that figure is a lower bound for the server.' : '';
    const c = f.counters;
    const counters = c === undefined ? '' : ` Hub counters (last load phase): ${c.queueDropped} dropped from full client queues, ${c.queueCoalesced} PLI coalesced, ${c.closedQueueFull} clients closed for a queue full past the stall timeout.`;
    if (name === 'takd') {
      lines.push(`- **takd** is one process on one thread (node's event loop, V8 with \`--single-threaded\`): decoding, routing and the fan-out's writes share one core. Each client has a bounded queue (1,000 events, 2 MiB) with PLI coalescing, so a backlog turns into coalesced positions and dropped events, not memory.${cpu}${generatorBound}${counters}`);
    } else {
      lines.push(`- **taky** is one Python process on one thread (a select() loop; the GIL would serialise threads anyway): it parses each event with lxml and serialises it again for every recipient, and each client's output buffer is an unbounded bytes object, so a backlog turns into memory and latency, not loss. select() limits it to 1,024 descriptors.${cpu}${generatorBound}`);
    }
  }
  return lines;
}
