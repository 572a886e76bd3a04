import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GnssFix } from '../../contract.js';
import { createNmeaPipeline } from '../nmea-gnss/pipeline.js';
import { epochSentences } from './nmea-writer.js';
import { SIM_SPEEDS, SimTrack } from './track.js';
import { SimLinkProvider } from './link.js';

const START = Date.UTC(2026, 5, 1, 12, 0, 0);

function decodeSeconds(track: SimTrack, seconds: number): GnssFix[] {
  const pipeline = createNmeaPipeline();
  const fixes: GnssFix[] = [];
  for (let s = 0; s < seconds; s++) {
    pipeline.push(Buffer.from(epochSentences(track.at(START + s * 1000, START)), 'latin1'), (f) => fixes.push(f));
  }
  pipeline.flush((f) => fixes.push(f));
  return fixes;
}

/** Metres between two lat/lon points (equirectangular: fine over a few hundred metres). */
function metres(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const k = (Math.PI / 180) * 6_371_000;
  return Math.hypot((lat2 - lat1) * k, (lon2 - lon1) * k * Math.cos((lat1 * Math.PI) / 180));
}

test('sim: a walking loop decodes through the real NMEA decoder to the simulated positions', () => {
  const track = new SimTrack({ lat: 59.9139, lon: 10.7522, speed: SIM_SPEEDS.walk, fixLossEverySeconds: 0 });
  const fixes = decodeSeconds(track, 120);
  assert.equal(fixes.length, 120);
  for (const [i, fix] of fixes.entries()) {
    const truth = track.at(START + i * 1000, START);
    assert.equal(fix.time, truth.time);
    assert.equal(fix.mode, 3);
    assert.ok(metres(fix.lat ?? 0, fix.lon ?? 0, truth.lat, truth.lon) < 0.05, `second ${i}`);
    assert.ok(Math.abs((fix.speed ?? 0) - SIM_SPEEDS.walk) < 0.001);
    assert.ok(Math.abs((fix.altHAE ?? 0) - (truth.altMSL + truth.geoidSep)) < 0.06);
    assert.deepEqual(fix.sentences, ['GGA', 'GSA', 'GSV', 'GSV', 'GSV', 'RMC']);
  }
  // Consecutive fixes are one second of walking apart.
  const step = metres(fixes[10].lat ?? 0, fixes[10].lon ?? 0, fixes[11].lat ?? 0, fixes[11].lon ?? 0);
  assert.ok(Math.abs(step - SIM_SPEEDS.walk) < 0.05, `step ${step} m`);
});

test('sim: driving with a fix loss: no position while lost, then the fix returns', () => {
  const track = new SimTrack({ lat: -33.86, lon: 151.21, speed: SIM_SPEEDS.drive, fixLossEverySeconds: 60, fixLossSeconds: 5 });
  const fixes = decodeSeconds(track, 130);
  const lost = fixes.filter((f) => f.mode === 1);
  assert.equal(lost.length, 10); // seconds 55-59 and 115-119
  for (const fix of lost) assert.equal(fix.lat, undefined);
  assert.equal(fixes[60].mode, 3);
  assert.ok(Math.abs((fixes[60].speed ?? 0) - SIM_SPEEDS.drive) < 0.001);
});

test('sim link: writes one epoch per tick for the injected clock, until closed', async () => {
  let now = START;
  const provider = new SimLinkProvider(() => now);
  const link = await provider.open({ url: new URL('sim://?lat=51.5&lon=-0.12&speed=drive&rate=50') });
  const pipeline = createNmeaPipeline();
  const fixes: GnssFix[] = [];
  for await (const chunk of link.chunks()) {
    pipeline.push(chunk, (f) => fixes.push(f));
    now += 20;
    if (fixes.length >= 3) break;
  }
  await link.close();
  assert.ok(fixes.every((f) => f.mode === 3 && Math.abs((f.lat ?? 0) - 51.5) < 0.05));
  await assert.rejects(provider.open({ url: new URL('sim://?speed=fast') }));
});
