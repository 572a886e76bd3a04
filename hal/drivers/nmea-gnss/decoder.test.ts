import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GnssFix } from '../../contract.js';
import { NmeaGnssDecoder } from './decoder.js';
import { GPS_ROLLOVER_MS } from './date-tracker.js';
import { sentence } from '../sim/nmea-writer.js';

/** Feeds sentence bodies (checksums added) and returns the fixes emitted after each one. */
function run(decoder: NmeaGnssDecoder, bodies: string[]): GnssFix[][] {
  return bodies.map((body) => {
    const out: GnssFix[] = [];
    decoder.decode(sentence(body).trim(), (fix) => out.push(fix));
    return out;
  });
}

function all(decoder: NmeaGnssDecoder, bodies: string[]): GnssFix[] {
  const fixes = run(decoder, bodies).flat();
  decoder.flush((fix) => fixes.push(fix));
  return fixes;
}

const epoch = (t: string, date = '311214'): string[] => [
  `GPGGA,${t},3747.0873,S,17518.8938,E,1,08,1.1,59.9,M,23.7,M,,0000`,
  'GPGSA,A,3,17,28,06,01,30,20,26,13,,,,,1.8,1.1,1.5',
  `GPRMC,${t},A,3747.0873,S,17518.8938,E,10.0,181.39,${date},,,A`,
];

test('nmea: one fix per epoch with HAE = MSL + geoid separation and speed in m/s', () => {
  const fixes = all(new NmeaGnssDecoder(), [...epoch('030719.000'), ...epoch('030720.000')]);
  assert.equal(fixes.length, 2);
  const [fix] = fixes;
  assert.equal(fix.mode, 3);
  assert.equal(fix.time, Date.UTC(2014, 11, 31, 3, 7, 19));
  assert.ok(Math.abs((fix.lat ?? 0) - -37.784788333) < 1e-9);
  assert.ok(Math.abs((fix.lon ?? 0) - 175.314896667) < 1e-9);
  assert.equal(fix.altMSL, 59.9);
  assert.equal(fix.altHAE, 83.6);
  assert.ok(Math.abs((fix.speed ?? 0) - 10 * 0.514444) < 1e-4);
  assert.equal(fix.track, 181.39);
  assert.deepEqual(fix.sentences, ['GGA', 'GSA', 'RMC']);
});

test('nmea: once the cycle is learnt, the fix goes out at the epoch\'s last sentence', () => {
  const decoder = new NmeaGnssDecoder();
  const outputs = run(decoder, [...epoch('030719.000'), ...epoch('030720.000'), ...epoch('030721.000')]);
  // First epoch: ends when the time changes (at the next GGA). Later epochs: right at RMC.
  assert.deepEqual(outputs.map((o) => o.length), [0, 0, 0, 1, 0, 1, 0, 0, 1]);
  assert.equal(outputs[8][0].time, Date.UTC(2014, 11, 31, 3, 7, 21));
});

test('nmea: a sentence of the same epoch after the learnt end updates the fix (re-emitted)', () => {
  const decoder = new NmeaGnssDecoder();
  const fixes = all(decoder, [
    ...epoch('030719.000'), ...epoch('030720.000'),
    'GPVTG,90.0,T,,M,2.0,N,3.7,K,A', // no time: goes to the next epoch
    ...epoch('030721.000'),
    'GPGST,030721.000,1.0,2.0,1.0,0.0,1.5,2.0,3.0', // same time, after RMC
  ]);
  const last = fixes.filter((f) => f.time === Date.UTC(2014, 11, 31, 3, 7, 21));
  assert.equal(last.length, 2);
  assert.equal(last[1].eph, 5); // 2 × hypot(1.5, 2.0): from GST
  assert.equal(last[1].epv, 6);
  assert.equal(last[0].eph, 8.8); // 2 × HDOP 1.1 × 4 m: from DOP
});

test('nmea: any talker (GN, GL, GA, GB, BD, GQ, QZ) decodes the same', () => {
  for (const talker of ['GN', 'GL', 'GA', 'GB', 'BD', 'GQ', 'QZ']) {
    const fixes = all(new NmeaGnssDecoder(), epoch('030719.000').map((b) => talker + b.slice(2)));
    assert.equal(fixes.length, 1, talker);
    assert.equal(fixes[0].mode, 3, talker);
  }
});

test('nmea: no fix → mode 1 and no position, even where the sentence repeats a stale one', () => {
  const fixes = all(new NmeaGnssDecoder(), [
    'GPRMC,175800,V,5125.8697,N,00524.2288,E,0.0000,0.000,200610,,',
    'GPGSA,A,1,,,,,,,,,,,,,,,,',
  ]);
  assert.equal(fixes.length, 1);
  assert.equal(fixes[0].mode, 1);
  assert.equal(fixes[0].lat, undefined);
  assert.equal(fixes[0].lon, undefined);
});

test('nmea: GGA without altitude is 2D; RMC alone is 2D; DGPS and RTK status from GGA quality', () => {
  const [twoD] = all(new NmeaGnssDecoder(), ['GPGGA,120000,4500.000,N,00700.000,E,1,04,2.0,,M,,M,,']);
  assert.equal(twoD.mode, 2);
  assert.equal(twoD.altMSL, undefined);
  const [rmcOnly] = all(new NmeaGnssDecoder(), ['GPRMC,205206.00,A,4405.556,N,12118.398,W,000.0,000.0,090605,0.0,E']);
  assert.equal(rmcOnly.mode, 2);
  const [dgps] = all(new NmeaGnssDecoder(), ['GPGGA,120000,4500.000,N,00700.000,E,2,09,0.9,100.0,M,48.0,M,1,0001']);
  assert.equal(dgps.status, 2);
  const [rtk] = all(new NmeaGnssDecoder(), ['GNGGA,120000,4500.000,N,00700.000,E,4,20,0.5,100.0,M,48.0,M,1,0001']);
  assert.equal(rtk.status, 3);
});

test('nmea: the date moves on at midnight between RMCs', () => {
  const fixes = all(new NmeaGnssDecoder(), [
    'GPRMC,235959.00,A,4500.000,N,00700.000,E,0.0,0.0,311299,,,A',
    'GPGGA,000000.00,4500.000,N,00700.000,E,1,08,1.0,10.0,M,1.0,M,,',
    'GPGGA,000001.00,4500.000,N,00700.000,E,1,08,1.0,10.0,M,1.0,M,,',
  ]);
  assert.deepEqual(fixes.map((f) => new Date(f.time ?? 0).toISOString()), [
    '1999-12-31T23:59:59.000Z',
    '2000-01-01T00:00:00.000Z',
    '2000-01-01T00:00:01.000Z',
  ]);
});

test('nmea: two-digit years: 80-99 are 19xx, 00-79 are 20xx; ZDA gives four digits', () => {
  const [old] = all(new NmeaGnssDecoder(), ['GPRMC,120000,A,4500.000,N,00700.000,E,0.0,0.0,010185,,']);
  assert.equal(new Date(old.time ?? 0).getUTCFullYear(), 1985);
  const [recent] = all(new NmeaGnssDecoder(), ['GPRMC,120000,A,4500.000,N,00700.000,E,0.0,0.0,010179,,']);
  assert.equal(new Date(recent.time ?? 0).getUTCFullYear(), 2079);
  const [zda] = all(new NmeaGnssDecoder(), ['GPZDA,193913.00,07,09,2018,00,00']);
  assert.equal(zda.time, Date.UTC(2018, 8, 7, 19, 39, 13));
});

test('nmea: no time until a date is known', () => {
  const [fix] = all(new NmeaGnssDecoder(), ['GPGGA,120000,4500.000,N,00700.000,E,1,04,2.0,100,M,48,M,,']);
  assert.equal(fix.time, undefined);
  assert.equal(fix.mode, 3);
});

test('nmea: GPS week rollover undone when the receiver reports a date before notBefore', () => {
  const notBefore = Date.UTC(2020, 0, 1);
  // A receiver with a 10-bit week counter that reports 1024 weeks in the past.
  const reported = Date.UTC(2024, 5, 1, 12) - GPS_ROLLOVER_MS;
  const d = new Date(reported);
  const ddmmyy = `${String(d.getUTCDate()).padStart(2, '0')}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCFullYear() % 100).padStart(2, '0')}`;
  const [fix] = all(new NmeaGnssDecoder({ notBefore }), [`GPRMC,120000,A,4500.000,N,00700.000,E,0.0,0.0,${ddmmyy},,`]);
  assert.equal(fix.time, Date.UTC(2024, 5, 1, 12));
});

test('nmea: VTG in NMEA 1.5 and 2.x forms gives speed in m/s', () => {
  const modern = all(new NmeaGnssDecoder(), ['GPGGA,120000,4500.000,N,00700.000,E,1,04,2.0,100,M,48,M,,', 'GPVTG,90.0,T,,M,10.0,N,18.5,K,A']);
  assert.ok(Math.abs((modern[0].speed ?? 0) - 5.14444) < 1e-4);
  const old = all(new NmeaGnssDecoder(), ['GPGGA,120000,4500.000,N,00700.000,E,1,04,2.0,100,M,48,M,,', 'GPVTG,90.0,,10.0,18.52']);
  assert.ok(Math.abs((old[0].speed ?? 0) - 5.14444) < 1e-4);
  assert.equal(old[0].track, 90);
});

test('nmea: malformed, proprietary and unknown sentences are counted, never thrown', () => {
  const decoder = new NmeaGnssDecoder();
  const fixes: GnssFix[] = [];
  for (const input of ['', 'GPGGA', '$', '$GP', '$GPGGA', '$GPGGA,,,,,,,,,,', '$PUBX,00*33', '$GPXYZ,1,2*00', '$GPRMC,1,X*00', '$GPGGA,99999999,abc,N']) {
    decoder.decode(input, (f) => fixes.push(f));
  }
  decoder.flush((f) => fixes.push(f));
  assert.equal(decoder.counters.malformed, 5); // no address or no comma after it
  assert.equal(decoder.counters.ignored, 2);
  assert.ok(decoder.counters.unusable >= 2);
  for (const fix of fixes) assert.ok(fix.lat === undefined, 'no position from garbage');
});
