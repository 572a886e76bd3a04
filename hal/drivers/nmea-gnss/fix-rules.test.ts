// One test per row of rules.md: a sentence (or a short epoch) built from the NMEA 0183 field
// definitions, decoded, and the fix's mode and status checked against the row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FixMode, GnssFix } from '../../contract.js';
import { sentence } from '../sim/nmea-writer.js';
import { NmeaGnssDecoder } from './decoder.js';
import { gga, gll, gns, gsa, rmc } from './fixtures.js';

/** Decodes one epoch's sentence bodies (after `before`, a previous epoch) and returns the epoch's last fix. */
function decodeEpoch(bodies: string[], before: string[] = []): GnssFix {
  const decoder = new NmeaGnssDecoder();
  const fixes: GnssFix[] = [];
  for (const body of [...before, ...bodies]) decoder.decode(sentence(body).trim(), (fix) => fixes.push(fix));
  decoder.flush((fix) => fixes.push(fix));
  const last = fixes.at(-1);
  assert.ok(last !== undefined, 'no fix emitted');
  return last;
}

function expectFix(bodies: string[], mode: FixMode, status?: number, before: string[] = []): void {
  const fix = decodeEpoch(bodies, before);
  assert.equal(fix.mode, mode, `mode of ${bodies.join(' | ')}`);
  assert.equal(fix.status, status, `status of ${bodies.join(' | ')}`);
}

const PREVIOUS_3D = [gga({ time: '115959.00', quality: 1 })];

test('checksums: the builders and sentence() agree with a receiver\'s own sentence', () => {
  // u-blox ZED-F9P, corpus ublox-zed-f9p-nmea.log
  assert.equal(sentence(gsa({ talker: 'GN', mode: '3', used: ['07', '12', '33'], systemId: 3 })).length > 0, true);
  assert.equal(sentence('GNGSA,A,3,07,12,33,,,,,,,,,,1.05,0.64,0.83,3').trim(), '$GNGSA,A,3,07,12,33,,,,,,,,,,1.05,0.64,0.83,3*0A');
});

test('GGA quality 0: no fix', () => {
  expectFix([gga({ quality: 0 })], 1);
});

test('GGA quality 1..8: the fix\'s status (1 GPS, 2 DGPS, 3 PPS→9, 4 RTK fixed→3, 5 float→4, 6 DR→5, 7 manual, 8 sim)', () => {
  const statusByQuality: [number, number][] = [[1, 1], [2, 2], [3, 9], [4, 3], [5, 4], [6, 5], [7, 7], [8, 8]];
  for (const [quality, status] of statusByQuality) expectFix([gga({ quality })], 3, status);
});

test('GGA quality > 0 without a position: no fix', () => {
  expectFix([gga({ quality: 1, hasPosition: false })], 1);
});

test('GGA quality > 0 with fewer than 3 satellites used: no fix from GGA alone', () => {
  expectFix([gga({ quality: 1, satellites: '00' })], 1);
  expectFix([gga({ quality: 1, satellites: '02' })], 1);
});

test('GGA with 0 satellites used and a later GSA with a 3D fix: 3D (the GSA has the last word)', () => {
  expectFix([gga({ talker: 'GN', quality: 1, satellites: '00' }), gsa({ talker: 'GN', mode: '3', used: ['05', '13', '15', '18'], systemId: 1 })], 3, 1);
});

test('GGA without altitude: 2D', () => {
  expectFix([gga({ quality: 1, altitude: '' })], 2, 1);
});

test('GGA with altitude: 3D with 4 or more satellites or none stated, 2D with 3', () => {
  expectFix([gga({ quality: 1, satellites: '04' })], 3, 1);
  expectFix([gga({ quality: 1, satellites: '' })], 3, 1);
  expectFix([gga({ quality: 1, satellites: '03' })], 2, 1);
});

test('GNS mode indicator: no fix when every constellation says N or the field is empty', () => {
  expectFix([gns({ modes: 'NNNN' })], 1);
  expectFix([gns({ modes: '' })], 1);
});

test('GNS mode indicator: a fix when any constellation is not N; status from the first character', () => {
  expectFix([gns({ modes: 'NANN' })], 3);
  expectFix([gns({ modes: 'AANN' })], 3, 1);
  expectFix([gns({ modes: 'DDNN' })], 3, 2);
  expectFix([gns({ modes: 'RR' })], 3, 3);
  expectFix([gns({ modes: 'FA' })], 3, 4);
  expectFix([gns({ modes: 'A', altitude: '' })], 2, 1);
  expectFix([gns({ modes: 'A', satellites: '03' })], 2, 1);
});

test('GNS navigation status U or V (NMEA 4.10): the sentence says nothing about the mode', () => {
  expectFix([gsa({ mode: '2', used: ['01', '02', '03'] }), gns({ modes: 'AA', navigationStatus: 'U' })], 2, 1);
  expectFix([gns({ modes: 'AA', navigationStatus: 'S' })], 3, 1);
});

test('GNS without a position: no fix', () => {
  expectFix([gns({ modes: 'AA', hasPosition: false })], 1);
});

test('RMC status V: no fix, whatever the mode indicator says', () => {
  expectFix([rmc({ status: 'V' })], 1);
  expectFix([rmc({ status: 'V', modeIndicator: 'A' })], 1);
  expectFix([rmc({ status: 'V', modeIndicator: 'D', navigationStatus: 'V' })], 1);
});

test('RMC status A: 2D, or 3D when the previous epoch was 3D; status from the mode indicator', () => {
  expectFix([rmc({ status: 'A' })], 2);
  expectFix([rmc({ status: 'A', modeIndicator: 'A' })], 2, 1);
  expectFix([rmc({ status: 'A', modeIndicator: 'D' })], 2, 2);
  expectFix([rmc({ status: 'A', modeIndicator: 'A', navigationStatus: 'V' })], 2, 1);
  expectFix([rmc({ time: '120000.00', status: 'A', modeIndicator: 'A' })], 3, 1, PREVIOUS_3D);
});

test('RMC status A after a sentence with a height or a GSA with 4+ satellites in the epoch: 3D', () => {
  expectFix([gsa({ mode: '1', used: ['01', '02', '03', '04'] }), rmc({ status: 'A', modeIndicator: 'A' })], 3, 1);
});

test('RMC status D: a differential fix', () => {
  expectFix([rmc({ status: 'D' })], 2, 2);
});

test('RMC status A with mode indicator N: no fix (takd is stricter than gpsd here)', () => {
  expectFix([rmc({ status: 'A', modeIndicator: 'N' })], 1);
});

test('RMC without a position: no fix', () => {
  expectFix([rmc({ status: 'A', modeIndicator: 'A', hasPosition: false })], 1);
});

test('GLL status V or mode indicator N: no fix; A: as RMC', () => {
  expectFix([gll({ status: 'V' })], 1);
  expectFix([gll({ status: 'A', modeIndicator: 'N' })], 1);
  expectFix([gll({ status: 'A', modeIndicator: 'A' })], 2);
});

test('GSA fix mode 1, 2, 3 is the epoch\'s mode when nothing else says more', () => {
  for (const mode of [1, 2, 3] as const) expectFix([rmc({ status: 'A' }), gsa({ mode: String(mode) })], mode === 1 ? 1 : mode);
});

test('GSA too short or with E in the fix mode field: says nothing', () => {
  expectFix([rmc({ status: 'A' }), 'GPGSA,A,1,,,,'], 2);
  expectFix([rmc({ status: 'A' }), gsa({ mode: 'E' })], 2);
});

test('GSA 2D beside a 3D from GGA: stays 3D', () => {
  expectFix([gga({ quality: 1 }), gsa({ mode: '2', used: ['06', '07', '11'] })], 3, 1);
});

test('GSA per constellation (NMEA 4.10 system id): the best mode wins, a later one never downgrades', () => {
  expectFix([
    rmc({ talker: 'GN', status: 'A', modeIndicator: 'A' }),
    gsa({ talker: 'GN', mode: '3', used: ['05', '13', '15', '18'], systemId: 1 }),
    gsa({ talker: 'GN', mode: '2', used: ['66', '67'], systemId: 2 }),
    gsa({ talker: 'GN', mode: '1', systemId: 4 }),
  ], 3, 1);
});

test('GSA 1 after a fix from GGA: no fix (the last word)', () => {
  expectFix([gga({ quality: 1 }), gsa({ mode: '1' })], 1);
});

test('GSA with a repeated system id adds no satellites used', () => {
  const fix = decodeEpoch([
    rmc({ status: 'A' }),
    gsa({ mode: '3', used: ['01', '02', '03'], systemId: 1 }),
    gsa({ mode: '3', used: ['01', '02', '03'], systemId: 1 }),
    gsa({ mode: '3', used: ['70', '71'], systemId: 2 }),
  ]);
  assert.equal(fix.satellitesUsed, 5);
});
