// Scenario: an output whose server accepts and then never reads, for TAKD_STALL_SECONDS
// (default 60), while 10 TCP clients send 1,000 events/s (PLI 60 %, chat 20 %, marker 20 %)
// into `takd run` (the single binary, else the tsc output); a second, healthy output runs
// alongside. Then the server reads again. Measured: the daemon's RSS and heap before, at
// their peak during the stall, and after; the stalled output's events waiting; what the
// router counted for it by reason (coalesced, overflow, stored, evicted, …); whether the
// healthy output kept its rate; how long delivery took to resume once the server read; and
// whether every chat and marker reached the stalled server in the end (they are kept in the
// durable queue) or was counted. Loopback only; bounded in time.
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StatusSnapshot } from '../../daemon/lifecycle/status.js';
import { TakdProcess } from '../support/daemon-process.js';
import { freePort } from '../support/gpsfake.js';
import { machine, table } from './support/measure.js';
import { daemonCommand, fetchStatus, Sampler, Sender, Sink, type Kind, type Sample } from './support/soak.js';

const STALL_S = Number(process.env.TAKD_STALL_SECONDS ?? 60);
const RATE = Number(process.env.TAKD_STALL_RATE ?? 1000);
const CLIENTS = 10;
const WARM_S = 10;
const RECOVERY_S = 30;
const KINDS: Kind[] = ['pli', 'pli', 'pli', 'chat', 'marker'];

export default async function run(): Promise<string> {
  const stalled = new Sink();
  const healthy = new Sink();
  await stalled.up();
  await healthy.up();
  const [inputPort, statusPort] = [await freePort(), await freePort()];
  const daemon = await daemonCommand(process.env.TAKD_SOAK_BINARY);
  const takd = new TakdProcess();
  takd.writeConfig(
    [
      '[takd]',
      'callsign = STALL',
      '[pli]',
      'enabled = no',
      '[log]',
      'level = warn',
      '[status]',
      `http = 127.0.0.1:${statusPort}`,
      '[input.clients]',
      `url = tcp+listen://127.0.0.1:${inputPort}`,
      'max_clients_per_address = 32',
      '[output.stalled]',
      `url = tcp+wo://127.0.0.1:${stalled.port}`,
      'hello = no',
      'pli = no',
      '[output.healthy]',
      `url = tcp+wo://127.0.0.1:${healthy.port}`,
      'hello = no',
      'pli = no',
      '',
    ].join('\n'),
  );
  const child = takd.start(['-c', takd.configFile], {}, daemon.command);
  const sampler = new Sampler(child.pid as number, statusPort, 5_000);
  const clients: Sender[] = [];
  const phases: { name: string; at: number }[] = [];
  let peakPending = 0;
  let final: StatusSnapshot | undefined;
  let atStallEnd: StatusSnapshot | undefined;
  let resumeMs = NaN;
  let healthyDuringStall = 0;
  let sentDuringStall = 0;
  let stalledDuringStall = 0;
  try {
    await takd.waitForState('input.clients', 'connected', 60_000);
    await takd.waitForState('output.stalled', 'connected', 30_000);
    await takd.waitForState('output.healthy', 'connected', 30_000);
    for (let i = 0; i < CLIENTS; i += 1) clients.push(new Sender(inputPort, `stall-client-${i}`));
    await Promise.all(clients.map((c) => c.connected()));
    for (const c of clients) c.send('pli');
    await sampler.take();
    sampler.start();
    const started = Date.now();
    let sent = 0;
    const sendUntil = started + (WARM_S + STALL_S + RECOVERY_S) * 1000;
    const stallAt = started + WARM_S * 1000;
    const resumeAt = stallAt + STALL_S * 1000;
    let state: 'warm' | 'stalled' | 'resumed' = 'warm';
    let healthyAtStall = 0;
    let lastPoll = 0;
    while (Date.now() < sendUntil) {
      const now = Date.now();
      const due = Math.floor(((now - started) * RATE) / 1000);
      for (; sent < due; sent += 1) (clients[sent % CLIENTS] as Sender).send(KINDS[Math.floor(sent / CLIENTS) % KINDS.length] as Kind);
      if (state === 'warm' && now >= stallAt) {
        stalled.stall();
        state = 'stalled';
        phases.push({ name: 'stall', at: (now - started) / 1000 });
        healthyAtStall = healthy.events;
        sentDuringStall = -sent;
        stalledDuringStall = -stalled.events;
      }
      if (state === 'stalled' && now >= resumeAt) {
        atStallEnd = await fetchStatus(statusPort);
        healthyDuringStall = healthy.events - healthyAtStall;
        sentDuringStall += sent;
        stalledDuringStall += stalled.events;
        stalled.resume();
        state = 'resumed';
        phases.push({ name: 'resume', at: (Date.now() - started) / 1000 });
      }
      if (state === 'resumed' && Number.isNaN(resumeMs) && stalled.lastEventAt >= resumeAt) resumeMs = stalled.lastEventAt - resumeAt;
      if (state === 'stalled' && now - lastPoll >= 1000) {
        lastPoll = now;
        const status = await fetchStatus(statusPort);
        peakPending = Math.max(peakPending, status?.router.outputs.find((o) => o.name === 'output.stalled')?.pending ?? 0);
      }
      await sleep(5);
    }
    // Drain: until nothing waits and the sink stops receiving, at most 60 s.
    const drainUntil = Date.now() + 60_000;
    let last = -1;
    for (;;) {
      await sleep(2_000);
      if (Number.isNaN(resumeMs) && stalled.lastEventAt >= resumeAt) resumeMs = stalled.lastEventAt - resumeAt;
      const status = await fetchStatus(statusPort);
      const pending = status?.router.outputs.reduce((n, o) => n + o.pending, 0) ?? 0;
      if ((pending === 0 && stalled.events === last) || Date.now() > drainUntil) break;
      last = stalled.events;
    }
    sampler.stop();
    await sampler.take();
    final = await fetchStatus(statusPort);
  } finally {
    sampler.stop();
    for (const c of clients) c.socket.destroy();
    await takd.stop();
    await takd.cleanup();
    await stalled.down();
    await healthy.down();
  }
  if (final === undefined) throw new Error('no final status from the daemon');

  const samples = sampler.samples;
  const stallStart = phases[0]?.at ?? WARM_S;
  const stallEnd = phases[1]?.at ?? WARM_S + STALL_S;
  const before = samples.filter((s) => s.t <= stallStart).at(-1) as Sample;
  const during = samples.filter((s) => s.t > stallStart && s.t <= stallEnd + 5);
  const peak = (f: (s: Sample) => number): number => Math.max(...during.map(f).filter(Number.isFinite));
  const end = samples.at(-1) as Sample;
  const out = final.router.outputs.find((o) => o.name === 'output.stalled');
  const c = out?.counters;
  const endStall = atStallEnd?.router.outputs.find((o) => o.name === 'output.stalled');
  const chatsSent = clients.reduce((n, x) => n + x.sent.chat, 0);
  const markersSent = clients.reduce((n, x) => n + x.sent.marker, 0);
  const totalSent = clients.reduce((n, x) => n + x.total(), 0);
  const fmt = (x: number, d = 1): string => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
  const reasons = c === undefined ? {} : { sent: c.sent, coalesced: c.coalesced, stale: c.stale, overflow: c.overflow, stored: c.stored, replayed: c.replayed, evicted: c.evicted, storeErrors: c.storeErrors };
  const reasonsAtEnd = endStall === undefined ? {} : { pending: endStall.pending, stored: endStall.stored, coalesced: endStall.counters.coalesced, overflow: endStall.counters.overflow, evicted: endStall.counters.evicted };
  const stalledComponent = final.components.find((x) => x.id === 'output.stalled');
  return [
    `## Stalled output: a server that accepts and does not read for ${STALL_S} s (stalled-output)`,
    '',
    `${machine()}, load average ${loadavg()[0]?.toFixed(1)} at the end. Daemon: ${daemon.label}. ${CLIENTS} TCP clients send ${RATE} events/s (PLI 60 %, chat 20 %, marker 20 %) into a tcp+listen input, to two tcp outputs (max_queue 100, durable queue on): one server stops reading after ${WARM_S} s for ${STALL_S} s, then reads again; load goes on for ${RECOVERY_S} s after, then up to 60 s of drain. Sampled every 5 s.`,
    '',
    table(
      ['figure', 'measured'],
      [
        ['RSS before the stall → peak during → at the end (MiB); VmHWM', `${fmt(before.rssMiB)} → ${fmt(peak((s) => s.rssMiB))} → ${fmt(end.rssMiB)}; ${fmt(end.hwmMiB)}`],
        ['heap used before → peak during → end (MiB)', `${fmt(before.heapMiB)} → ${fmt(peak((s) => s.heapMiB))} → ${fmt(end.heapMiB)}`],
        ['event-loop delay p99, worst window during the stall', `${fmt(peak((s) => s.loopP99Ms))} ms`],
        ['events waiting for the stalled output, peak (polled each second)', `${peakPending}`],
        ['at the end of the stall: pending / of which stored / coalesced / overflow / evicted', Object.values(reasonsAtEnd).join(' / ')],
        ['stalled output: events its server read during the stall', `${stalledDuringStall} of ${sentDuringStall} sent (it does not read; the kernel buffers hold what takd wrote)`],
        ['healthy output during the stall', `${healthyDuringStall} of ${sentDuringStall} sent (${fmt((100 * healthyDuringStall) / Math.max(1, sentDuringStall))} %)`],
        ['delivery resumed after the server read again', Number.isFinite(resumeMs) ? `${resumeMs} ms` : 'not within the run'],
        ['stalled output, whole run, by reason', `\`${JSON.stringify(reasons)}\``],
        ['stalled output: transport connects and counters', `\`${JSON.stringify(stalledComponent?.counters ?? {})}\``],
        ['reconciled: stalled output sent + coalesced + stale + overflow + evicted + pending, vs events the daemon received', `${c === undefined || out === undefined ? 'n/a' : c.sent + c.coalesced + c.stale + c.overflow + c.evicted + out.pending} vs ${final.router.counters.received}`],
        ['sent by clients: all / chat / marker', `${totalSent} / ${chatsSent} / ${markersSent}`],
        ['reached the stalled server: all / chat / marker', `${stalled.events} / ${stalled.chats} / ${stalled.markers} (${stalled.connections} connections)`],
        ['reached the healthy server: all', `${healthy.events}`],
        ['daemon drops by reason', `\`${JSON.stringify(final.counters.dropped)}\``],
      ],
    ),
    '',
  ].join('\n');
}
