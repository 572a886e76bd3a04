// Shared by the soak (test/bench/soak.ts) and the stalled-output scenario
// (test/bench/stalled-output.ts): the daemon under test (the single binary, else the tsc
// output), CoT senders, TCP sinks that answer pings, /proc sampling, least squares and an
// SVG line plot written without a dependency. Everything stays on loopback.
import { readFileSync, readdirSync } from 'node:fs';
import { once } from 'node:events';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { encodeXmlString } from '../../../daemon/codec/xml/encode.js';
import { pongEvent } from '../../../daemon/transports/control-events.js';
import type { StatusSnapshot } from '../../../daemon/lifecycle/status.js';
import { buildBinary } from '../../../packaging/build/binary.js';
import { NODE_VERSION } from '../../../packaging/build/node-dist.js';
import { NODE_V8_FLAGS } from '../../../packaging/runtime/node-flags.js';
import { TAKD_MAIN } from '../../support/daemon-process.js';
import { repoRoot } from '../../support/paths.js';

const END = Buffer.from('</event>');
const PING = Buffer.from('type="t-x-c-t"');

// ---------------------------------------------------------------- the daemon under test

export interface DaemonCommand {
  command: string[];
  label: string;
}

/**
 * The single binary: `binary` if given (--binary), else built (or taken from the build cache)
 * by packaging/build/binary.ts; if that fails, the tsc output under this node with the V8
 * flags the binary embeds, and the label says so.
 */
export async function daemonCommand(binary: string | undefined): Promise<DaemonCommand> {
  if (binary !== undefined && binary !== '') return { command: [binary, 'run'], label: `the single binary ${binary}` };
  try {
    const built = await buildBinary({ repoRoot, arch: process.arch as 'x64' | 'arm64' });
    return { command: [built.path, 'run'], label: `the single binary takd-linux-${process.arch} (node ${NODE_VERSION}), built from this tree` };
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    return { command: [process.execPath, ...NODE_V8_FLAGS, TAKD_MAIN, 'run'], label: `the tsc output on node ${process.version} with the binary's V8 flags (the binary could not be built: ${reason})` };
  }
}

// ---------------------------------------------------------------- events

const iso = (ms: number): string => new Date(ms).toISOString();

/** Events of one sender: times strictly increase, so the daemon's de-duplication never hits. */
export class EventMaker {
  private lastTime = 0;
  private seq = 0;
  constructor(readonly uid: string, readonly callsign: string) {}

  private time(): number {
    this.lastTime = Math.max(Date.now(), this.lastTime + 1);
    return this.lastTime;
  }

  pli(): string {
    const t = this.time();
    return `<event version="2.0" uid="${this.uid}" type="a-f-G-U-C" how="m-g" time="${iso(t)}" start="${iso(t)}" stale="${iso(t + 600_000)}"><point lat="39.1" lon="-105.2" hae="1600" ce="9.9" le="9.9"/><detail><takv os="1" version="1" device="soak" platform="takd-soak"/><contact endpoint="*:-1:stcp" callsign="${this.callsign}"/><__group name="Cyan" role="Team Member"/></detail></event>`;
  }

  chat(): string {
    const t = this.time();
    this.seq += 1;
    const uid = `GeoChat.${this.uid}.All_Chat_Rooms.${t}-${this.seq}`;
    return `<event version="2.0" uid="${uid}" type="b-t-f" how="h-g-i-g-o" time="${iso(t)}" start="${iso(t)}" stale="${iso(t + 86_400_000)}"><point lat="0" lon="0" hae="0" ce="9999999" le="9999999"/><detail><__chat parent="RootContactGroup" groupOwner="false" chatroom="All Chat Rooms" id="All Chat Rooms" senderCallsign="${this.callsign}"><chatgrp uid0="${this.uid}" id="All Chat Rooms"/></__chat><link uid="${this.uid}" type="a-f-G-U-C" relation="p-p"/><remarks source="BAO.F.ATAK.${this.uid}" to="All Chat Rooms" time="${iso(t)}">soak ${this.seq}</remarks></detail></event>`;
  }

  /** A marker; uids repeat over `distinct` markers per sender (as a user edits them). */
  marker(distinct = 50): string {
    const t = this.time();
    this.seq += 1;
    const uid = `${this.uid}-marker-${this.seq % distinct}`;
    return `<event version="2.0" uid="${uid}" type="a-h-G" how="h-g-i-g-o" time="${iso(t)}" start="${iso(t)}" stale="${iso(t + 600_000)}"><point lat="39.2" lon="-105.3" hae="0" ce="9999999" le="9999999"/><detail><contact callsign="${uid}"/><link uid="${this.uid}" type="a-f-G-U-C" relation="p-p"/></detail></event>`;
  }
}

export type Kind = 'pli' | 'chat' | 'marker';

/** Counts complete events in a byte stream across chunk boundaries; pings reported apart. */
export function eventCounter(): (chunk: Buffer) => { events: number; pings: number } {
  let tail = Buffer.alloc(0);
  return (chunk) => {
    const bytes = tail.length > 0 ? Buffer.concat([tail, chunk]) : chunk;
    let events = 0;
    let pings = 0;
    let start = 0;
    for (let at = bytes.indexOf(END); at >= 0; at = bytes.indexOf(END, at + END.length)) {
      events += 1;
      const ping = bytes.indexOf(PING, start);
      if (ping >= 0 && ping < at) pings += 1;
      start = at + END.length;
    }
    tail = Buffer.from(bytes.subarray(start));
    return { events: events - pings, pings };
  };
}

/** A client of a takd listener that sends events (and counts what it reads). */
export class Sender {
  readonly socket: Socket;
  readonly maker: EventMaker;
  sent: Record<Kind, number> = { pli: 0, chat: 0, marker: 0 };
  received = 0;
  closed = false;
  private readonly count = eventCounter();

  constructor(port: number, uid: string, localAddress = '127.0.0.1') {
    this.maker = new EventMaker(uid, uid.toUpperCase());
    this.socket = createConnection({ host: '127.0.0.1', port, localAddress });
    this.socket.on('error', () => undefined);
    this.socket.on('close', () => (this.closed = true));
    this.socket.on('data', (chunk: Buffer) => (this.received += this.count(chunk).events));
  }

  async connected(): Promise<void> {
    if (!this.socket.connecting) return;
    await once(this.socket, 'connect');
  }

  send(kind: Kind): void {
    if (this.closed) return;
    const xml = kind === 'pli' ? this.maker.pli() : kind === 'chat' ? this.maker.chat() : this.maker.marker();
    this.socket.write(xml);
    this.sent[kind] += 1;
  }

  total(): number {
    return this.sent.pli + this.sent.chat + this.sent.marker;
  }
}

/**
 * A TCP sink standing in for a TAK server: counts events per kind, answers pings with a
 * pong (a server that does not would be closed by takd's read-idle check). `stall()` stops
 * reading (the kernel buffers fill, then takd's), `resume()` reads again; `down()` closes
 * the port and every connection, `up()` listens again on the same port.
 */
export class Sink {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;
  events = 0;
  chats = 0;
  markers = 0;
  connections = 0;
  stalled = false;
  lastEventAt = 0;

  async up(): Promise<void> {
    const server = createServer((socket) => this.accept(socket));
    server.listen(this.port, '127.0.0.1');
    await once(server, 'listening');
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  private accept(socket: Socket): void {
    this.connections += 1;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    const count = eventCounter();
    let tail = '';
    socket.on('data', (chunk: Buffer) => {
      const { events, pings } = count(chunk);
      if (pings > 0) socket.write(encodeXmlString(pongEvent()));
      this.events += events;
      if (events > 0) this.lastEventAt = Date.now();
      // Chats and markers by type (they must all arrive: a durable-queue class).
      const text = tail + chunk.toString('latin1');
      for (const m of text.matchAll(/type="(b-t-f|a-h-G)"/g)) {
        if (m[1] === 'b-t-f') this.chats += 1;
        else this.markers += 1;
      }
      // Shorter than a match, so none is counted twice.
      tail = text.slice(-11);
    });
    if (this.stalled) socket.pause();
  }

  stall(): void {
    this.stalled = true;
    for (const s of this.sockets) s.pause();
  }

  resume(): void {
    this.stalled = false;
    for (const s of this.sockets) s.resume();
  }

  /** Connections open now. */
  open(): number {
    return this.sockets.size;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

// ---------------------------------------------------------------- sampling

export interface Sample {
  /** Seconds since the load started. */
  t: number;
  rssMiB: number;
  hwmMiB: number;
  /** Resident anonymous memory (heap, malloc, stacks) and resident file pages (the binary's code) from /proc. */
  anonMiB: number;
  fileMiB: number;
  heapMiB: number;
  /** V8's heap size (heapTotal): what a collection left plus what it has grown since. */
  heapTotalMiB: number;
  /** Memory outside V8's heap that JS objects hold (Buffers, sockets' data). */
  externalMiB: number;
  /** Full collections heap-trim.ts made so far, and sizes it kept after the heap grew back. */
  heapTrims: number;
  heapKept: number;
  heapResidentTrims: number;
  /** Open file descriptors of the daemon (/proc/PID/fd). */
  fds: number;
  /** process.getActiveResourcesInfo().length inside the daemon. */
  handles: number;
  /** CPU of the daemon over the last interval, % of one core. */
  cpuPct: number;
  /** Event-loop delay p99 over the daemon's last 10 s window, ms. */
  loopP99Ms: number;
}

function procStatusKiB(pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
}

/** utime + stime of a process, in clock ticks (USER_HZ, 100 on Linux). */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

export async function fetchStatus(statusPort: number): Promise<StatusSnapshot | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${statusPort}/status`, { signal: AbortSignal.timeout(8_000) });
    return (await response.json()) as StatusSnapshot;
  } catch {
    return undefined;
  }
}

/** Samples the daemon every `everyMs` from /proc and its /status endpoint. */
export class Sampler {
  readonly samples: Sample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastTicks = 0;
  private lastAt = 0;
  private readonly startedAt = Date.now();

  constructor(private readonly pid: number, private readonly statusPort: number, private readonly everyMs = 10_000) {}

  start(): void {
    this.lastTicks = cpuTicks(this.pid);
    this.lastAt = Date.now();
    this.timer = setInterval(() => void this.take(), this.everyMs);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
  }

  async take(): Promise<Sample | undefined> {
    try {
      const now = Date.now();
      const ticks = cpuTicks(this.pid);
      const cpuPct = (100 * (ticks - this.lastTicks)) / 100 / ((now - this.lastAt) / 1000);
      this.lastTicks = ticks;
      this.lastAt = now;
      const status = await fetchStatus(this.statusPort);
      const sample: Sample = {
        t: Math.round((now - this.startedAt) / 100) / 10,
        rssMiB: procStatusKiB(this.pid, 'VmRSS') / 1024,
        hwmMiB: procStatusKiB(this.pid, 'VmHWM') / 1024,
        anonMiB: procStatusKiB(this.pid, 'RssAnon') / 1024,
        fileMiB: procStatusKiB(this.pid, 'RssFile') / 1024,
        heapMiB: (status?.process?.heapUsedBytes ?? NaN) / 2 ** 20,
        heapTotalMiB: (status?.process?.heapTotalBytes ?? NaN) / 2 ** 20,
        externalMiB: (status?.process?.externalBytes ?? NaN) / 2 ** 20,
        heapTrims: status?.process?.heapTrims ?? NaN,
        heapKept: status?.process?.heapKept ?? NaN,
        heapResidentTrims: status?.process?.heapResidentTrims ?? NaN,
        fds: readdirSync(`/proc/${this.pid}/fd`).length,
        handles: status?.process?.activeResources ?? NaN,
        cpuPct,
        loopP99Ms: status?.process?.eventLoopDelay?.p99Ms ?? NaN,
      };
      this.samples.push(sample);
      return sample;
    } catch {
      return undefined;
    }
  }
}

/** Least-squares slope of y over x. */
export function slope(points: [number, number][]): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? NaN : num / den;
}

export function csv(samples: Sample[]): string {
  const keys: (keyof Sample)[] = ['t', 'rssMiB', 'hwmMiB', 'anonMiB', 'fileMiB', 'heapMiB', 'heapTotalMiB', 'externalMiB', 'heapTrims', 'heapResidentTrims', 'heapKept', 'fds', 'handles', 'cpuPct', 'loopP99Ms'];
  return `${keys.join(',')}\n${samples.map((s) => keys.map((k) => (Number.isInteger(s[k]) ? s[k] : s[k].toFixed(2))).join(',')).join('\n')}\n`;
}

// ---------------------------------------------------------------- SVG

interface Series {
  name: string;
  color: string;
  values: [number, number][];
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** One panel: lines over a shared x axis (seconds → minutes), y from 0 to the data's max. */
function panel(series: Series[], title: string, unit: string, y0: number, width: number, height: number, xMax: number, marks: { x: number; label: string }[], band?: [number, number]): string {
  const left = 60;
  const right = width - 20;
  const top = y0 + 25;
  const bottom = y0 + height - 25;
  const all = series.flatMap((s) => s.values.map(([, y]) => y)).filter(Number.isFinite);
  const yMax = Math.max(1, ...all) * 1.1;
  const sx = (x: number): number => left + ((right - left) * x) / Math.max(1, xMax);
  const sy = (y: number): number => bottom - ((bottom - top) * y) / yMax;
  const parts: string[] = [`<text x="${left}" y="${y0 + 15}" font-size="13" font-weight="bold">${escapeXml(title)}</text>`];
  if (band !== undefined) parts.push(`<rect x="${sx(band[0]).toFixed(1)}" y="${top}" width="${(sx(band[1]) - sx(band[0])).toFixed(1)}" height="${bottom - top}" fill="#eef5ff"/>`);
  parts.push(`<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="#444"/>`, `<line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="#444"/>`);
  for (let i = 0; i <= 4; i += 1) {
    const y = (yMax * i) / 4;
    parts.push(`<line x1="${left}" y1="${sy(y).toFixed(1)}" x2="${right}" y2="${sy(y).toFixed(1)}" stroke="#ddd"/>`, `<text x="${left - 5}" y="${(sy(y) + 4).toFixed(1)}" font-size="10" text-anchor="end">${y.toFixed(y < 10 ? 1 : 0)}</text>`);
  }
  const minutes = xMax / 60;
  const step = minutes <= 5 ? 1 : minutes <= 30 ? 5 : 10;
  for (let m = 0; m <= minutes; m += step) parts.push(`<text x="${sx(m * 60).toFixed(1)}" y="${bottom + 14}" font-size="10" text-anchor="middle">${m} min</text>`);
  for (const mark of marks) parts.push(`<line x1="${sx(mark.x).toFixed(1)}" y1="${top}" x2="${sx(mark.x).toFixed(1)}" y2="${bottom}" stroke="#bbb" stroke-dasharray="3,3"><title>${escapeXml(mark.label)}</title></line>`);
  parts.push(`<text x="12" y="${(top + bottom) / 2}" font-size="10" transform="rotate(-90 12 ${(top + bottom) / 2})" text-anchor="middle">${escapeXml(unit)}</text>`);
  series.forEach((s, i) => {
    const points = s.values.filter(([, y]) => Number.isFinite(y)).map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
    parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${points}"/>`, `<text x="${right - 150 * (series.length - i)}" y="${y0 + 15}" font-size="11" fill="${s.color}">${escapeXml(s.name)}</text>`);
  });
  return parts.join('\n');
}

/** The soak's plot: memory, handles, event-loop delay and CPU over time. */
export function soakSvg(samples: Sample[], title: string, marks: { x: number; label: string }[], band?: [number, number]): string {
  const width = 900;
  const h = 220;
  const xMax = Math.max(...samples.map((s) => s.t), 60);
  const pick = (f: (s: Sample) => number): [number, number][] => samples.map((s) => [s.t, f(s)]);
  const body = [
    panel([{ name: 'RSS MiB', color: '#d62728', values: pick((s) => s.rssMiB) }, { name: 'heap size MiB', color: '#17becf', values: pick((s) => s.heapTotalMiB) }, { name: 'heap used MiB', color: '#1f77b4', values: pick((s) => s.heapMiB) }], `${title}: memory (shaded: the window of the RSS slope)`, 'MiB', 30, width, h, xMax, marks, band),
    panel([{ name: 'open fds', color: '#2ca02c', values: pick((s) => s.fds) }, { name: 'active handles', color: '#9467bd', values: pick((s) => s.handles) }], 'handles', 'count', 30 + h, width, h, xMax, marks),
    panel([{ name: 'loop delay p99 ms', color: '#ff7f0e', values: pick((s) => s.loopP99Ms) }, { name: 'CPU % of a core', color: '#7f7f7f', values: pick((s) => s.cpuPct) }], 'event-loop delay and CPU (dashed lines: flaps and SIGHUPs)', 'ms / %', 30 + 2 * h, width, h, xMax, marks),
  ];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${30 + 3 * h}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n${body.join('\n')}\n</svg>\n`;
}
