// Scenario: takd's hub and taky (../shared/peers/taky, plain TCP) side by side, driven by
// the same load generator in this process (each server runs in a process of its own):
// N clients (10, 100, 500) each identify themselves and send a PLI at 1 Hz, then a burst
// of All Chat Rooms messages; delivered events/s, loss, p99 delivery latency (from the
// event's own time attribute, ms), each server's RSS before the clients, with them, and
// its peak (VmHWM); then the time for a new client to get 1,000 tracks by SA replay.
//
// TAKD_HUB_BENCH_CLIENTS (comma list), TAKD_HUB_BENCH_SECONDS, TAKD_HUB_BENCH_TRACKS and
// TAKD_HUB_BENCH_BURST shrink it for a smoke run. Nothing leaves loopback.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TakdProcess } from '../support/daemon-process.js';
import { freePort } from '../support/gpsfake.js';
import { chatXml, markerXml, PEERS_DIR, peersUnavailableReason, pliXml, PYTHON } from '../support/pytak-peer.js';
import { machine, table } from './support/measure.js';

const CLIENTS = (process.env.TAKD_HUB_BENCH_CLIENTS ?? '10,100,500').split(',').map(Number);
const SECONDS = Number(process.env.TAKD_HUB_BENCH_SECONDS ?? 10);
const TRACKS = Number(process.env.TAKD_HUB_BENCH_TRACKS ?? 1000);
const BURST = Number(process.env.TAKD_HUB_BENCH_BURST ?? 20);

interface Server {
  name: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

function memoryKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
}

async function accepting(port: number): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    const ok = await new Promise<boolean>((resolve) => {
      const probe = createConnection({ host: '127.0.0.1', port });
      probe.on('connect', () => {
        probe.destroy();
        resolve(true);
      });
      probe.on('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`nothing listening on ${port}`);
}

async function startTakd(): Promise<Server> {
  const takd = new TakdProcess();
  const port = await freePort();
  // first_event/idle deadlines off: the generator's clients are quiet between phases.
  takd.writeConfig(`[pli]\nenabled = no\n[log]\nlevel = warn\n[output.phones]\nurl = tcp+listen://127.0.0.1:${port}\nhello = no\nmax_clients = 2000\nmax_clients_per_address = 2000\nfirst_event_timeout = 0\nidle_timeout = 0\n`);
  takd.start();
  await accepting(port);
  return { name: 'takd', port, pid: takd.child?.pid ?? 0, stop: () => takd.cleanup() };
}

async function startTaky(): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'taky-bench-'));
  const site = join(dir, 'site');
  const env = { PATH: process.env.PATH, PYTHONPATH: join(PEERS_DIR, 'taky') };
  spawnSync(PYTHON, ['-m', 'taky.cli', 'setup', '--no-ssl', '--host', '127.0.0.1', '--bind-ip', '127.0.0.1', '--public-ip', '127.0.0.1', site], { env, stdio: 'ignore' });
  const port = await freePort();
  const conf = join(site, 'taky.conf');
  writeFileSync(conf, readFileSync(conf, 'utf8').replace(/^port = \d+$/m, `port = ${port}`));
  const child: ChildProcess = spawn(PYTHON, ['-m', 'taky.cot', '-c', conf], { env, cwd: site, stdio: 'ignore' });
  await accepting(port);
  return {
    name: 'taky',
    port,
    pid: child.pid ?? 0,
    stop: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One generator client: counts events and records delivery latencies of PLIs and chats. */
class Client {
  readonly socket: Socket;
  received = 0;
  latencies: number[] = [];
  private tail = '';
  constructor(port: number) {
    this.socket = createConnection({ host: '127.0.0.1', port });
    this.socket.setEncoding('utf8');
    this.socket.on('error', () => undefined);
    this.socket.on('data', (chunk: string) => {
      const text = this.tail + chunk;
      const end = text.lastIndexOf('</event>');
      if (end < 0) {
        this.tail = text;
        return;
      }
      const complete = text.slice(0, end + 8);
      this.tail = text.slice(end + 8);
      const now = Date.now();
      for (const match of complete.matchAll(/<event\b[^>]*\btime="([^"]+)"/g)) {
        this.received += 1;
        this.latencies.push(now - Date.parse(match[1] ?? ''));
      }
    });
  }
}

function p99(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? NaN;
}

async function settle(clients: Client[], expected: number, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline && clients.reduce((sum, c) => sum + c.received, 0) < expected) await sleep(50);
}

async function runLoad(server: Server, n: number): Promise<(string | number)[]> {
  const rssBefore = memoryKiB(server.pid, 'VmRSS');
  const clients = Array.from({ length: n }, () => new Client(server.port));
  await Promise.all(clients.map((c) => once(c.socket, 'connect')));
  clients.forEach((c, i) => c.socket.write(pliXml(`bench-${n}-${i}`, `B${n}-${i}`, 'Cyan')));
  await settle(clients, n * (n - 1), 30_000);
  const rssClients = memoryKiB(server.pid, 'VmRSS');
  // Sustained: one PLI per client per second.
  for (const c of clients) {
    c.received = 0;
    c.latencies = [];
  }
  const started = Date.now();
  for (let s = 0; s < SECONDS; s += 1) {
    clients.forEach((c, i) => c.socket.write(pliXml(`bench-${n}-${i}`, `B${n}-${i}`, 'Cyan')));
    await sleep(1000);
  }
  const expected = SECONDS * n * (n - 1);
  await settle(clients, expected, 10_000);
  const elapsed = (Date.now() - started) / 1000;
  const delivered = clients.reduce((sum, c) => sum + c.received, 0);
  const latency = p99(clients.flatMap((c) => c.latencies));
  // Burst: every client sends BURST chats back to back.
  for (const c of clients) c.received = 0;
  clients.forEach((c, i) => {
    let text = '';
    for (let b = 0; b < BURST; b += 1) text += chatXml(`bench-${n}-${i}`, `B${n}-${i}`, 'All Chat Rooms', `burst ${b}`).xml;
    c.socket.write(text);
  });
  const burstExpected = BURST * n * (n - 1);
  await settle(clients, burstExpected, 30_000);
  const burstDelivered = clients.reduce((sum, c) => sum + c.received, 0);
  const peak = memoryKiB(server.pid, 'VmHWM');
  for (const c of clients) c.socket.destroy();
  await sleep(500);
  return [
    server.name,
    n,
    Math.round(delivered / elapsed),
    `${(100 * (1 - delivered / expected)).toFixed(2)} %`,
    latency,
    `${(100 * (1 - burstDelivered / burstExpected)).toFixed(2)} %`,
    Math.round(rssBefore / 1024),
    ((rssClients - rssBefore) / n).toFixed(1),
    Math.round(peak / 1024),
  ];
}

async function replayTime(server: Server): Promise<number> {
  const feeder = new Client(server.port);
  await once(feeder.socket, 'connect');
  feeder.socket.write(pliXml('replay-feeder', 'FEEDER', 'Cyan'));
  let text = '';
  for (let t = 0; t < TRACKS; t += 1) text += markerXml(`track-${t}`);
  feeder.socket.write(text);
  await sleep(2000);
  const joiner = new Client(server.port);
  await once(joiner.socket, 'connect');
  const started = Date.now();
  joiner.socket.write(pliXml('replay-joiner', 'JOINER', 'Red'));
  while (joiner.received < TRACKS && Date.now() - started < 30_000) await sleep(1);
  const ms = Date.now() - started;
  feeder.socket.destroy();
  joiner.socket.destroy();
  return joiner.received >= TRACKS ? ms : NaN;
}

export default async function run(): Promise<string> {
  const skip = peersUnavailableReason(true);
  const rows: (string | number)[][] = [];
  const replay: (string | number)[][] = [];
  for (const start of skip === undefined ? [startTakd, startTaky] : [startTakd]) {
    const server = await start();
    try {
      for (const n of CLIENTS) rows.push(await runLoad(server, n));
      replay.push([server.name, TRACKS, await replayTime(server)]);
    } finally {
      await server.stop();
    }
  }
  return [
    '## Hub: takd and taky side by side (hub-vs-taky)',
    '',
    `${machine()}. N clients on loopback, each a PLI per second for ${SECONDS} s, then a burst of ${BURST} All Chat Rooms messages each. Loss: deliveries missing of N×(N−1) per round. Latency: receive time − the event's own time. RSS in MiB; per client in KiB.${skip === undefined ? '' : ` taky not run: ${skip}.`}`,
    '',
    table(['server', 'clients', 'delivered/s', 'loss', 'p99 ms', 'burst loss', 'RSS idle MiB', 'RSS/client KiB', 'peak RSS MiB'], rows),
    '',
    table(['server', 'tracks', 'SA replay ms'], replay),
    '',
  ].join('\n');
}
