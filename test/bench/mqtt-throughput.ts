// Scenario: events/s and CPU per event from takd's transports to a real mosquitto on
// loopback at QoS 0 and QoS 1, next to tcp:// to a plain TCP sink in the same run.
// The sender is takd's own transport (mqtt+wo:// or tcp+wo://) in this process, fed as fast
// as its backlog allows (never dropping); the receiver runs in a child process (an mqtt.js
// subscriber counting messages, or a TCP server counting </event>) so it does not share the
// sender's thread. CPU per event: this process (user + system) and, for MQTT, the broker.
// Needs mosquitto (apt install mosquitto); skipped with the reason otherwise.
// Sizes: TAKD_BENCH_MQTT_EVENTS (default 100,000), TAKD_BENCH_MQTT_ROUNDS (default 3).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { CotEvent } from '../../daemon/codec/event.js';
import { XmlEventDecoder } from '../../daemon/codec/xml/decode.js';
import { createTransport } from '../support/transports.js';
import type { Transport } from '../../daemon/transports/types.js';
import { atakPliCorpus } from '../support/generators.js';
import { Mosquitto, mosquittoUnavailableReason } from '../support/mosquitto.js';
import { formatRate, machine, median, table } from './support/measure.js';

const EVENTS = Number(process.env.TAKD_BENCH_MQTT_EVENTS ?? 100_000);
const ROUNDS = Number(process.env.TAKD_BENCH_MQTT_ROUNDS ?? 3);
const TOPIC = 'bench/takd/cot';
const END = Buffer.from('</event>');
/** Events handed to the transport ahead of what it has written. */

// ---------------------------------------------------------------- receiver (child)

interface SinkCommand {
  cmd: 'expect';
  count: number;
}

/** Runs in the child: `tcp` (a server counting </event>) or `mqtt PORT QOS` (a subscriber). */
export async function runSink(kind: string, brokerPort: number, qos: number): Promise<void> {
  let received = 0;
  const out = (obj: object): void => void process.stdout.write(`${JSON.stringify(obj)}\n`);
  if (kind === 'tcp') {
    const server = createServer((socket) => {
      let tail = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        const bytes = tail.length > 0 ? Buffer.concat([tail, chunk]) : chunk;
        for (let at = bytes.indexOf(END); at >= 0; at = bytes.indexOf(END, at + END.length)) received += 1;
        tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - (END.length - 1))));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    out({ port: (server.address() as AddressInfo).port });
  } else {
    const mqtt = await import('mqtt');
    const client = mqtt.connect({ host: '127.0.0.1', port: brokerPort, protocolVersion: 5, clientId: `bench-sink-${process.pid}` });
    client.on('message', () => (received += 1));
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => client.subscribe(TOPIC, { qos: qos as 0 | 1 }, (error) => (error ? reject(error) : resolve())));
      client.once('error', reject);
    });
    out({ ready: true });
  }
  for await (const line of createInterface({ input: process.stdin })) {
    const command = JSON.parse(line) as SinkCommand;
    // Done when everything arrived, or when nothing more arrives for two seconds (losses).
    let last = -1;
    let lastChange = Date.now();
    while (received < command.count && Date.now() - lastChange < 2_000) {
      if (received !== last) {
        last = received;
        lastChange = Date.now();
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    out({ received, at: Date.now() });
    received = 0;
  }
  process.exit(0);
}

class Sink {
  private readonly lines: AsyncIterator<string>;
  private constructor(readonly child: ChildProcess) {
    this.lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  }

  static async start(kind: string, brokerPort = 0, qos = 0): Promise<{ sink: Sink; first: Record<string, unknown> }> {
    const self = fileURLToPath(import.meta.url);
    const child = spawn(process.execPath, ['--input-type=module', '-e', `import(${JSON.stringify(self)}).then((m) => m.runSink(${JSON.stringify(kind)}, ${brokerPort}, ${qos}))`], { stdio: ['pipe', 'pipe', 'inherit'] });
    const sink = new Sink(child);
    return { sink, first: (await sink.next()) as Record<string, unknown> };
  }

  async next(): Promise<unknown> {
    const { value, done } = await this.lines.next();
    if (done) throw new Error('sink exited');
    return JSON.parse(value as string);
  }

  ask(count: number): Promise<{ received: number; at: number }> {
    this.child.stdin!.write(`${JSON.stringify({ cmd: 'expect', count })}\n`);
    return this.next() as Promise<{ received: number; at: number }>;
  }

  stop(): void {
    this.child.stdin!.end();
  }
}

// ---------------------------------------------------------------- sender (this process)

function processCpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100;
}

function freshEvents(count: number): CotEvent[] {
  const decoder = new XmlEventDecoder();
  return atakPliCorpus(count, 11, Date.now()).map((xml) => decoder.decode(xml));
}

async function waitUp(transport: Transport): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (transport.isUp?.() !== true) {
    if (Date.now() > deadline) throw new Error(`${transport.name}: not up (${transport.status().message})`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Sends every event, each once the transport can take it (as the router does). */
async function pump(transport: Transport, events: CotEvent[]): Promise<void> {
  for (const event of events) {
    // The router's flow control: hand an event over only while the transport can take it.
    while (transport.writable?.() === false) await new Promise((resolve) => setImmediate(resolve));
    transport.send(event);
  }
}

interface Figures {
  rates: number[];
  cpu: number[];
  brokerCpu: number[];
  lost: number;
}

async function measure(transport: Transport, sink: Sink, brokerPid: number | undefined): Promise<Figures> {
  const figures: Figures = { rates: [], cpu: [], brokerCpu: [], lost: 0 };
  for (let round = 0; round <= ROUNDS; round += 1) {
    const events = freshEvents(EVENTS);
    const cpuBefore = process.cpuUsage();
    const brokerBefore = brokerPid !== undefined ? processCpuMicros(brokerPid) : 0;
    const started = Date.now();
    const arrived = sink.ask(events.length);
    await pump(transport, events);
    const { received, at } = await arrived;
    const cpu = process.cpuUsage(cpuBefore);
    if (round === 0) continue; // warm-up
    const seconds = (at - started) / 1000 - (received < events.length ? 2 : 0);
    figures.rates.push(received / seconds);
    figures.cpu.push((cpu.user + cpu.system) / Math.max(1, received));
    if (brokerPid !== undefined) figures.brokerCpu.push((processCpuMicros(brokerPid) - brokerBefore) / Math.max(1, received));
    figures.lost += events.length - received;
  }
  return figures;
}

export default async function mqttThroughput(): Promise<string> {
  const title = `## mqtt:// throughput (mosquitto on loopback, QoS 0 and 1, next to tcp://)\n\n${machine()}; ${EVENTS.toLocaleString('en-US')} ATAK PLI events per round, median of ${ROUNDS} rounds after a warm-up.\n\n`;
  const unavailable = mosquittoUnavailableReason();
  if (unavailable !== undefined) return `${title}Not measured: ${unavailable}.\n`;
  const results = new Map<string, Figures>();
  // mosquitto keeps at most 1,000 QoS 1 messages queued per client by default and drops the
  // rest: the subscriber here reads as fast as it can, but not in lockstep with the sender.
  const broker = new Mosquitto({ extra: ['max_queued_messages 0', 'max_inflight_messages 0'] });
  try {
    await broker.start();
    const brokerPid = broker.pid();
    {
      const { sink, first } = await Sink.start('tcp');
      const transport = createTransport(`tcp+wo://127.0.0.1:${first.port as number}`, { pingAfterMs: 0, maxQueue: 4_000 });
      transport.start();
      await waitUp(transport);
      results.set('tcp:// to a TCP sink (the reference)', await measure(transport, sink, undefined));
      await transport.close();
      sink.stop();
    }
    for (const qos of [0, 1] as const) {
      const { sink } = await Sink.start('mqtt', broker.port, qos);
      const transport = createTransport(`mqtt+wo://127.0.0.1:${broker.port}/${TOPIC}`, { maxQueue: 4_000, mqtt: { qos, clientId: `bench-takd-${qos}` }, ownUid: 'bench' });
      transport.start();
      await waitUp(transport);
      results.set(`mqtt:// QoS ${qos} → mosquitto → subscriber`, await measure(transport, sink, brokerPid));
      await transport.close();
      sink.stop();
    }
  } finally {
    await broker.cleanup();
  }
  const rows = [...results].map(([name, f]) => [
    name,
    formatRate(median(f.rates)),
    median(f.cpu).toFixed(1),
    f.brokerCpu.length > 0 ? median(f.brokerCpu).toFixed(1) : '–',
    f.lost,
  ]);
  const qos0 = median(results.get('mqtt:// QoS 0 → mosquitto → subscriber')?.rates ?? [NaN]);
  return `${title}${table(['path', 'events/s', 'takd CPU µs/event', 'broker CPU µs/event', 'lost'], rows)}\n\nTarget: ≥ 20,000 events/s at QoS 0 (issue 19): ${qos0 >= 20_000 ? 'met' : 'not met'} in this run.\n`;
}
