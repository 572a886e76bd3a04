// The load generator of the hub-vs-taky scenario (test/bench/hub-vs-taky.ts): TAK clients
// on loopback that identify themselves with a PLI (contact callsign, __group), send PLI and
// chat, and count what they read, with a delivery-latency histogram taken from each event's
// own time attribute (set by the sender just before it writes). Same code for either server.
import { once } from 'node:events';
import { createConnection, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventMaker } from './soak.js';

const END = '</event>';
/** Latencies are kept in 1 ms buckets up to a minute; later ones go in the last bucket. */
const BUCKETS = 60_001;

export class LatencyHistogram {
  private counts = new Uint32Array(BUCKETS);
  total = 0;

  add(ms: number): void {
    const bucket = Math.min(BUCKETS - 1, Math.max(0, Math.round(ms)));
    this.counts[bucket] = (this.counts[bucket] ?? 0) + 1;
    this.total += 1;
  }

  percentile(p: number): number {
    if (this.total === 0) return NaN;
    const rank = Math.ceil((p / 100) * this.total);
    let seen = 0;
    for (let ms = 0; ms < BUCKETS; ms += 1) {
      seen += this.counts[ms] ?? 0;
      if (seen >= rank) return ms;
    }
    return BUCKETS - 1;
  }

  clear(): void {
    this.counts = new Uint32Array(BUCKETS);
    this.total = 0;
  }
}

/** One client: identity, an event maker (strictly increasing times), counters of what it read. */
export class LoadClient {
  readonly socket: Socket;
  readonly maker: EventMaker;
  /** Events read (pings left out); `withPrefix`: those whose uid starts with `countPrefix`. */
  received = 0;
  withPrefix = 0;
  sent = 0;
  closed = false;
  /** Where latencies go (undefined: not recorded). */
  latencies: LatencyHistogram | undefined;
  countPrefix = '';
  private tail = '';

  constructor(port: number, readonly uid: string) {
    this.maker = new EventMaker(uid, uid.toUpperCase());
    this.socket = createConnection({ host: '127.0.0.1', port });
    this.socket.setNoDelay(true);
    this.socket.on('error', () => undefined);
    this.socket.on('close', () => (this.closed = true));
    this.socket.on('data', (chunk: Buffer) => this.read(chunk.toString('latin1')));
  }

  async connected(): Promise<void> {
    if (this.socket.connecting) await once(this.socket, 'connect');
  }

  pli(): void {
    this.write(this.maker.pli());
  }

  write(xml: string, events = 1): void {
    if (this.closed) return;
    this.socket.write(xml);
    this.sent += events;
  }

  private read(chunk: string): void {
    const text = this.tail + chunk;
    const now = Date.now();
    let start = 0;
    for (let end = text.indexOf(END); end >= 0; end = text.indexOf(END, start)) {
      // The <event> tag's attributes come before any element, so the first of each is its own.
      const type = text.indexOf(' type="', start);
      if (!(type >= 0 && type < end && text.startsWith('t-x-c', type + 7))) {
        this.received += 1;
        if (this.countPrefix !== '') {
          const uid = text.indexOf(' uid="', start);
          if (uid >= 0 && text.startsWith(this.countPrefix, uid + 6)) this.withPrefix += 1;
        }
        if (this.latencies !== undefined) {
          const time = text.indexOf(' time="', start);
          if (time >= 0 && time < end) this.latencies.add(now - Date.parse(text.slice(time + 7, text.indexOf('"', time + 7))));
        }
      }
      start = end + END.length;
    }
    this.tail = text.slice(start);
  }
}

/** Connects `n` clients, 50 at a time (a listen backlog is finite). */
export async function connectClients(port: number, n: number, prefix: string): Promise<LoadClient[]> {
  const clients: LoadClient[] = [];
  for (let i = 0; i < n; i += 50) {
    const batch = Array.from({ length: Math.min(50, n - i) }, (_, j) => new LoadClient(port, `${prefix}-${i + j}`));
    await Promise.all(batch.map((c) => c.connected()));
    clients.push(...batch);
  }
  return clients;
}

export function totalReceived(clients: LoadClient[]): number {
  let sum = 0;
  for (const c of clients) sum += c.received;
  return sum;
}

export interface Settled {
  received: number;
  /** ms from `since` to the last arrival counted. */
  lastArrivalMs: number;
}

/**
 * Waits until the clients have read `expected` events, or nothing new arrived for `quietMs`,
 * or `limitMs` passed since `since`.
 */
export async function settle(clients: LoadClient[], expected: number, since: number, quietMs: number, limitMs: number): Promise<Settled> {
  let last = totalReceived(clients);
  let lastAt = Date.now();
  while (last < expected && Date.now() - lastAt < quietMs && Date.now() - since < limitMs) {
    await sleep(20);
    const now = totalReceived(clients);
    if (now !== last) {
      last = now;
      lastAt = Date.now();
    }
  }
  return { received: last, lastArrivalMs: lastAt - since };
}

export function resetCounts(clients: LoadClient[], latencies?: LatencyHistogram): void {
  latencies?.clear();
  for (const c of clients) {
    c.received = 0;
    c.sent = 0;
    c.latencies = latencies;
  }
}

/**
 * Every client sends PLI at `hz` for `seconds`; client i of n starts i/n of a period late, so
 * the clients are spread over each period as phones are (not all in the same millisecond).
 * Paced on a ≤ 10 ms tick: each client writes what is due by then, so the rate holds when a
 * tick runs late. Returns the events sent.
 */
export async function sendPliAt(clients: LoadClient[], hz: number, seconds: number): Promise<number> {
  const started = Date.now();
  const period = 1000 / hz;
  const each = Math.round(hz * seconds);
  const n = clients.length;
  const sent = new Array<number>(n).fill(0);
  for (;;) {
    const elapsed = Date.now() - started;
    let pending = false;
    clients.forEach((c, i) => {
      const due = Math.min(each, Math.floor(elapsed / period - i / n) + 1);
      for (; (sent[i] as number) < due; sent[i] = (sent[i] as number) + 1) c.pli();
      if ((sent[i] as number) < each) pending = true;
    });
    if (!pending) break;
    await sleep(Math.max(1, Math.min(10, Math.floor(period / 2))));
  }
  // The last period is part of the phase.
  const end = started + seconds * 1000;
  if (Date.now() < end) await sleep(end - Date.now());
  return sent.reduce((a, b) => a + b, 0);
}

export function closeClients(clients: LoadClient[]): void {
  for (const c of clients) c.socket.destroy();
}
