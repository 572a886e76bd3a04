// Scenario: events/s and CPU per event from takd's wss:// client next to its tcp:// client,
// in the same run, both sending TAK protocol 1 (tcp negotiates it; wss always is) to a sink
// on loopback. The sink runs in a child process (its own thread) and counts frames without
// decoding them: a TCP server that offers and accepts TAK protocol 1, and an HTTPS server
// with `ws` at /takproto/1 that asks for a client certificate, as TAK Server does.
// Target (issue 19): wss at least 50% of tcp's rate.
// Sizes: TAKD_BENCH_WSS_EVENTS (default 50,000) and TAKD_BENCH_WSS_ROUNDS (default 5);
// a smoke run: TAKD_BENCH_WSS_EVENTS=2000 TAKD_BENCH_WSS_ROUNDS=1.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { ProtoStreamDeframer } from '../../daemon/codec/proto/index.js';
import { encodeXmlString } from '../../daemon/codec/xml/encode.js';
import { PROTOCOL_REQUEST, protocolAdvertiseEvent, protocolResponseEvent } from '../../daemon/transports/control-events.js';
import { createTransport } from '../support/transports.js';
import type { Transport } from '../../daemon/transports/types.js';
import { makeTestPki } from '../support/certs.js';
import { pli } from '../support/transport-fixtures.js';
import { machine, median, table } from './support/measure.js';

const EVENTS = Number(process.env.TAKD_BENCH_WSS_EVENTS ?? 50_000);
const ROUNDS = Number(process.env.TAKD_BENCH_WSS_ROUNDS ?? 5);

// ---------------------------------------------------------------- sink (child)

interface SinkCommand {
  expect: number;
}

/** Runs in the child: both sinks; answers each {expect} with the count, seconds and CPU once that many arrived (or nothing for 1 s). */
export async function runSink(certs: { cert: string; key: string; ca: string }): Promise<void> {
  let received = 0;
  const countFrames = (deframer: ProtoStreamDeframer, chunk: Buffer): void => deframer.push(chunk, () => (received += 1), () => undefined);
  const tcp = createServer((socket: Socket) => {
    socket.setNoDelay(true);
    const deframer = new ProtoStreamDeframer({ maxBytes: 1 << 20 });
    let v1 = false;
    let xml = '';
    socket.write(encodeXmlString(protocolAdvertiseEvent('bench-sink', [1])));
    socket.on('data', (chunk: Buffer) => {
      if (v1) return countFrames(deframer, chunk);
      xml += chunk.toString('latin1');
      const at = xml.indexOf(PROTOCOL_REQUEST);
      if (at < 0) return;
      const end = xml.indexOf('</event>', at) + '</event>'.length;
      const uid = /uid="([^"]*)"/.exec(xml.slice(xml.lastIndexOf('<event', at)))?.[1] ?? 'bench';
      socket.write(encodeXmlString(protocolResponseEvent(uid, true)));
      v1 = true;
      const rest = Buffer.from(xml.slice(end), 'latin1');
      if (rest.length > 0) countFrames(deframer, rest);
    });
    socket.on('error', () => undefined);
  });
  const https = createHttpsServer({ cert: readFileSync(certs.cert), key: readFileSync(certs.key), ca: readFileSync(certs.ca), requestCert: true, rejectUnauthorized: true });
  const wss = new WebSocketServer({ server: https, path: '/takproto/1', perMessageDeflate: false });
  wss.on('connection', (ws) => {
    ws.on('message', () => (received += 1));
    ws.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', () => resolve()));
  await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', () => resolve()));
  const out = (obj: object): void => void process.stdout.write(`${JSON.stringify(obj)}\n`);
  out({ tcpPort: (tcp.address() as AddressInfo).port, wssPort: (https.address() as AddressInfo).port });
  for await (const line of createInterface({ input: process.stdin })) {
    const { expect } = JSON.parse(line) as SinkCommand;
    received = 0;
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    let last = -1;
    let lastChange = Date.now();
    while (received < expect && Date.now() - lastChange < 1_000) {
      if (received !== last) {
        last = received;
        lastChange = Date.now();
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const used = process.cpuUsage(cpu);
    out({ received, seconds: Number(process.hrtime.bigint() - started) / 1e9 - (received < expect ? 1 : 0), cpuUs: used.user + used.system });
  }
  tcp.close();
  wss.close();
  https.close();
}

// ---------------------------------------------------------------- driver

class Sink {
  private readonly lines: AsyncIterator<string>;
  constructor(private readonly child: ChildProcess) {
    this.lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  }

  async next<T>(): Promise<T> {
    const { value, done } = await this.lines.next();
    if (done) throw new Error('sink exited');
    return JSON.parse(value as string) as T;
  }

  expect(count: number): void {
    this.child.stdin!.write(`${JSON.stringify({ expect: count })}\n`);
  }

  stop(): void {
    this.child.stdin!.end();
  }
}

interface Round {
  rate: number;
  senderUsPerEvent: number;
  sinkUsPerEvent: number;
  lost: number;
}

async function oneRound(client: Transport, sink: Sink, round: number): Promise<Round> {
  const now = Date.now();
  const events = Array.from({ length: EVENTS }, (_, i) => ({ ...pli(round * EVENTS + i, now), uid: `bench-${round}-${i}` }));
  sink.expect(EVENTS);
  const cpu = process.cpuUsage();
  for (let i = 0; i < events.length; i++) {
    // Flow control as the router does it: hand an event over only while the transport can take it.
    while (client.writable?.() === false) await new Promise((resolve) => setImmediate(resolve));
    client.send(events[i] as (typeof events)[number]);
  }
  const result = await sink.next<{ received: number; seconds: number; cpuUs: number }>();
  const used = process.cpuUsage(cpu);
  return {
    rate: result.received / result.seconds,
    senderUsPerEvent: (used.user + used.system) / EVENTS,
    sinkUsPerEvent: result.cpuUs / EVENTS,
    lost: EVENTS - result.received,
  };
}

export default async function wssThroughput(): Promise<string> {
  const pki = makeTestPki();
  const self = fileURLToPath(import.meta.url);
  const certs = { cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert };
  const child = spawn(process.execPath, ['--input-type=module', '-e', `import(${JSON.stringify(self)}).then((m) => m.runSink(${JSON.stringify(certs)}))`], { stdio: ['pipe', 'pipe', 'inherit'] });
  const sink = new Sink(child);
  const rows: (string | number)[][] = [];
  const rates = new Map<string, number>();
  try {
    const { tcpPort, wssPort } = await sink.next<{ tcpPort: number; wssPort: number }>();
    const common = { maxQueue: 10_000, pingAfterMs: 0, proto: 1 as const, offerWaitMs: 5_000 };
    const clients: [string, () => Transport][] = [
      ['tcp:// (TAK protocol 1, negotiated)', () => createTransport(`tcp://127.0.0.1:${tcpPort}`, common)],
      ['wss:// (TAK protocol 1, client certificate)', () => createTransport(`wss://localhost:${wssPort}/takproto/1`, { ...common, tls: { cert: pki.clientCert, key: pki.clientKey, ca: pki.caCert } })],
    ];
    const results = new Map<string, Round[]>(clients.map(([name]) => [name, []]));
    // Alternate the two each round, so background load on a shared machine hits both alike.
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, make] of clients) {
        const client = make();
        client.start();
        const deadline = Date.now() + 10_000;
        const ready = (): boolean => client.status().state === 'connected' && client.status().protocol === 1;
        while (!ready() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
        if (name.startsWith('tcp') && client.status().protocol !== 1) throw new Error('tcp did not switch to TAK protocol 1');
        results.get(name)?.push(await oneRound(client, sink, round));
        await client.close();
      }
    }
    for (const [name, runs] of results) {
      const rate = median(runs.map((r) => r.rate));
      rates.set(name, rate);
      rows.push([name, Math.round(rate).toLocaleString('en-US'), median(runs.map((r) => r.senderUsPerEvent)).toFixed(2), median(runs.map((r) => r.sinkUsPerEvent)).toFixed(2), runs.reduce((sum, r) => sum + r.lost, 0)]);
    }
  } finally {
    sink.stop();
    pki.cleanup();
  }
  const [tcpRate, wssRate] = [...rates.values()];
  const ratio = tcpRate && wssRate ? (wssRate / tcpRate) * 100 : 0;
  return [
    '## wss:// next to tcp:// (TAK protocol 1, loopback)',
    '',
    `${EVENTS.toLocaleString('en-US')} ATAK-style PLIs a round, median of ${ROUNDS} rounds, the two clients alternating; the sink (child process) counts frames without decoding. CPU µs per event: takd's sending process (encoding, framing, TLS for wss) and the sink. ${machine()}.`,
    '',
    table(['client', 'events/s', 'sender CPU µs/event', 'sink CPU µs/event', 'lost'], rows),
    '',
    `wss:// reaches ${ratio.toFixed(0)}% of tcp://'s rate (target ≥ 50%).`,
    '',
  ].join('\n');
}
