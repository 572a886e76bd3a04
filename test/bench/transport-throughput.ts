// Scenario: CoT from a TCP input through takd to a TCP output on loopback.
// `takd run` relays (tcp+listen input → router → tcp output) in a process of its own, as
// the single binary users install and as the tsc output under this node; the transports
// alone also relay inside this process on one thread. The load generator (producer +
// sink) runs in a child process so it does not share a relay's thread. Peers on the same path: a raw byte pipe (no parsing: the ceiling) and a
// relay built on @tak-ps/node-cot (split on </event>, new CoT(xml), to_xml()).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encodeXmlString } from '../../daemon/codec/xml/encode.js';
import { pongEvent } from '../../daemon/transports/control-events.js';
import { createTransport } from '../support/transports.js';
import type { StreamListener } from '../../daemon/transports/stream-listener.js';
import type { Transport } from '../../daemon/transports/types.js';
import { buildBinary } from '../../packaging/build/binary.js';
import { NODE_VERSION } from '../../packaging/build/node-dist.js';
import { NODE_V8_FLAGS } from '../../packaging/runtime/node-flags.js';
import { repoRoot } from '../support/paths.js';
import { TAKD_MAIN, TakdProcess } from '../support/daemon-process.js';
import { atakPliCorpus } from '../support/generators.js';
import { machine, median, table } from './support/measure.js';

const THROUGHPUT_EVENTS = 100_000;
const NODE_COT_EVENTS = 20_000;
const LATENCY_RATE = 1_000;
const LATENCY_SECONDS = 2;
const ROUNDS = 5;
const END = Buffer.from('</event>');
const PING_TYPE = Buffer.from('type="t-x-c-t"');

// ---------------------------------------------------------------- load generator (child)

/** Counts complete events in a byte stream, across chunk boundaries. */
function eventCounter(): (chunk: Buffer) => number {
  let tail = Buffer.alloc(0);
  return (chunk) => {
    const bytes = tail.length > 0 ? Buffer.concat([tail, chunk]) : chunk;
    let n = 0;
    let at = bytes.indexOf(END);
    while (at >= 0) {
      n += 1;
      at = bytes.indexOf(END, at + END.length);
    }
    tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - (END.length - 1))));
    return n;
  };
}

interface Command {
  cmd: 'throughput' | 'latency';
  inputPort: number;
  count?: number;
}

/** Runs in the child: a sink server and a producer, driven by JSON lines on stdin. */
export async function runLoadGenerator(): Promise<void> {
  let received = 0;
  let latencyMode = false;
  const arrivals = new Map<number, bigint>();
  const sink = createServer((socket) => {
    const count = eventCounter();
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      // Answer pings as a TAK server does, or the daemon's link would time out and reconnect;
      // a ping is not one of the relayed events.
      let pings = 0;
      for (let at = chunk.indexOf(PING_TYPE); at >= 0; at = chunk.indexOf(PING_TYPE, at + 1)) pings += 1;
      if (pings > 0) socket.write(encodeXmlString(pongEvent()));
      received += count(chunk) - pings;
      if (latencyMode) {
        const now = process.hrtime.bigint();
        for (const match of chunk.toString('latin1').matchAll(/uid="lat-(\d+)"/g)) arrivals.set(Number(match[1]), now);
      }
    });
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', () => resolve()));
  const out = (obj: object): void => void process.stdout.write(`${JSON.stringify(obj)}\n`);
  out({ sinkPort: (sink.address() as AddressInfo).port });

  const producerFor = async (port: number): Promise<Socket> => {
    const socket = connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    // A TAK client reads what the server sends it (pongs, and the hub's SA replay of what
    // earlier rounds left): one that never reads is closed as a slow reader.
    socket.on('data', () => undefined);
    await new Promise((resolve) => socket.once('connect', resolve));
    return socket;
  };

  for await (const line of createInterface({ input: process.stdin })) {
    const command = JSON.parse(line) as Command;
    const producer = await producerFor(command.inputPort);
    received = 0;
    if (command.cmd === 'throughput') {
      const count = command.count ?? THROUGHPUT_EVENTS;
      // Fresh, distinct events each round: the daemon drops stale events and duplicates.
      const stream = Buffer.from(atakPliCorpus(count, 7, Date.now()).join(''));
      const started = process.hrtime.bigint();
      for (let offset = 0; offset < stream.length; offset += 65_536) {
        if (!producer.write(stream.subarray(offset, offset + 65_536))) await new Promise((resolve) => producer.once('drain', resolve));
      }
      // Done when everything arrived, or when nothing more arrives for a second (drops).
      let last = -1;
      let lastChange = Date.now();
      while (received < count && Date.now() - lastChange < 1_000) {
        if (received !== last) {
          last = received;
          lastChange = Date.now();
        }
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9 - (received < count ? 1 : 0);
      out({ received, count, seconds, bytes: stream.length });
    } else {
      latencyMode = true;
      arrivals.clear();
      const sent = new Map<number, bigint>();
      const template = atakPliCorpus(1, 7, Date.now())[0] as string;
      const total = LATENCY_RATE * LATENCY_SECONDS;
      const started = Date.now();
      let seq = 0;
      while (seq < total) {
        const due = Math.min(total, Math.floor(((Date.now() - started) * LATENCY_RATE) / 1000));
        for (; seq < due; seq += 1) {
          sent.set(seq, process.hrtime.bigint());
          producer.write(template.replace(/uid="[^"]*"/, `uid="lat-${seq}"`));
        }
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      latencyMode = false;
      const latencies: number[] = [];
      for (const [n, at] of sent) {
        const arrived = arrivals.get(n);
        if (arrived !== undefined) latencies.push(Number(arrived - at) / 1e6);
      }
      out({ latencies, sent: sent.size });
    }
    producer.end();
  }
  sink.close();
}

// ---------------------------------------------------------------- relays (this process)

interface Relay {
  name: string;
  inputPort: number;
  /** Set when the relay runs in a process of its own. */
  pid?: number;
  stop(): Promise<void>;
  dropped(): number;
}

async function takdRelay(sinkPort: number): Promise<Relay> {
  const output: Transport = createTransport(`tcp+wo://127.0.0.1:${sinkPort}`, { pingAfterMs: 0 });
  const input = createTransport('tcp+listen://127.0.0.1:0', { onEvent: (event) => output.send(event), idleTimeoutMs: 0 }) as StreamListener;
  output.start();
  input.start();
  await input.listening();
  return {
    name: 'takd transports alone, in the benchmark process (tcp+listen → decode → encode → tcp)',
    inputPort: input.port as number,
    dropped: () => output.status().counters.eventsDropped,
    stop: async () => {
      await input.close();
      await output.close();
    },
  };
}

/** `takd run` as its own process: tcp+listen input → router → tcp output, as users run it. */
/**
 * `inputLines`: the input's extra keys. The rows of this commit relay through a plain input
 * (`hub = no`, the path a gateway's input takes) and, in their own row, through a hub
 * listener (the default: every event also offered to the hub's SA replay store); a
 * baseline from before the hub has only the plain path and does not know the key.
 */
async function takdRunRelay(sinkPort: number, name: string, command: string[], inputLines: string[] = ['hub = no']): Promise<Relay> {
  const inputPort = await freePort();
  const takd = new TakdProcess();
  takd.writeConfig(
    [
      '[takd]',
      'callsign = BENCH',
      '[pli]',
      'enabled = false',
      '[log]',
      'level = warn',
      '[input.phones]',
      `url = tcp+listen://127.0.0.1:${inputPort}`,
      ...inputLines,
      '[output.server]',
      `url = tcp+wo://127.0.0.1:${sinkPort}`,
      'hello = false',
      '',
    ].join('\n'),
  );
  const child = takd.start(['-c', takd.configFile], {}, command);
  await takd.waitForState('output.server', 'connected');
  await takd.waitForState('input.phones', 'connected');
  return {
    name,
    inputPort,
    pid: child.pid,
    dropped: () => 0,
    stop: async () => {
      await takd.stop();
      await takd.cleanup();
    },
  };
}

/** The tsc output under this node, with the V8 flags the binary embeds. */
function takdDaemonRelay(sinkPort: number): Promise<Relay> {
  return takdRunRelay(sinkPort, `takd run on node ${process.version} (own process: tcp+listen → router → tcp)`, [process.execPath, ...NODE_V8_FLAGS, TAKD_MAIN, 'run']);
}

/** The single binary users install (its own embedded node and flags), built or taken from the cache. */
async function takdBinaryRelay(sinkPort: number): Promise<Relay> {
  const binary = await buildBinary({ repoRoot, arch: process.arch as 'x64' | 'arm64' });
  return takdRunRelay(sinkPort, `takd-linux-${process.arch} run, the single binary (node ${NODE_VERSION}, own process)`, [binary.path, 'run']);
}

/** The same binary, its input a hub listener (the default for listeners). */
async function takdBinaryHubRelay(sinkPort: number): Promise<Relay> {
  const binary = await buildBinary({ repoRoot, arch: process.arch as 'x64' | 'arm64' });
  return takdRunRelay(sinkPort, `takd-linux-${process.arch} run, the single binary, input a hub listener (hub = yes)`, [binary.path, 'run'], []);
}

/**
 * A binary built from another commit (TAKD_BENCH_BASELINE_BINARY=path, label in
 * TAKD_BENCH_BASELINE_LABEL), relayed in the same run: before/after of a change, one machine state.
 */
async function takdBaselineRelay(sinkPort: number): Promise<Relay> {
  const path = process.env.TAKD_BENCH_BASELINE_BINARY as string;
  const label = process.env.TAKD_BENCH_BASELINE_LABEL ?? path;
  return takdRunRelay(sinkPort, `takd-linux-${process.arch} run, baseline binary (${label})`, [path, 'run'], []);
}

async function freePort(): Promise<number> {
  const server = await plainServer(() => undefined);
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** CPU time (user + system) another process has used so far, in µs. */
function processCpuMicros(pid: number): number {
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS_PER_SECOND;
}

/** Linux reports process times in clock ticks of 1/100 s (USER_HZ) on every architecture. */
const CLOCK_TICKS_PER_SECOND = 100;

/** Resident set size now and at its peak, of another process (MiB). */
function processRss(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

async function plainServer(onConnection: (socket: Socket) => void): Promise<Server> {
  const server = createServer(onConnection);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return server;
}

async function rawPipeRelay(sinkPort: number): Promise<Relay> {
  const output = connect(sinkPort, '127.0.0.1');
  output.setNoDelay(true);
  const server = await plainServer((socket) => {
    socket.setNoDelay(true);
    socket.pipe(output, { end: false });
  });
  return {
    name: 'raw byte pipe (no parsing: the ceiling)',
    inputPort: (server.address() as AddressInfo).port,
    dropped: () => 0,
    stop: async () => {
      output.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function nodeCotRelay(sinkPort: number): Promise<Relay> {
  // Loaded only now, so its modules do not count in takd's memory figures.
  const { default: CoT } = await import('@tak-ps/node-cot');
  const output = connect(sinkPort, '127.0.0.1');
  output.setNoDelay(true);
  const server = await plainServer((socket) => {
    socket.setNoDelay(true);
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      let end: number;
      let batch = '';
      while ((end = pending.indexOf('</event>')) >= 0) {
        const xml = pending.slice(0, end + 8);
        pending = pending.slice(end + 8);
        batch += new CoT(xml).to_xml();
      }
      if (batch !== '') output.write(batch);
    });
  });
  return {
    name: '@tak-ps/node-cot relay (split, new CoT, to_xml)',
    inputPort: (server.address() as AddressInfo).port,
    dropped: () => 0,
    stop: async () => {
      output.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

// ---------------------------------------------------------------- driver

class LoadGenerator {
  private readonly lines: AsyncIterator<string>;
  private constructor(private readonly child: ChildProcess) {
    this.lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  }

  static async start(): Promise<{ load: LoadGenerator; sinkPort: number }> {
    const self = fileURLToPath(import.meta.url);
    const child = spawn(process.execPath, ['--input-type=module', '-e', `import(${JSON.stringify(self)}).then((m) => m.runLoadGenerator())`], { stdio: ['pipe', 'pipe', 'inherit'] });
    const load = new LoadGenerator(child);
    const first = (await load.next()) as { sinkPort: number };
    return { load, sinkPort: first.sinkPort };
  }

  async next(): Promise<unknown> {
    const { value, done } = await this.lines.next();
    if (done) throw new Error('load generator exited');
    return JSON.parse(value as string);
  }

  async ask<T>(command: Command): Promise<T> {
    this.child.stdin!.write(`${JSON.stringify(command)}\n`);
    return (await this.next()) as T;
  }

  stop(): void {
    this.child.stdin!.end();
  }
}

interface ThroughputResult {
  received: number;
  count: number;
  seconds: number;
  bytes: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

interface DaemonFigures {
  /** Resident MiB when up and idle, before the first round. */
  idle: number;
  /** VmHWM over all its throughput rounds, MiB. */
  peak: number;
  /** CPU µs per relayed event (user + system, every thread), per measured round. */
  cpu: number[];
}

/** `only`: names of the relay makers to run (for profiling one of them by hand). */
export default async function transportThroughput(only?: string[]): Promise<string> {
  const { load, sinkPort } = await LoadGenerator.start();
  const throughput = new Map<string, { rates: number[]; mbps: number[]; lost: number }>();
  const latency = new Map<string, { p50: number[]; p99: number[]; max: number[]; lost: number }>();
  const daemons = new Map<string, DaemonFigures>();
  const skipped: string[] = [];
  let inProcessPeak = 0;
  let rssSampler: NodeJS.Timeout | undefined;
  const baseline = process.env.TAKD_BENCH_BASELINE_BINARY ? [takdBaselineRelay] : [];
  const makers = [takdBinaryRelay, ...baseline, takdBinaryHubRelay, takdDaemonRelay, takdRelay, rawPipeRelay, nodeCotRelay].filter((make) => only === undefined || only.includes(make.name));
  try {
    for (const make of makers) {
      let relay: Relay;
      try {
        relay = await make(sinkPort);
      } catch (error) {
        if (make !== takdBinaryRelay && make !== takdBinaryHubRelay) throw error;
        skipped.push(`the single binary was not measured: it could not be built (${(error as Error).message.split('\n')[0]})`);
        continue;
      }
      const count = make === nodeCotRelay ? NODE_COT_EVENTS : THROUGHPUT_EVENTS;
      const t = { rates: [] as number[], mbps: [] as number[], lost: 0 };
      const daemon: DaemonFigures | undefined = relay.pid !== undefined ? { idle: processRss(relay.pid).rss, peak: NaN, cpu: [] } : undefined;
      if (make === takdRelay) rssSampler = setInterval(() => (inProcessPeak = Math.max(inProcessPeak, process.memoryUsage().rss)), 20);
      for (let round = 0; round <= ROUNDS; round += 1) {
        const cpuBefore = relay.pid !== undefined ? processCpuMicros(relay.pid) : NaN;
        const r = await load.ask<ThroughputResult>({ cmd: 'throughput', inputPort: relay.inputPort, count });
        if (round === 0) continue; // warm-up
        if (daemon !== undefined) daemon.cpu.push((processCpuMicros(relay.pid!) - cpuBefore) / r.received);
        t.rates.push(r.received / r.seconds);
        t.mbps.push((r.bytes * (r.received / r.count)) / r.seconds / 1e6);
        t.lost += r.count - r.received;
      }
      if (daemon !== undefined) {
        daemon.peak = processRss(relay.pid!).peak;
        daemons.set(relay.name, daemon);
      }
      if (rssSampler) clearInterval(rssSampler);
      rssSampler = undefined;
      throughput.set(relay.name, t);
      const l = { p50: [] as number[], p99: [] as number[], max: [] as number[], lost: 0 };
      for (let round = 0; round < ROUNDS; round += 1) {
        const r = await load.ask<{ latencies: number[]; sent: number }>({ cmd: 'latency', inputPort: relay.inputPort });
        const sorted = r.latencies.sort((a, b) => a - b);
        l.p50.push(percentile(sorted, 50));
        l.p99.push(percentile(sorted, 99));
        l.max.push(sorted[sorted.length - 1] ?? NaN);
        l.lost += r.sent - r.latencies.length;
      }
      latency.set(relay.name, l);
      await relay.stop();
    }
  } finally {
    if (rssSampler) clearInterval(rssSampler);
    load.stop();
  }

  const names = [...throughput.keys()];
  const daemonNames = [...daemons.keys()];
  // The reference is what users install: the binary when it was measured.
  const takdName = daemonNames[0] as string;
  const transportsName = names.find((n) => n.startsWith('takd transports')) as string;
  const rawName = names.find((n) => n.startsWith('raw')) as string;
  const nodeCotName = names.find((n) => n.startsWith('@tak-ps')) as string;
  const rate = (name: string): number => median(throughput.get(name)?.rates ?? [NaN]);
  const lat = (name: string, key: 'p50' | 'p99' | 'max'): number => median(latency.get(name)?.[key] ?? [NaN]);
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  const ms = (n: number): string => n.toFixed(3);
  const takdRate = rate(takdName);
  const target = (ok: boolean): string => (ok ? 'met' : '**missed**');

  return [
    '## Transports: TCP in → takd → TCP out on loopback (ATAK PLI)',
    '',
    `Events: generated ATAK-style PLI, ~${Math.round(atakPliCorpus(1_000, 7).reduce((s, x) => s + Buffer.byteLength(x), 0) / 1_000)} bytes of XML each. \`takd run\` is the daemon as users run it, in its own process, twice: the single binary users install (its own node ${NODE_VERSION}), and the tsc output under the node running this benchmark, with the V8 flags the binary embeds (\`${NODE_V8_FLAGS.join(' ')}\`: one thread, no V8 helper threads). Each relays from a tcp+listen input through the router (dedupe, filters, lanes) to a tcp output. The transports-alone row runs the same input and output transports without the router inside the benchmark process. Producer and sink run in another child process. ${ROUNDS} rounds after one warm-up (medians). Throughput: ${fmt(THROUGHPUT_EVENTS)} events per round (${fmt(NODE_COT_EVENTS)} for node-cot), written as fast as TCP back-pressure allows; output queue MAX_OUT_QUEUE = 100 (default). Latency: ${fmt(LATENCY_RATE)} events/s for ${LATENCY_SECONDS} s per round, producer → relay → sink, both timestamps in the child. Machine: ${machine()}.`,
    ...skipped.map((why) => `\n> Note: ${why}.`),
    '',
    '### Throughput (events/s)',
    '',
    table(
      ['relay', 'events/s', 'MB/s', 'lost', 'vs takd'],
      names.map((n) => [n, fmt(rate(n)), median(throughput.get(n)!.mbps).toFixed(1), throughput.get(n)!.lost, `${(rate(n) / takdRate).toFixed(2)}×`]),
    ),
    '',
    '### The takd process against the targets',
    '',
    table(
      ['takd run', 'events/s (≥ 50,000)', 'CPU µs per event', 'peak RSS MiB (< 80 MB = 76.3 MiB)', 'idle RSS MiB', 'p99 ms at 1,000/s (< 2)'],
      daemonNames.map((n) => {
        const d = daemons.get(n)!;
        return [n, `${fmt(rate(n))}, ${target(rate(n) >= 50_000)}`, median(d.cpu).toFixed(1), `${d.peak.toFixed(1)}, ${target(d.peak < 80e6 / 2 ** 20)}`, d.idle.toFixed(1), `${ms(lat(n, 'p99'))}, ${target(lat(n, 'p99') < 2)}`];
      }),
    ),
    '',
    `- takd (${takdName.split(' (')[0]}) sustained **${fmt(takdRate)} events/s**, ${(takdRate / rate(nodeCotName)).toFixed(2)}× the node-cot relay, ${((takdRate / rate(rawName)) * 100).toFixed(0)} % of a raw byte pipe.`,
    '- CPU time is the whole process (every thread), user + system, from /proc, median of the rounds: one core at 50,000 events/s allows 20 µs. Peak RSS is VmHWM over all the throughput rounds; it includes the pages of the node executable in use (file-backed), about 40 MiB of either.',
    `- The benchmark process itself peaked at ${(inProcessPeak / 2 ** 20).toFixed(0)} MiB while its in-process transports relayed (it also holds the harness and node-cot's modules). The transports alone relayed ${fmt(rate(transportsName))} events/s.`,
    '',
    `### Latency at ${fmt(LATENCY_RATE)} events/s (ms, producer → sink)`,
    '',
    table(
      ['relay', 'p50', 'p99', 'max', 'lost'],
      names.map((n) => [n, ms(lat(n, 'p50')), ms(lat(n, 'p99')), ms(lat(n, 'max')), latency.get(n)!.lost]),
    ),
    '',
    `- p99 producer → sink through takd (${takdName.split(' (')[0]}): **${ms(lat(takdName, 'p99'))} ms**, an upper bound on the latency takd adds (it includes both loopback hops and this shared machine's scheduling noise, which the raw pipe's own p99 shows). Median added over the raw pipe: ${ms(lat(takdName, 'p50') - lat(rawName, 'p50'))} ms.`,
    '',
  ].join('\n');
}
