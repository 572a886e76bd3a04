// Store-and-forward across a crash: a gateway process (router + durable queue + TCP output,
// as takd runs them) is killed with SIGKILL during a server outage and started again; the
// persisted chat, markers and emergencies still arrive, once each, in priority order,
// without those that went stale meanwhile. The second test also tears the queue's last
// record by hand before the restart: it is detected by its checksum and the rest delivered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CotEvent } from '../daemon/codec/event.js';
import { encodeXmlString } from '../daemon/codec/xml/encode.js';
import { CapturingServer, makeEvent, waitUntil } from './support/routing.js';

const moduleUrl = (path: string) => JSON.stringify(new URL(`../daemon/${path}`, import.meta.url).href);

/** The gateway: events as XML lines on stdin, published as if from the mesh; status lines on stdout. */
const GATEWAY = `
  import { createInterface } from 'node:readline';
  import { XmlEventDecoder } from ${moduleUrl('codec/xml/decode.js')};
  import { Router } from ${moduleUrl('routing/router.js')};
  import { DurableQueue } from ${moduleUrl('routing/store/durable-queue.js')};
  import { openTransport } from ${moduleUrl('transports/index.js')};
  const store = DurableQueue.open({ dir: process.env.QUEUE_DIR, fsync: { mode: 'interval', intervalMs: 1000 } });
  const client = await openTransport('tcp://127.0.0.1:' + process.env.SERVER_PORT, { name: 'server', backoff: { initialMs: 50, maxMs: 200, jitter: 0 }, pingAfterMs: 0, idleTimeoutMs: 0 });
  const router = new Router({ outputs: [{ target: client, role: 'server', store }], pumpIntervalMs: 20 });
  const report = () => {
    const output = router.status().outputs[0];
    process.stdout.write(JSON.stringify({ stored: output.counters.stored, stale: output.counters.stale, sent: output.counters.sent, pending: output.pending, recovered: store.counters.recovered, tornBytes: store.counters.tornBytes }) + '\\n');
  };
  client.start();
  router.start();
  setInterval(report, 50);
  const decoder = new XmlEventDecoder();
  createInterface({ input: process.stdin }).on('line', (line) => {
    router.publish(decoder.decode(line), { id: 'mesh', role: 'mesh' });
    report();
  });
`;

interface GatewayReport {
  stored: number;
  stale: number;
  sent: number;
  pending: number;
  recovered: number;
  tornBytes: number;
}

class Gateway {
  readonly child: ChildProcessWithoutNullStreams;
  last: GatewayReport | undefined;

  constructor(dir: string, port: number) {
    this.child = spawn(process.execPath, ['--input-type=module', '-e', GATEWAY], { env: { ...process.env, QUEUE_DIR: dir, SERVER_PORT: String(port) } });
    let text = '';
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => {
      text += chunk;
      const lines = text.split('\n');
      text = lines.pop() ?? '';
      if (lines.length > 0) this.last = JSON.parse(lines[lines.length - 1]) as GatewayReport;
    });
    this.child.stderr.pipe(process.stderr);
  }

  publish(events: CotEvent[]): void {
    for (const event of events) this.child.stdin.write(`${encodeXmlString(event)}\n`);
  }

  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const closed = new Promise((resolve) => this.child.once('close', resolve));
    this.child.kill('SIGKILL');
    await closed;
  }
}

/** What the box holds when it is killed: emergencies, chat, markers, PLI, and a chat that goes stale. */
function outageTraffic(): { events: CotEvent[]; expected: string[] } {
  const now = Date.now();
  const day = 86_400_000;
  const events: CotEvent[] = [];
  for (let i = 0; i < 10; i++) {
    events.push(makeEvent(`MARKER-${i}`, 'a-h-G', now + i, { how: 'h-g-i-g-o', stale: now + day }));
    events.push(makeEvent(`CHAT-${i}`, 'b-t-f', now + i, { stale: now + day }));
    events.push(makeEvent(`PLI-${i % 5}`, 'a-f-G-U-C', now + i, { stale: now + day }));
  }
  events.push(makeEvent('CHAT-SHORT', 'b-t-f', now, { stale: now + 3_000 }));
  events.push(makeEvent('SOS-1', 'b-a-o-tbl', now + 20, { how: 'h-e', stale: now + day }));
  const expected = ['SOS-1', ...Array.from({ length: 10 }, (_, i) => `CHAT-${i}`), ...Array.from({ length: 10 }, (_, i) => `MARKER-${i}`)];
  return { events, expected };
}

async function crashAndRestart(t: { after(fn: () => Promise<void>): void }, tear: boolean): Promise<{ server: CapturingServer; expected: string[]; report: GatewayReport }> {
  const dir = mkdtempSync(join(tmpdir(), 'takd-restart-'));
  const server = new CapturingServer();
  const port = await server.listen();
  await server.cut(); // the server is down from the start
  const gateways: Gateway[] = [];
  t.after(async () => {
    for (const gateway of gateways) await gateway.kill();
    await server.cut();
    rmSync(dir, { recursive: true, force: true });
  });

  const first = new Gateway(dir, port);
  gateways.push(first);
  const { events, expected } = outageTraffic();
  first.publish(events);
  // CHAT-SHORT is normally stored and skipped on replay; on a very slow machine it may be stale on arrival already.
  await waitUntil(() => first.last !== undefined && first.last.stored + first.last.stale === expected.length + 1, 'the gateway stored the outage traffic');
  await first.kill();
  if (tear) {
    const segments = readdirSync(dir).filter((name) => name.endsWith('.seg')).sort();
    // A record header that promises 500 bytes, followed by only 40: a write cut short.
    const torn = Buffer.alloc(48);
    torn.writeUInt32LE(500, 0);
    appendFileSync(join(dir, segments[segments.length - 1]), torn);
  }
  await waitUntil(() => Date.now() > events[events.length - 2].stale + 100, 'CHAT-SHORT is stale');

  await server.listen(port);
  const second = new Gateway(dir, port);
  gateways.push(second);
  // Done when nothing waits and the server has every event the router sent: a duplicate would
  // show as one more arrival (and fail the test), not be cut off by a fixed wait.
  const settled = (): boolean => second.last !== undefined && second.last.pending === 0 && server.arrivals.length === second.last.sent;
  await waitUntil(() => server.arrivals.length >= expected.length && settled(), 'the persisted events arrived, and all the router sent');
  return { server, expected, report: second.last as GatewayReport };
}

test('takd killed with SIGKILL during an outage: after the restart the persisted events still arrive', async (t) => {
  const { server, expected, report } = await crashAndRestart(t, false);
  assert.deepEqual(server.uids(), expected, 'once each, emergency first, then chat, then markers; no stale chat; PLI is not persisted');
  assert.ok(report.recovered >= expected.length, `recovered ${report.recovered}: the persisted events, and the stale chat if it was stored`);
  for (const { event, receivedAt } of server.arrivals) assert.ok(event.stale > receivedAt);
});

test('a torn write at the end of the queue file is detected and the rest is delivered', async (t) => {
  const { server, expected, report } = await crashAndRestart(t, true);
  assert.equal(report.tornBytes, 48);
  assert.deepEqual(server.uids(), expected);
});
