// Every drop counter is reported: each is provoked, then read back from what status.json
// (the snapshot as JSON) and /metrics (its Prometheus text) show. The last test does the
// same through a real `takd run` and its HTTP endpoint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'node:net';
import { once } from 'node:events';
import type { ByteLink, LinkProvider } from '../hal/contract.js';
import { findDriver } from '../hal/index.js';
import { ChunkQueue } from '../hal/links/chunk-queue.js';
import { HalLinkError } from '../hal/links/errors.js';
import { encodeXmlString } from '../daemon/codec/xml/encode.js';
import type { Component } from '../daemon/lifecycle/component.js';
import { TransportComponent } from '../daemon/lifecycle/components.js';
import { SourceComponent } from '../daemon/sources/component.js';
import { prometheusText } from '../daemon/lifecycle/metrics.js';
import type { StatusSnapshot } from '../daemon/lifecycle/status.js';
import { silentLogger } from '../daemon/log.js';
import { Router } from '../daemon/routing/router.js';
import { DurableQueue } from '../daemon/routing/store/durable-queue.js';
import { encodeEventRecord } from '../daemon/routing/store/record.js';
import { createTransport } from './support/transports.js';
import { freePort } from './support/gpsfake.js';
import { TakdProcess } from './support/daemon-process.js';
import { pli } from './support/transport-fixtures.js';
import { waitUntil } from './support/wait.js';

// Two AIS position reports (as AIS-catcher sends them).
const AIS = ['!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A', '!AIVDM,1,1,,A,16SteH0P00Jt63hHaa6SagvJ087r,0*42'];

function snapshot(components: Component[], router?: Router): StatusSnapshot {
  return {
    version: 'test',
    pid: process.pid,
    startedAt: new Date(0).toISOString(),
    uptimeSeconds: 0,
    ready: true,
    configFile: null,
    gps: { fix: 'none' },
    components: components.map((c) => c.status()),
    counters: { eventsIn: 0, eventsOut: 0, dropped: {} },
    router: router?.status() ?? { counters: { received: 0, control: 0, duplicates: 0, flowTagsStripped: 0, addressed: 0, addressedToUnknown: 0 }, outputs: [] },
  };
}

/** status.json is the snapshot as JSON; /metrics is its Prometheus text. */
function reported(snap: StatusSnapshot): { json: StatusSnapshot; metrics: string } {
  return { json: JSON.parse(JSON.stringify(snap)) as StatusSnapshot, metrics: prometheusText(snap) };
}

function sample(metrics: string, name: string, labels: string): number | undefined {
  const line = metrics.split('\n').find((l) => l.startsWith(`${name}{${labels}} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

test('a UDP output: datagrams it drops are refused (not counted as sent), and its drop counters are reported', async () => {
  const receiver = createSocket('udp4');
  const datagrams: Buffer[] = [];
  receiver.on('message', (d) => datagrams.push(d));
  await new Promise<void>((resolve) => receiver.bind(0, '127.0.0.1', resolve));
  const router = new Router({ outputs: [{ name: 'output.mesh', role: 'mesh' }] });
  const routing = { setOutput: router.setOutput.bind(router), removeOutput: router.removeOutput.bind(router) };
  // One datagram in flight at most: the rest of a burst in the same tick is dropped.
  const component = new TransportComponent('output.mesh', 'output', () => createTransport(`udp+wo://127.0.0.1:${receiver.address().port}`, { name: 'output.mesh', maxQueue: 1 }), routing);
  await component.start();
  try {
    for (let n = 0; n < 5; n += 1) router.sendTo('output.mesh', pli(n));
    router.sendTo('output.mesh', { ...pli(9), xmlDetail: `<remarks>${'z'.repeat(70_000)}</remarks>` }); // too large for a datagram
    await component.flush();
    await waitUntil(() => datagrams.length === 1, 'the one datagram sent');
    const { json, metrics } = reported(snapshot([component], router));
    const output = json.router.outputs.find((o) => o.name === 'output.mesh');
    assert.equal(output?.counters.sent, 1);
    assert.equal(output?.counters.refused, 5);
    const counters = json.components[0]?.counters;
    assert.equal(counters?.eventsSent, 1);
    assert.equal(counters?.eventsDropped, 5);
    assert.equal(counters?.ownDatagramsDropped, 0, 'reported even while zero (provoked in transport-multicast.test.ts)');
    assert.equal(sample(metrics, 'takd_output_events_total', 'output="output.mesh",reason="sent"'), 1);
    assert.equal(sample(metrics, 'takd_output_events_total', 'output="output.mesh",reason="refused"'), 5);
    assert.equal(sample(metrics, 'takd_component_counter', 'id="output.mesh",counter="eventsDropped"'), 5);
    assert.equal(sample(metrics, 'takd_component_counter', 'id="output.mesh",counter="ownDatagramsDropped"'), 0);
  } finally {
    await component.stop();
    router.stop();
    receiver.close();
  }
});

/** Links a test hands out one after another, each claiming to have dropped `dropped` datagrams. */
class DroppingLinks implements LinkProvider {
  readonly scheme = 'dropping';
  readonly opened: { link: ByteLink; queue: ChunkQueue }[] = [];

  constructor(private readonly dropped: number[]) {}

  open(): Promise<ByteLink> {
    const queue = new ChunkQueue();
    const link: ByteLink = {
      description: 'dropping link',
      dropped: this.dropped[this.opened.length] ?? 0,
      chunks: () => queue,
      write: () => Promise.resolve(),
      close: () => {
        queue.end(new HalLinkError('canceled', 'closed'));
        return Promise.resolve();
      },
    };
    this.opened.push({ link, queue });
    return Promise.resolve(link);
  }
}

test('a source: messages its queue dropped for a slow consumer, and what its links dropped across a reconnect, are reported', async () => {
  const links = new DroppingLinks([7, 2]);
  const component = new SourceComponent({
    id: 'source.ais',
    link: 'dropping://radio',
    driver: findDriver('ais') ?? assert.fail('ais is in the table'),
    providers: new Map([['dropping', links]]),
    logger: silentLogger,
    queueCapacity: 1,
    onEvent: () => undefined,
  });
  await component.start();
  try {
    await waitUntil(() => links.opened.length === 1, 'the first link open');
    // Six reports in one chunk are decoded in one go, before the consumer runs: a queue of one keeps the newest.
    links.opened[0]?.queue.push(Buffer.from(`${[...AIS, ...AIS, ...AIS].join('\n')}\n`));
    await waitUntil(() => component.status().counters.messages === 6, 'six messages decoded');
    links.opened[0]?.queue.end(new HalLinkError('disconnected', 'gone'));
    await waitUntil(() => component.status().counters.connects === 2, 'reconnected');
    const { json, metrics } = reported(snapshot([component]));
    const counters = json.components[0]?.counters;
    assert.equal(counters?.messagesDropped, 5);
    assert.equal(counters?.['link.dropped'], 9, '7 by the first link, 2 by the second');
    assert.equal(sample(metrics, 'takd_component_counter', 'id="source.ais",counter="messagesDropped"'), 5);
    assert.equal(sample(metrics, 'takd_component_counter', 'id="source.ais",counter="link.dropped"'), 9);
  } finally {
    await component.stop();
  }
});

test('a storing output: what its durable queue cut and recovered at open is reported', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'takd-reported-store-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const filling = DurableQueue.open({ dir, fsync: { mode: 'never' } });
  for (let i = 0; i < 5; i++) filling.append(1, 4102444800000, Buffer.from(`event ${i}`));
  filling.close();
  // A record torn by a crash: 20 bytes of a 27-byte record.
  appendFileSync(join(dir, '0000000000.seg'), encodeEventRecord(1, 5, 4102444800000, 7, Buffer.from('event 5')).subarray(0, 20));
  const store = DurableQueue.open({ dir, fsync: { mode: 'never' } });
  t.after(() => store.close());
  const router = new Router({ outputs: [{ name: 'output.tak', role: 'server', store }] });
  const { json, metrics } = reported(snapshot([], router));
  assert.deepEqual(json.router.outputs[0].store, { recovered: 5, tornBytes: 20, tornSegments: 1 });
  assert.equal(sample(metrics, 'takd_output_store_torn_bytes', 'output="output.tak"'), 20);
  assert.equal(sample(metrics, 'takd_output_store_torn_segments', 'output="output.tak"'), 1);
  assert.equal(sample(metrics, 'takd_output_store_recovered', 'output="output.tak"'), 5);
});

test('takd run: a UDP output that drops a burst says so in status.json and /metrics', async () => {
  const takd = new TakdProcess();
  const receiver = createSocket('udp4');
  await new Promise<void>((resolve) => receiver.bind(0, '127.0.0.1', resolve));
  const httpPort = await freePort();
  const inputPort = await freePort();
  try {
    // Unicast to loopback only: an explicit, safe output (the default would be multicast).
    takd.writeConfig([
      '[pli]', 'enabled = no',
      '[status]', `http = 127.0.0.1:${httpPort}`,
      '[input.phones]', `url = tcp+listen://127.0.0.1:${inputPort}`,
      '[output.mesh]', `url = udp+wo://127.0.0.1:${receiver.address().port}`, 'max_queue = 1',
    ].join('\n'));
    takd.start();
    await takd.waitForState('output.mesh', 'connected');
    await takd.waitForState('input.phones', 'connected');
    const phone = createConnection({ host: '127.0.0.1', port: inputPort });
    await once(phone, 'connect');
    // One write: the events arrive together and reach the output in one tick.
    phone.end(Array.from({ length: 20 }, (_, n) => encodeXmlString(pli(n), { declaration: true })).join(''));
    const output = () => takd.status()?.router.outputs.find((o) => o.name === 'output.mesh')?.counters;
    await waitUntil(() => (output()?.sent ?? 0) + (output()?.refused ?? 0) === 20, 'all 20 events accounted for in status.json');
    const refused = output()?.refused ?? 0;
    assert.ok(refused > 0, 'a burst into one datagram in flight drops some');
    assert.equal(takd.component('output.mesh')?.counters.eventsDropped, refused);
    const metrics = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
    assert.equal(sample(metrics, 'takd_output_events_total', 'output="output.mesh",reason="refused"'), refused);
    assert.equal(sample(metrics, 'takd_output_events_total', 'output="output.mesh",reason="sent"'), 20 - refused);
    assert.equal(sample(metrics, 'takd_component_counter', 'id="output.mesh",counter="eventsDropped"'), refused);
    assert.equal(await takd.stop(), 0);
  } finally {
    await takd.cleanup();
    receiver.close();
  }
});
