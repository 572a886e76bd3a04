// Scenario (long: run by `npm run soak`, not by a plain `npm run bench`): the single binary
// running `takd run` for TAKD_SOAK_MINUTES (default 30) on loopback:
//  - 50 TCP clients into a tcp+listen input, each first a PLI of its own uid, then a mix of
//    PLIs (60 %), chats (20 %) and markers (20 %), 1,000 events/s in all;
//  - 3 tcp outputs to sinks in this process that answer pings; one of them flaps (its port
//    closes with every connection and reopens 20 s later) every TAKD_SOAK_FLAP_SECONDS (120);
//  - SIGHUP every TAKD_SOAK_HUP_SECONDS (300);
//  - 100 hub phones on a tcp+listen output (from 127.0.0.2–127.0.0.101), each a PLI at 1 Hz,
//    reading what the hub relays to them.
// Every 10 s: RSS and VmHWM (/proc), heap, active handles and event-loop delay p99 (the
// daemon's /status), open fds, CPU. Writes benchmarks/soak.svg and benchmarks/soak.csv next
// to BENCHMARKS.md, and returns the section: RSS slope (least squares) over the last 20
// minutes, handle growth, loop delay, and a reconciliation of what clients sent, what the
// sinks received and what the daemon counted by reason. Load stops by itself.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StatusSnapshot } from '../../daemon/lifecycle/status.js';
import type { OutputCounters } from '../../daemon/routing/counters.js';
import { TakdProcess } from '../support/daemon-process.js';
import { freePort } from '../support/gpsfake.js';
import { machine, median, table } from './support/measure.js';
import { csv, daemonCommand, fetchStatus, Sampler, Sender, Sink, slope, soakSvg, type Kind, type Sample } from './support/soak.js';

export const LONG = true;

const MINUTES = Number(process.env.TAKD_SOAK_MINUTES ?? 30);
const RATE = Number(process.env.TAKD_SOAK_RATE ?? 1000);
const CLIENTS = 50;
const PHONES = Number(process.env.TAKD_SOAK_PHONES ?? 100);
const FLAP_S = Number(process.env.TAKD_SOAK_FLAP_SECONDS ?? 120);
const FLAP_DOWN_S = Math.min(20, FLAP_S / 3);
const HUP_S = Number(process.env.TAKD_SOAK_HUP_SECONDS ?? 300);
const SAMPLE_MS = 10_000;
const SLOPE_WINDOW_S = 20 * 60;
const WARMUP_S = Math.min(5 * 60, (MINUTES * 60) / 4);

const OUTPUTS = ['sink.a', 'sink.b', 'sink.flap'] as const;

function config(inputPort: number, hubPort: number, statusPort: number, sinks: Record<string, number>): string {
  return [
    '[takd]',
    'callsign = SOAK',
    '[pli]',
    'enabled = no',
    '[log]',
    'level = warn',
    '[status]',
    `http = 127.0.0.1:${statusPort}`,
    '[input.clients]',
    `url = tcp+listen://127.0.0.1:${inputPort}`,
    'max_clients = 256',
    'max_clients_per_address = 100',
    // A plain input: its clients are not hub members (they would see the phones and the phones them).
    'hub = no',
    ...OUTPUTS.flatMap((name) => [`[output.${name.replace('.', '_')}]`, `url = tcp+wo://127.0.0.1:${sinks[name]}`, 'hello = no', 'pli = no']),
    // The hub: phones on 127.0.0.2… see each other; the clients' 1,000/s go to the sinks only.
    '[output.phones]',
    `url = tcp+listen://127.0.0.1:${hubPort}`,
    'hello = no',
    'max_clients = 256',
    'exclude_from = input.clients',
    '',
  ].join('\n');
}

const KINDS: Kind[] = ['pli', 'pli', 'pli', 'chat', 'marker'];

export default async function run(): Promise<string> {
  const durationMs = MINUTES * 60_000;
  const sinks = Object.fromEntries(OUTPUTS.map((n) => [n, new Sink()])) as Record<(typeof OUTPUTS)[number], Sink>;
  for (const sink of Object.values(sinks)) await sink.up();
  const [inputPort, hubPort, statusPort] = [await freePort(), await freePort(), await freePort()];
  const daemon = await daemonCommand(process.env.TAKD_SOAK_BINARY);
  const takd = new TakdProcess();
  takd.writeConfig(config(inputPort, hubPort, statusPort, Object.fromEntries(OUTPUTS.map((n) => [n, sinks[n].port]))));
  const child = takd.start(['-c', takd.configFile], {}, daemon.command);
  const pid = child.pid as number;
  const marks: { x: number; label: string }[] = [];
  let final: StatusSnapshot | undefined;
  const sampler = new Sampler(pid, statusPort, SAMPLE_MS);
  const samples = sampler.samples;
  const clients: Sender[] = [];
  const phones: Sender[] = [];
  let phonePlis = 0;
  let flaps = 0;
  let clientsClosed: number;
  let phonesClosed: number;
  let hups = 0;
  try {
    await takd.waitForState('input.clients', 'connected', 60_000);
    for (const name of OUTPUTS) await takd.waitForState(`output.${name.replace('.', '_')}`, 'connected', 30_000);
    await takd.waitForState('output.phones', 'connected', 30_000);

    for (let i = 0; i < CLIENTS; i += 1) clients.push(new Sender(inputPort, `soak-client-${i}`));
    for (let i = 0; i < PHONES; i += 1) phones.push(new Sender(hubPort, `soak-phone-${i}`, `127.0.0.${2 + i}`));
    await Promise.all([...clients, ...phones].map((c) => c.connected()));
    for (const c of [...clients, ...phones]) c.send('pli');
    phonePlis += phones.length;

    await sampler.take();
    sampler.start();
    const started = Date.now();
    let due = 0;
    let sentTotal = 0;
    let nextFlap = started + FLAP_S * 1000;
    let flapUpAt = Infinity;
    let nextHup = started + HUP_S * 1000;
    let nextPhoneTick = started + 1000;
    while (Date.now() - started < durationMs) {
      const now = Date.now();
      due = Math.floor(((now - started) * RATE) / 1000);
      for (; sentTotal < due; sentTotal += 1) {
        const client = clients[sentTotal % CLIENTS] as Sender;
        client.send(KINDS[Math.floor(sentTotal / CLIENTS) % KINDS.length] as Kind);
      }
      if (now >= nextPhoneTick) {
        for (const p of phones) p.send('pli');
        phonePlis += phones.length;
        nextPhoneTick += 1000;
      }
      if (now >= nextFlap) {
        await sinks['sink.flap'].down();
        marks.push({ x: (now - started) / 1000, label: 'flap: down' });
        flaps += 1;
        flapUpAt = now + FLAP_DOWN_S * 1000;
        nextFlap += FLAP_S * 1000;
      }
      if (now >= flapUpAt) {
        await sinks['sink.flap'].up();
        flapUpAt = Infinity;
      }
      if (now >= nextHup) {
        child.kill('SIGHUP');
        marks.push({ x: (now - started) / 1000, label: 'SIGHUP' });
        hups += 1;
        nextHup += HUP_S * 1000;
      }
      await sleep(10);
    }
    if (flapUpAt !== Infinity) await sinks['sink.flap'].up();
    // Drain: the flapping output reconnects and its durable queue empties.
    const drainUntil = Date.now() + 60_000;
    let lastIn = -1;
    for (;;) {
      await sleep(2_000);
      const status = await fetchStatus(statusPort);
      const waiting = status?.router.outputs.reduce((n, o) => n + o.pending, 0) ?? 0;
      const up = status?.router.outputs.every((o) => o.up) ?? false;
      const received = Object.values(sinks).reduce((n, s) => n + s.events, 0);
      if ((waiting === 0 && up && received === lastIn) || Date.now() > drainUntil) break;
      lastIn = received;
    }
    sampler.stop();
    await sampler.take();
    final = await fetchStatus(statusPort);
    clientsClosed = clients.filter((x) => x.closed).length;
    phonesClosed = phones.filter((p) => p.closed).length;
  } finally {
    sampler.stop();
    for (const c of [...clients, ...phones]) c.socket.destroy();
    await takd.stop();
    await takd.cleanup();
    for (const sink of Object.values(sinks)) await sink.down();
  }
  if (final === undefined) throw new Error('no final status from the daemon');

  // ---------------------------------------------------------------- figures
  const endT = samples.at(-1)?.t ?? 0;
  const from = Math.max(WARMUP_S, endT - SLOPE_WINDOW_S);
  const window = samples.filter((s) => s.t >= from);
  const perTenMin = (f: (s: Sample) => number): number => slope(window.map((s): [number, number] => [s.t, f(s)]).filter(([, y]) => Number.isFinite(y))) * 600;
  const med = (values: number[]): number => median(values.filter(Number.isFinite));
  const rssSlope = perTenMin((s) => s.rssMiB);
  const heapSlope = perTenMin((s) => s.heapMiB);
  // RSS rises at each replay and falls at the trim after it: the lowest sample of each flap
  // cycle is the floor that a leak would lift, whatever the phase of that saw in the window.
  const cycles = new Map<number, number>();
  for (const s of window) {
    const cycle = Math.floor((s.t - from) / FLAP_S);
    cycles.set(cycle, Math.min(cycles.get(cycle) ?? Infinity, s.rssMiB));
  }
  const floors = [...cycles].filter(([cycle]) => (cycle + 1) * FLAP_S <= endT - from).map(([cycle, low]): [number, number] => [from + (cycle + 0.5) * FLAP_S, low]);
  const floorSlope = slope(floors) * 600;
  const head = window.slice(0, 3);
  const tail = window.slice(-3);
  const fdGrowth = med(tail.map((s) => s.fds)) - med(head.map((s) => s.fds));
  const handleGrowth = med(tail.map((s) => s.handles)) - med(head.map((s) => s.handles));
  const loops = window.map((s) => s.loopP99Ms).filter(Number.isFinite);
  const loopMax = Math.max(...loops);
  const cpu = med(window.map((s) => s.cpuPct));

  // Reconciliation.
  const clientSent = clients.reduce((n, c) => n + c.total(), 0);
  const byKind = (k: Kind): number => clients.reduce((n, c) => n + c.sent[k], 0);
  const r = final.router;
  const rows: (string | number)[][] = [];
  let unexplainedTotal = 0;
  for (const name of OUTPUTS) {
    const o = r.outputs.find((x) => x.name === `output.${name.replace('.', '_')}`);
    if (o === undefined) continue;
    const c = o.counters as OutputCounters;
    const sink = sinks[name];
    const dropped = c.coalesced + c.stale + c.overflow + c.evicted + c.tooBig + c.refused + c.storeErrors;
    // Handed to the transport but not in the sink: the at-most-once window of a closed link.
    const unexplained = c.sent - sink.events;
    unexplainedTotal += Math.max(0, unexplained);
    const durable = byKind('chat') + byKind('marker');
    rows.push([name, c.sent, sink.events, unexplained, `${sink.chats + sink.markers} / ${durable}`, c.coalesced, c.stale, c.overflow, c.evicted, c.stored, c.replayed, o.pending, c.filtered + c.echo, dropped, sink.connections]);
  }
  const phoneExpected = phonePlis * (phones.length - 1);
  const phoneReceived = phones.reduce((n, p) => n + p.received, 0);
  const pass = (ok: boolean): string => (ok ? 'met' : '**not met**');
  const warm = MINUTES >= 25;

  const outDir = join(process.cwd(), 'benchmarks');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'soak.svg'), soakSvg(samples, `takd soak, ${MINUTES} min`, marks, [from, endT]));
  writeFileSync(join(outDir, 'soak.csv'), csv(samples));

  const fmt = (x: number, d = 2): string => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
  return [
    `## Soak: ${MINUTES} min of load on \`takd run\` (soak)`,
    '',
    `${machine()}, load average ${loadavg()[0]?.toFixed(1)} at the end (event-loop delay includes time the daemon waited for a core). Daemon: ${daemon.label}. Load (from this process, loopback only): ${CLIENTS} TCP clients into a tcp+listen input, ${RATE} events/s in all (each client's own PLI, then PLI 60 % / chat 20 % / marker 20 %); 3 tcp outputs to sinks that answer pings, one flapping (down ${FLAP_DOWN_S} s every ${FLAP_S} s: ${flaps} flaps); SIGHUP every ${HUP_S} s (${hups}); ${phones.length} hub phones (127.0.0.2–) on a tcp+listen output, a PLI each at 1 Hz. Sampled every ${SAMPLE_MS / 1000} s (${samples.length} samples): RSS and VmHWM from /proc, heap, active handles and event-loop delay p99 (10 s window) from the daemon's /status, open fds, CPU. Plot: [benchmarks/soak.svg](benchmarks/soak.svg); samples: [benchmarks/soak.csv](benchmarks/soak.csv).${warm ? '' : ` **A short run (${MINUTES} min): the window is not the 20 minutes after warm-up the targets are for; run \`npm run soak\` (30 min) on a quiet machine for the real figures.**`}`,
    '',
    table(
      ['figure', 'measured', 'target', ''],
      [
        [`RSS slope, least squares over ${fmt((endT - from) / 60, 1)} min from ${fmt(from / 60, 1)} min`, `${fmt(rssSlope, 3)} MiB / 10 min`, '< 1 MiB / 10 min', pass(rssSlope < 1)],
        [`RSS floor slope (the lowest sample of each ${FLAP_S} s flap cycle, ${floors.length} cycles), same window`, `${fmt(floorSlope, 3)} MiB / 10 min`, '', ''],
        ['heap-used slope, same window', `${fmt(heapSlope, 3)} MiB / 10 min`, '', ''],
        ['RSS at the window start → end; peak (VmHWM)', `${fmt(window[0]?.rssMiB ?? NaN, 1)} → ${fmt(samples.at(-1)?.rssMiB ?? NaN, 1)} MiB; ${fmt(samples.at(-1)?.hwmMiB ?? NaN, 1)} MiB`, '', ''],
        ['open fds, window start → end (median of 3 samples)', `${med(head.map((s) => s.fds))} → ${med(tail.map((s) => s.fds))} (${fdGrowth >= 0 ? '+' : ''}${fdGrowth})`, 'no growth', pass(fdGrowth <= 0)],
        ['active handles, window start → end', `${med(head.map((s) => s.handles))} → ${med(tail.map((s) => s.handles))} (${handleGrowth >= 0 ? '+' : ''}${handleGrowth})`, 'no growth', pass(handleGrowth <= 0)],
        ['event-loop delay p99, worst 10 s window (median)', `${fmt(loopMax, 1)} ms (${fmt(med(loops), 1)} ms)`, '< 20 ms', pass(loopMax < 20)],
        ['CPU, median of the window', `${fmt(cpu, 0)} % of a core`, '', ''],
        ['heap given back (heap-trim.ts), whole run: collections (of them for pages a burst left resident) / sizes kept after growing back', `${final.process?.heapTrims ?? 'n/a'} (${final.process?.heapResidentTrims ?? 'n/a'}) / ${final.process?.heapKept ?? 'n/a'}`, '', ''],
        ['lost without a count (sent to a transport, not in its sink)', `${unexplainedTotal}`, '0 beyond the at-most-once window of a closed link', unexplainedTotal === 0 ? 'met' : 'see below'],
      ],
    ),
    '',
    `Reconciliation. Clients sent ${clientSent} events (${byKind('pli')} PLI, ${byKind('chat')} chat, ${byKind('marker')} marker) and the phones ${phonePlis} PLIs; the daemon counted ${r.counters.received} received (${r.counters.control} control, ${r.counters.duplicates} duplicates); the input's counters: \`${JSON.stringify(final.components.find((x) => x.id === 'input.clients')?.counters ?? {})}\`, clients the daemon closed: ${clientsClosed}. Per output (the router's counters by reason; "not in sink" = sent − received by the sink):`,
    '',
    table(['output', 'sent', 'sink received', 'not in sink', 'chats+markers received / sent', 'coalesced', 'stale', 'overflow', 'evicted', 'stored', 'replayed', 'pending at end', 'filtered/echo', 'dropped by policy', 'connections'], rows),
    '',
    `Chats and markers are never coalesced: every one sent must reach every sink, or be counted (evicted, stale, overflow). Hub: the phones read ${phoneReceived} events of ${phoneExpected} PLIs relayed to every other phone (${fmt((100 * phoneReceived) / Math.max(1, phoneExpected), 2)} %; ${phonesClosed} phones closed by the daemon); hub counters: \`${JSON.stringify(final.hub?.counters ?? {})}\`. Daemon drops by reason: \`${JSON.stringify(final.counters.dropped)}\`.`,
    '',
  ].join('\n');
}
