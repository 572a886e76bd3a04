// The status publisher: one snapshot behind status.json, the HTTP endpoint and systemd's
// READY/STATUS/RELOADING/STOPPING, each published at the point of the daemon's life it is told.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../log.js';
import { newOutputCounters, newRouterCounters } from '../routing/counters.js';
import type { RouterStatus } from '../routing/router.js';
import { freePort } from '../../test/support/gpsfake.js';
import { waitUntil } from '../../test/support/wait.js';
import type { ComponentStatus } from './component.js';
import { SystemdNotifier } from './notify.js';
import { StatusPublisher } from './status-publisher.js';
import type { GpsState, StatusSnapshot } from './status.js';

function router(sent: number[], received: number): RouterStatus {
  const counters = { ...newRouterCounters(), received, duplicates: 1 };
  return {
    counters,
    outputs: sent.map((n, i) => ({ name: `output.${i}`, role: 'server', up: true, pending: 0, stored: 0, counters: { ...newOutputCounters(), sent: n, stale: 2 } })),
  } as RouterStatus;
}

test('status publisher: status.json, /health, /metrics and systemd follow the daemon from start to stop', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'takd-status-'));
  const port = await freePort();
  const messages: string[] = [];
  const notifier = new SystemdNotifier({ env: { NOTIFY_SOCKET: '/run/test-notify' }, logger: silentLogger, addon: {
      notify: (_socket, message) => {
        messages.push(message);
        return 0;
      },
    },
  });
  const components: ComponentStatus[] = [
    { id: 'output.server', kind: 'output', state: 'connected', detail: 'connected', counters: {} },
    { id: 'source.gps', kind: 'source', state: 'connected', detail: 'open', counters: { messages: 3 } },
  ];
  const gps: GpsState = { fix: '3d', ageSeconds: 1, lat: 52.5, lon: 13.4 };
  const publisher = new StatusPublisher({
    version: '9.9.9',
    logger: silentLogger,
    notifier,
    systemdStatusMs: 10,
    readers: { components: () => components, router: () => router([4, 5], 7), gps: () => gps, configFile: () => '/etc/takd/takd.ini' },
  });
  const file = join(dir, 'status.json');
  const read = (): StatusSnapshot => JSON.parse(readFileSync(file, 'utf8')) as StatusSnapshot;
  try {
    assert.equal(publisher.snapshot().ready, false);
    await publisher.start({ dir, http: `127.0.0.1:${port}` });
    assert.equal(publisher.statusPath, file);
    const written = read();
    assert.equal(written.ready, true);
    assert.equal(written.version, '9.9.9');
    assert.equal(written.configFile, '/etc/takd/takd.ini');
    assert.deepEqual(written.gps, gps);
    assert.deepEqual(written.counters, { eventsIn: 7, eventsOut: 9, dropped: { duplicate: 1, stale: 4, 'too-big': 0, overflow: 0, evicted: 0 } });
    assert.deepEqual(messages[0], 'READY=1\nSTATUS=1/1 outputs up, 1 sources, GPS 3d, 9 events out');

    const health = await fetch(`http://127.0.0.1:${port}/health`);
    assert.equal(health.status, 200);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    assert.match(metrics, /^takd_gps_fix 3$/m);
    // The process itself: memory, heap, handles and CPU, for a soak or an operator to watch.
    assert.ok((written.process?.rssBytes ?? 0) > 0 && (written.process?.heapUsedBytes ?? 0) > 0 && (written.process?.activeResources ?? 0) > 0);
    assert.match(metrics, /^takd_process_resident_memory_bytes \d+$/m);
    assert.match(metrics, /^takd_process_active_resources \d+$/m);
    assert.match(metrics, /^takd_process_cpu_seconds_total\{mode="user"\} [\d.]+$/m);

    // A STATUS line when the summary changes, once per change.
    components[0] = { ...components[0], state: 'retrying', detail: 'retrying in 1 s' };
    await waitUntil(() => messages.includes('STATUS=0/1 outputs up, 1 sources, GPS 3d, 9 events out'), 'STATUS after the output went down');
    assert.equal((await fetch(`http://127.0.0.1:${port}/health`)).status, 503);
    gps.fix = 'no-fix';
    await waitUntil(() => messages.includes('STATUS=0/1 outputs up, 1 sources, GPS no-fix, 9 events out'), 'STATUS after the fix was lost');
    assert.equal(messages.filter((m) => m === 'STATUS=0/1 outputs up, 1 sources, GPS 3d, 9 events out').length, 1);

    publisher.reloading();
    assert.match(messages[messages.length - 1], /^RELOADING=1\nMONOTONIC_USEC=\d+$/);
    publisher.reloaded();
    assert.equal(messages[messages.length - 1], 'READY=1\nSTATUS=0/1 outputs up, 1 sources, GPS no-fix, 9 events out');

    publisher.stopping();
    assert.equal(messages[messages.length - 1], 'STOPPING=1');
    const afterStopping = messages.length;
    components[0] = { ...components[0], state: 'connected' };
    await publisher.stopped();
    assert.equal(read().ready, false);
    await assert.rejects(fetch(`http://127.0.0.1:${port}/health`));
    assert.equal(messages.length, afterStopping, 'no STATUS after STOPPING');
  } finally {
    publisher.stopping();
    await publisher.stopped();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('status publisher: with neither HTTP nor systemd, status.json and the snapshot still work', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'takd-status-'));
  const publisher = new StatusPublisher({
    version: '1',
    logger: silentLogger,
    notifier: new SystemdNotifier({ env: {}, logger: silentLogger }),
    readers: { components: () => [], router: () => router([], 0), gps: () => ({ fix: 'none' }), configFile: () => null },
  });
  try {
    await publisher.start({ dir });
    assert.equal((JSON.parse(readFileSync(join(dir, 'status.json'), 'utf8')) as StatusSnapshot).ready, true);
    const snapshot = publisher.snapshot();
    assert.equal(snapshot.ready, true);
    assert.equal(snapshot.configFile, null);
    assert.deepEqual(snapshot.counters, { eventsIn: 0, eventsOut: 0, dropped: { duplicate: 1, stale: 0, 'too-big': 0, overflow: 0, evicted: 0 } });
    assert.equal(publisher.summary(), '0/0 outputs up, 0 sources, GPS none, 0 events out');
  } finally {
    publisher.stopping();
    await publisher.stopped();
    rmSync(dir, { recursive: true, force: true });
  }
});
