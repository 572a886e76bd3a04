import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CotEvent } from '../codec/event.js';
import { createLogger } from '../log.js';
import { makeEvent } from '../../test/support/routing.js';
import { loadConfig } from '../../config/loader.js';
import { viewConfig, type TakdConfig } from '../../config/view.js';
import { RoutingStage } from './routing-stage.js';

const logger = createLogger({ level: 'silent', format: 'json', repeatIntervalMs: 0 });

function config(...settings: string[]): TakdConfig {
  const args = settings.flatMap((s) => ['--set', s]);
  return viewConfig(loadConfig({ args, env: {}, defaultFile: '/nonexistent/takd.ini' }).config);
}

/** An output that is always up and records what it is given. */
function recorder(name: string): { name: string; sent: CotEvent[]; send(event: CotEvent): boolean; flush(): Promise<void> } {
  const sent: CotEvent[] = [];
  return { name, sent, send: (event) => (sent.push(event), true), flush: () => Promise.resolve() };
}

const chat = (uid: string): CotEvent => makeEvent(uid, 'b-t-f', Date.now(), { how: 'h-g-i-g-o' });

test('routing config: pli = false keeps our own reports off, store defaults on for servers only', () => {
  const c = config('output.server.url=tcp://127.0.0.1:9', 'output.mesh.url=udp://239.2.3.1:6969', 'output.mesh.pli=false', 'output.mesh.bbox=38,-106,41,-104', 'output.server.fsync=never');
  const server = c.outputs.find((o) => o.id === 'output.server');
  const mesh = c.outputs.find((o) => o.id === 'output.mesh');
  assert.deepEqual(server?.routing.store, { maxBytes: 64 * 2 ** 20, fsync: { mode: 'never' } });
  assert.equal(mesh?.routing.store, undefined);
  assert.deepEqual(mesh?.routing.filter.excludeFrom, ['self']);
  assert.deepEqual(mesh?.routing.filter.bbox, { south: 38, west: -106, north: 41, east: -104 });
});

test('a reload that changes routing keeps the durable queue and re-attaches the transports', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'takd-stage-'));
  try {
    const stage = new RoutingStage(logger, { STATE_DIRECTORY: stateDir });
    const before = config('output.server.url=tcp://127.0.0.1:9', 'input.phones.url=tcp+listen://127.0.0.1:9');
    stage.configure(before);
    // The server is down (nothing attached): the chat goes to its durable queue.
    stage.publish(chat('chat-1'), 'input.phones');
    assert.equal(stage.status().outputs[0]?.stored, 1);

    const after = config('output.server.url=tcp://127.0.0.1:9', 'output.server.exclude_types=a-', 'input.phones.url=tcp+listen://127.0.0.1:9');
    stage.configure(after);
    assert.equal(stage.status().outputs[0]?.stored, 1, 'the queue was handed to the new router');

    const server = recorder('output.server');
    stage.setOutput('output.server', server);
    assert.deepEqual(server.sent.map((e) => e.uid), ['chat-1']);
    stage.publish(makeEvent('pos-1', 'a-f-G-U-C', Date.now()), 'input.phones');
    assert.deepEqual(server.sent.map((e) => e.uid), ['chat-1'], 'the new filter applies');

    // Unchanged configuration: same router, the attached transport stays.
    stage.configure(after);
    stage.publish(chat('chat-2'), 'input.phones');
    assert.deepEqual(server.sent.map((e) => e.uid), ['chat-1', 'chat-2']);
    stage.close();
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
});

test('stopping spills waiting events to the queue; the next start delivers them', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'takd-stage-'));
  try {
    const settings = config('output.server.url=tcp://127.0.0.1:9', 'output.server.rate_events=1', 'input.phones.url=tcp+listen://127.0.0.1:9');
    const first = new RoutingStage(logger, { STATE_DIRECTORY: stateDir });
    first.configure(settings);
    const server = recorder('output.server');
    first.setOutput('output.server', server);
    for (let i = 0; i < 3; i++) first.publish(chat(`chat-${i}`), 'input.phones');
    // One event per minute, burst of one: the rest wait in memory.
    assert.equal(server.sent.length, 1);
    first.removeOutput('output.server', server);
    first.close();

    const second = new RoutingStage(logger, { STATE_DIRECTORY: stateDir });
    second.configure(config('output.server.url=tcp://127.0.0.1:9', 'input.phones.url=tcp+listen://127.0.0.1:9'));
    assert.equal(second.status().outputs[0]?.stored, 2);
    const again = recorder('output.server');
    second.setOutput('output.server', again);
    assert.deepEqual(again.sent.map((e) => e.uid), ['chat-1', 'chat-2']);
    second.close();
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
});

test('with an unsynchronised clock, staleness follows the same GPS time the reports carry', async () => {
  const { CotClock } = await import('../pli/index.js');
  const gpsTime = Date.UTC(2014, 5, 1, 12); // a replayed capture, or a Pi whose clock is years off
  const clock = new CotClock({ isSynchronised: () => false });
  clock.observeGpsTime(gpsTime);
  const stateDir = mkdtempSync(join(tmpdir(), 'takd-stage-'));
  try {
    const stage = new RoutingStage(logger, { STATE_DIRECTORY: stateDir }, clock);
    stage.configure(config('output.mesh.url=udp://239.2.3.1:6969'));
    const mesh = recorder('output.mesh');
    stage.setOutput('output.mesh', mesh);
    const report = makeEvent('self-1', 'a-f-G-U-C', clock.now());
    stage.sendTo('output.mesh', report);
    assert.deepEqual(mesh.sent.map((e) => e.uid), ['self-1'], 'a report stamped with GPS time is not stale by GPS time');
    stage.close();
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
});

test('phones on a receive-only listener (tcp+listen+ro) are peers: their events go to the server', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'takd-stage-'));
  try {
    const stage = new RoutingStage(logger, { STATE_DIRECTORY: stateDir });
    stage.configure(config('output.server.url=tcp://127.0.0.1:9', 'output.mesh.url=udp://239.2.3.1:6969', 'input.phones.url=tcp+listen+ro://127.0.0.1:9'));
    const server = recorder('output.server');
    const mesh = recorder('output.mesh');
    stage.setOutput('output.server', server);
    stage.setOutput('output.mesh', mesh);
    stage.publish(chat('chat-1'), 'input.phones');
    assert.deepEqual(server.sent.map((e) => e.uid), ['chat-1'], 'from phones to the TAK server');
    assert.deepEqual(mesh.sent.map((e) => e.uid), ['chat-1'], 'and to Mesh SA');
    stage.close();
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
});

test('a receive-only output (+ro) gets no router output and no durable queue, whatever its role', () => {
  const c = config('output.feed.url=tcp+ro://127.0.0.1:9', 'output.feed.store=true', 'output.phones.url=tls+listen+ro://127.0.0.1:9');
  for (const output of c.outputs) assert.equal(output.routing.store, undefined, output.id);
  const stateDir = mkdtempSync(join(tmpdir(), 'takd-stage-'));
  try {
    const stage = new RoutingStage(logger, { STATE_DIRECTORY: stateDir });
    stage.configure(c);
    assert.deepEqual(stage.status().outputs, []);
    stage.close();
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
});
