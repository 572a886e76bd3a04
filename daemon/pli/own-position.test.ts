// Own position as the daemon wires it: a GPS source component hands its fixes to
// OwnPosition, which reports to each PLI target; configuration decides whether the identity
// and health probes run at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CotEvent } from '../codec/event.js';
import { findDriver, MockLinkProvider, type GnssFix, type HealthSnapshot, type RegisteredDriver } from '../../hal/index.js';
import { epochSentences } from '../../hal/drivers/sim/nmea-writer.js';
import { SimTrack } from '../../hal/drivers/sim/track.js';
import { SourceComponent } from '../sources/component.js';
import { silentLogger } from '../log.js';
import { waitUntil } from '../../test/support/wait.js';
import type { LocalIdentityOptions } from './local.js';
import { FIX_FRESH_MS, OwnPosition, type OwnPositionConfig } from './own-position.js';
import { CotClock } from './time.js';

function config(pli: Partial<OwnPositionConfig['pli']> = {}, health: Partial<OwnPositionConfig['health']> = {}): OwnPositionConfig {
  return {
    identity: { uid: 'takd-run', callsign: 'RUN-1', type: 'a-f-G-U-C', team: 'Cyan', role: 'Team Member' },
    pli: { enabled: true, noFix: 'last-known', stationaryIntervalMs: 180_000, movingSlowestMs: 20_000, movingFastestMs: 2_000, maxLastKnownAgeMs: 900_000, ...pli },
    health: { battery: false, remarks: false, ...health },
  };
}

function fix(fields: Omit<GnssFix, 'sentences'>): GnssFix {
  return { ...fields, sentences: [] };
}

interface Harness {
  own: OwnPosition;
  sent: { output: string; event: CotEvent }[];
  identityProbes: LocalIdentityOptions[];
  healthProbes: number;
}

function harness(now?: () => number): Harness {
  const h: Harness = { own: undefined as unknown as OwnPosition, sent: [], identityProbes: [], healthProbes: 0 };
  h.own = new OwnPosition({
    clock: new CotClock({ isSynchronised: () => true }),
    send: (output, event) => h.sent.push({ output, event }),
    resolveIdentity: async (options) => {
      h.identityProbes.push(options);
      return { uid: options.uid ?? 'derived', callsign: options.callsign, type: 'a-f-G-U-C', team: 'Cyan', role: 'Team Member', takv: { device: 'd', os: 'o', platform: 'takd', version: '0' } };
    },
    healthProbe: async (): Promise<HealthSnapshot> => {
      h.healthProbes++;
      return { load1: 0.5, memoryUsedPercent: 40, battery: { percent: 55, charging: false } };
    },
    ...(now === undefined ? {} : { now }),
  });
  return h;
}

test('own position: a GPS source component on a mock device → PLI on every target, with stale, health remarks and the last report kept', async () => {
  const h = harness();
  const { own } = h;
  await own.configure(config({ staleMs: 120_000 }, { remarks: true }), ['output.server', 'output.mesh']);
  own.start();
  const mock = new MockLinkProvider();
  const device = mock.device('/dev/gps');
  const driver = findDriver('nmea-gnss') as RegisteredDriver;
  const source = new SourceComponent({ id: 'source.gps', link: 'mock:///dev/gps', driver, providers: new Map([['mock', mock]]), logger: silentLogger, queueCapacity: 100, onFix: own.onFix });
  try {
    await source.start();
    await waitUntil(() => device.isOpen, 'the GPS device open');
    const track = new SimTrack({ lat: 52.52, lon: 13.4, speed: 0, fixLossEverySeconds: 0 });
    const start = Date.UTC(2026, 0, 1);
    for (let s = 0; s < 3; s++) device.send(epochSentences(track.at(start + s * 1000, start)));
    await waitUntil(() => new Set(h.sent.map((s) => s.output)).size === 2, 'a PLI event on both targets');
    const first = h.sent[0].event;
    assert.equal(first.uid, 'takd-run');
    assert.ok(Math.abs(first.point.lat - 52.52) < 0.01);
    assert.equal(first.stale, first.time + 120_000);
    // remarks only: battery was not asked for.
    assert.match(first.xmlDetail ?? '', /<remarks>load 0.5, mem 40.0%, battery 55%<\/remarks>/);
    assert.equal(first.status, undefined);
    assert.equal(own.lastReport(), h.sent[h.sent.length - 1].event);
    assert.ok(Math.abs((own.currentFix()?.lat ?? 0) - 52.52) < 0.01);
    assert.ok(['2d', '3d'].includes(own.gpsState(true).fix));
  } finally {
    await source.stop();
    own.stop();
  }
});

test('own position: PLI off probes nothing and reports nothing; turning it on probes once and reports to the new targets', async () => {
  const h = harness();
  await h.own.configure(config({ enabled: false }, { battery: true, remarks: true }), ['output.server']);
  h.own.start();
  try {
    assert.equal(h.own.uid, 'takd-run');
    assert.equal(h.own.reporting, false);
    h.own.onFix(fix({ mode: 3, lat: 52.52, lon: 13.4, time: Date.now() }));
    assert.deepEqual(h.identityProbes, []);
    assert.equal(h.healthProbes, 0);
    assert.equal(h.sent.length, 0);

    await h.own.configure(config({}, { battery: true, remarks: true }), ['output.mesh']);
    assert.equal(h.own.reporting, true);
    assert.equal(h.identityProbes.length, 1);
    assert.equal(h.healthProbes, 1);
    await new Promise((resolve) => setImmediate(resolve));
    h.own.onFix(fix({ mode: 3, lat: 52.53, lon: 13.41, time: Date.now() }));
    assert.deepEqual(h.sent.map((s) => s.output), ['output.mesh']);
    assert.equal(h.sent[0].event.status?.battery, 55);

    // Health values that are not wanted are not probed for.
    await h.own.configure(config({}, { battery: false, remarks: false }), ['output.mesh']);
    assert.equal(h.healthProbes, 1);
  } finally {
    h.own.stop();
  }
});

test('own position: the fix state for status and the current fix for the beacon follow the fix age', () => {
  let now = 1_000_000;
  const { own } = harness(() => now);
  assert.deepEqual(own.gpsState(false), { fix: 'none' });
  assert.deepEqual(own.gpsState(true), { fix: 'no-fix' });
  own.onFix(fix({ mode: 1 }));
  assert.deepEqual(own.gpsState(true), { fix: 'no-fix' });
  assert.equal(own.currentFix(), undefined);
  own.onFix(fix({ mode: 3, lat: 52.5, lon: 13.4 }));
  assert.deepEqual(own.gpsState(true), { fix: '3d', ageSeconds: 0, lat: 52.5, lon: 13.4 });
  now += FIX_FRESH_MS;
  assert.equal(own.currentFix()?.lat, 52.5);
  now += 1;
  assert.deepEqual(own.gpsState(true), { fix: 'no-fix', ageSeconds: 10, lat: 52.5, lon: 13.4 });
  assert.equal(own.currentFix(), undefined);
  own.onFix(fix({ mode: 2, lat: 52.6, lon: 13.5 }));
  assert.equal(own.gpsState(true).fix, '2d');
});
