// Reporting policy on a simulated clock, fed by the simulated receiver through the real
// NMEA decoder: stationary, walking, driving, altitude jump, identity change, fix loss.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CotEvent } from '../codec/event.js';
import { UNKNOWN_VALUE } from '../codec/event.js';
import { createNmeaPipeline, type GnssFix } from '../../hal/index.js';
import { epochSentences } from '../../hal/drivers/sim/nmea-writer.js';
import { SimTrack, SIM_SPEEDS } from '../../hal/drivers/sim/track.js';
import type { PliIdentity } from './identity.js';
import { ReportingPolicy, DEFAULT_REPORTING } from './policy.js';
import { PliReporter, type NoFixBehaviour, type PliOutputSchedule } from './reporter.js';
import { CotClock } from './time.js';

const START = Date.UTC(2026, 5, 1, 12, 0, 0);
const IDENTITY: PliIdentity = {
  uid: 'takd-test', callsign: 'ALPHA-1', type: 'a-f-G-U-C', team: 'Cyan', role: 'Team Member',
  takv: { device: 'Raspberry Pi 4', os: 'Debian 12', platform: 'takd', version: '0.1.0' },
};

interface Sent { output: string; event: CotEvent; reason: string; at: number }

function simulate(options: {
  seconds: number;
  track: SimTrack;
  outputs?: PliOutputSchedule[];
  noFix?: NoFixBehaviour;
  /** Changes applied to a fix before the reporter sees it. */
  alter?: (second: number, fix: GnssFix) => void;
  onSecond?: (second: number, reporter: PliReporter) => void;
}): Sent[] {
  let now = START;
  const sent: Sent[] = [];
  const reporter = new PliReporter({
    identity: IDENTITY,
    outputs: options.outputs ?? [{ name: 'output.server' }],
    noFix: options.noFix ?? 'last-known',
    clock: new CotClock({ systemNow: () => now, isSynchronised: () => true }),
    scheduleNow: () => now,
    send: (output, event, reason) => sent.push({ output, event, reason, at: now }),
  });
  const pipeline = createNmeaPipeline();
  for (let s = 0; s < options.seconds; s++) {
    options.onSecond?.(s, reporter);
    pipeline.push(Buffer.from(epochSentences(options.track.at(START + s * 1000, START)), 'latin1'), (fix) => {
      options.alter?.(s, fix);
      reporter.onFix(fix);
    });
    reporter.tick();
    now += 1000;
  }
  return sent;
}

function gapsSeconds(sent: Sent[]): number[] {
  return sent.slice(1).map((s, i) => (s.at - sent[i].at) / 1000);
}

function assertNeverStale(sent: Sent[]): void {
  for (let i = 1; i < sent.length; i++) assert.ok(sent[i].at < sent[i - 1].event.stale, `report ${i} came after the previous went stale`);
}

test('pli: stationary → one report per stationary interval (180 s), stale = 180 s × 2 + 15 s', () => {
  const sent = simulate({ seconds: 1200, track: new SimTrack({ lat: 59.91, lon: 10.75, speed: 0, fixLossEverySeconds: 0 }) });
  assert.deepEqual(gapsSeconds(sent), [180, 180, 180, 180, 180, 180]);
  assert.equal(sent[0].reason, 'first');
  assert.ok(sent.slice(1).every((s) => s.reason === 'interval'));
  assert.equal(sent[0].event.stale - sent[0].event.time, 180_000 * 2 + 15_000);
  assertNeverStale(sent);
});

test('pli: walking (1.4 m/s) → the interval shrinks linearly with speed', () => {
  const policy = new ReportingPolicy();
  const interval = policy.intervalFor(SIM_SPEEDS.walk);
  assert.ok(interval < DEFAULT_REPORTING.movingSlowestMs && interval > DEFAULT_REPORTING.movingFastestMs);
  const sent = simulate({ seconds: 600, track: new SimTrack({ lat: 59.91, lon: 10.75, speed: SIM_SPEEDS.walk, fixLossEverySeconds: 0 }) });
  const expectedGap = Math.ceil(interval / 1000); // fixes come once a second
  assert.ok(gapsSeconds(sent).every((g) => g === expectedGap), `gaps ${gapsSeconds(sent).join(',')}`);
  assert.equal(sent.length, Math.ceil(600 / expectedGap));
  assert.ok(Math.abs((sent[3].event.track?.speed ?? 0) - SIM_SPEEDS.walk) < 0.01);
  assertNeverStale(sent);
});

test('pli: driving (13.9 m/s) → fast reports, by interval or by the 100 m distance threshold', () => {
  const sent = simulate({ seconds: 300, track: new SimTrack({ lat: 40.0, lon: -105.0, speed: SIM_SPEEDS.drive, fixLossEverySeconds: 0 }) });
  const gaps = gapsSeconds(sent);
  assert.ok(gaps.every((g) => g <= 8), `gaps ${gaps.join(',')}`);
  assert.ok(sent.some((s) => s.reason === 'distance'));
  assert.ok(sent.length >= 300 / 8);
  assertNeverStale(sent);
});

test('pli: an altitude jump is reported at once', () => {
  const sent = simulate({
    seconds: 100,
    track: new SimTrack({ lat: 46.5, lon: 7.9, speed: 0, fixLossEverySeconds: 0 }),
    alter: (s, fix) => {
      if (s >= 42 && fix.altHAE !== undefined) fix.altHAE += 50; // e.g. a cable car
    },
  });
  // The first fix waits for the second epoch (the decoder learns the cycle); later ones do not.
  assert.deepEqual(sent.map((s) => [s.reason, (s.at - START) / 1000]), [['first', 1], ['altitude', 42]]);
});

test('pli: an identity change (callsign) is reported at once', () => {
  const sent = simulate({
    seconds: 30,
    track: new SimTrack({ lat: 46.5, lon: 7.9, speed: 0, fixLossEverySeconds: 0 }),
    onSecond: (s, reporter) => {
      if (s === 10) reporter.setIdentity({ ...IDENTITY, callsign: 'BRAVO-2' });
    },
  });
  assert.deepEqual(sent.map((s) => s.reason), ['first', 'identity']);
  assert.equal(sent[1].event.contact?.callsign, 'BRAVO-2');
});

test('pli: reliable and unreliable outputs keep separate schedules', () => {
  const sent = simulate({
    seconds: 600,
    track: new SimTrack({ lat: 46.5, lon: 7.9, speed: 0, fixLossEverySeconds: 0 }),
    outputs: [
      { name: 'output.server', endpoint: '*:-1:stcp' },
      { name: 'output.mesh', reporting: { stationaryIntervalMs: 60_000 }, endpoint: '192.168.1.20:4242:tcp' },
    ],
  });
  const server = sent.filter((s) => s.output === 'output.server');
  const mesh = sent.filter((s) => s.output === 'output.mesh');
  assert.equal(server.length, 4); // 0, 180, 360, 540
  assert.equal(mesh.length, 10); // every 60 s
  assert.equal(server[0].event.contact?.endpoint, '*:-1:stcp');
  assert.equal(mesh[0].event.contact?.endpoint, '192.168.1.20:4242:tcp');
});

test('pli: fix lost → last known position re-sent before stale with ce grown by age; never 0,0', () => {
  // Loss from second 30 to the end; stationary interval 20 s so that stale comes soon.
  const track = new SimTrack({ lat: 59.91, lon: 10.75, speed: 0, fixLossEverySeconds: 1000, fixLossSeconds: 970 });
  const outputs = [{ name: 'output.mesh', reporting: { stationaryIntervalMs: 20_000 } }];
  const sent = simulate({ seconds: 400, track, outputs });
  const forced = sent.filter((s) => s.reason === 'forced');
  assert.ok(forced.length >= 3);
  for (const s of sent) assert.ok(Math.abs(s.event.point.lat - 59.91) < 0.01 && s.event.point.lon !== 0);
  const ces = forced.map((s) => s.event.point.ce);
  assert.ok(ces.every((ce, i) => i === 0 || ce > ces[i - 1]), `ce grows: ${ces.join(',')}`);
  assert.ok(ces[0] < UNKNOWN_VALUE);
  assertNeverStale(sent);

  const silent = simulate({ seconds: 400, track, outputs, noFix: 'silent' });
  assert.ok(silent.every((s) => (s.at - START) / 1000 < 30), 'silent: nothing after the fix is lost');
});

test('pli: no fix from the start → nothing is sent', () => {
  const sent = simulate({ seconds: 60, track: new SimTrack({ lat: 1, lon: 1, speed: 0, fixLossEverySeconds: 100, fixLossSeconds: 100 }) });
  assert.deepEqual(sent, []);
});

test('pli clock: unsynchronised system clock far from GPS time → CoT times follow GPS time', () => {
  let system = Date.UTC(2000, 0, 1); // an RTC that lost power
  const gps = Date.UTC(2026, 5, 1, 12);
  const unsynced = new CotClock({ systemNow: () => system, isSynchronised: () => false });
  unsynced.observeGpsTime(gps);
  assert.equal(unsynced.now(), gps);
  assert.ok(unsynced.usingGpsTime);
  system += 5000;
  assert.equal(unsynced.now(), gps + 5000);
  const synced = new CotClock({ systemNow: () => system, isSynchronised: () => true });
  synced.observeGpsTime(gps);
  assert.equal(synced.now(), system);
  const close = new CotClock({ systemNow: () => gps + 500, isSynchronised: () => false });
  close.observeGpsTime(gps);
  assert.equal(close.now(), gps + 500, 'within the threshold the system clock is kept');
});
