// gpsd end to end: Debian's gpsd, fed by gpsfake with a corpus capture on a loopback port,
// read by takd's gpsd source; the PLI reports it produces carry the capture's fixes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CotEvent } from '../daemon/codec/event.js';
import { CotClock, PliReporter, type PliIdentity } from '../daemon/pli/index.js';
import { defaultLinkProviders, startSource } from '../hal/index.js';
import { gpsdDriver } from '../hal/drivers/gpsd/index.js';
import { decodeCapture } from './support/gnss-golden.js';
import { Gpsfake, freePort, gpsfakeUnavailableReason } from './support/gpsfake.js';
import { gnssCorpusDir } from './support/paths.js';

// Recorded in 2020: after the 2019 GPS week rollover, so Debian's gpsd 3.22 dates it right.
const CAPTURE = 'quectel.log';
const WANTED_REPORTS = 8;

const identity: PliIdentity = {
  uid: 'takd-gpsd-e2e', callsign: 'GPSD-1', type: 'a-f-G-U-C', team: 'Cyan', role: 'Team Member',
  takv: { device: 'test', os: 'test', platform: 'takd', version: '0' },
};

test('gpsd e2e: gpsfake → gpsd → takd gpsd source → PLI with the capture\'s fixes', { skip: gpsfakeUnavailableReason(), timeout: 60_000 }, async (t) => {
  const capturePath = join(gnssCorpusDir, CAPTURE);
  const expected = decodeCapture(readFileSync(capturePath)).filter((f) => f.time !== undefined && f.lat !== undefined);
  const byTime = new Map(expected.map((f) => [f.time as number, f]));
  const gpsfake = new Gpsfake(capturePath, await freePort());
  await gpsfake.start();
  const source = startSource({ id: 'source.gps', url: `tcp://127.0.0.1:${gpsfake.port}`, driver: gpsdDriver, providers: defaultLinkProviders() });
  const reports: CotEvent[] = [];
  // An unsynchronised clock with a zero threshold makes CoT times GPS times: reports can be matched by time.
  const reporter = new PliReporter({
    identity,
    outputs: [{ name: 'output.test', reporting: { stationaryIntervalMs: 1, movingSlowestMs: 1, movingFastestMs: 1 } }],
    clock: new CotClock({ isSynchronised: () => false, thresholdMs: 0 }),
    send: (_output, event) => reports.push(event),
  });
  try {
    const times = new Set<number>();
    for await (const fix of source.messages()) {
      if (fix.time === undefined) continue; // gpsd's first TPVs, before it knows the date: nothing to match
      reporter.onFix(fix);
      for (const report of reports) times.add(Math.round(report.time / 1000) * 1000);
      if (times.size >= WANTED_REPORTS) break;
    }
    let matched = 0;
    for (const report of reports) {
      const fix = byTime.get(Math.round(report.time / 1000) * 1000);
      assert.ok(fix !== undefined, `no capture fix at ${new Date(report.time).toISOString()}`);
      assert.ok(Math.abs(report.point.lat - (fix.lat ?? 0)) < 1e-6, 'lat');
      assert.ok(Math.abs(report.point.lon - (fix.lon ?? 0)) < 1e-6, 'lon');
      assert.ok(Math.abs(report.point.hae - (fix.altHAE ?? 0)) < 0.1, 'hae');
      matched++;
    }
    t.diagnostic(`${matched} PLI reports from gpsd matched the capture's fixes (${times.size} epochs); source: ${source.status().detail}`);
    assert.ok(matched >= WANTED_REPORTS);
    assert.equal(source.status().decoder.malformed, 0);
  } finally {
    await source.stop();
    await gpsfake.stop();
  }
});
