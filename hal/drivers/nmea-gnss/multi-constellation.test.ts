// A synthetic multi-constellation receiver with the GN talker: each second RMC, GNS, GGA, one
// GSA per constellation with its NMEA 4.10 system id, then proprietary sentences. Every epoch
// must come out as one 3D fix with its own GSAs (not the previous second's).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GnssFix } from '../../contract.js';
import { sentence } from '../sim/nmea-writer.js';
import { NmeaGnssDecoder } from './decoder.js';
import { gga, gns, gsa, rmc } from './fixtures.js';

interface SecondOptions {
  /** GGA's satellites-used field: some receivers write 00 (or one system's count) there. */
  ggaSatellites?: string;
  fix?: boolean;
}

function second(time: string, options: SecondOptions = {}): string[] {
  const fix = options.fix ?? true;
  return [
    rmc({ talker: 'GN', time, status: fix ? 'A' : 'V', modeIndicator: fix ? 'A' : 'N', navigationStatus: 'V' }),
    gns({ talker: 'GN', time, modes: fix ? 'AAAN' : 'NNNN', hasPosition: fix, navigationStatus: 'S' }),
    gga({ talker: 'GN', time, quality: fix ? 1 : 0, hasPosition: fix, satellites: options.ggaSatellites }),
    gsa({ talker: 'GN', mode: fix ? '3' : '1', used: fix ? ['05', '13', '15', '18', '20', '29'] : [], systemId: 1 }),
    gsa({ talker: 'GN', mode: fix ? '3' : '1', used: fix ? ['66', '67', '81'] : [], systemId: 2 }),
    gsa({ talker: 'GN', mode: fix ? '3' : '1', used: fix ? ['07', '12'] : [], systemId: 3 }),
    // A maker's own sentences: ignored, and no reason to close or split the epoch.
    'PQTMEPE,2,1.234,1.123,2.345,1.654,2.876',
    `PSTMTS,${time},1`,
  ];
}

function decodeAll(bodies: string[]): GnssFix[] {
  const decoder = new NmeaGnssDecoder();
  const fixes: GnssFix[] = [];
  for (const body of bodies) decoder.decode(sentence(body).trim(), (fix) => fixes.push(fix));
  decoder.flush((fix) => fixes.push(fix));
  return fixes;
}

/** The last fix per time: what gpsd's epoch_last TPV is compared with. */
function lastPerEpoch(fixes: GnssFix[]): Map<number, GnssFix> {
  const byTime = new Map<number, GnssFix>();
  for (const fix of fixes) if (fix.time !== undefined) byTime.set(fix.time, fix);
  return byTime;
}

const TIMES = ['120000.00', '120001.00', '120002.00', '120003.00', '120004.00', '120005.00'];
const at = (hhmmss: string): number =>
  Date.UTC(2026, 11, 6, Number(hhmmss.slice(0, 2)), Number(hhmmss.slice(2, 4)), Number(hhmmss.slice(4)));

test('GN receiver: RMC + GNS + GGA + 3 GSA with system ids per second → one 3D fix per epoch', () => {
  const fixes = decodeAll(TIMES.flatMap((t) => second(t)));
  const epochs = lastPerEpoch(fixes);
  assert.equal(epochs.size, TIMES.length);
  for (const t of TIMES) {
    const fix = epochs.get(at(t));
    assert.ok(fix !== undefined, t);
    assert.equal(fix.mode, 3, t);
    assert.equal(fix.status, 1, t);
    assert.equal(fix.altMSL, 12.3, t);
    // All three GSAs of this second, and no GSA of another second.
    assert.deepEqual(fix.sentences, ['RMC', 'GNS', 'GGA', 'GSA', 'GSA', 'GSA'], t);
  }
});

test('GN receiver whose GGA says 00 satellites used with quality 1: still 3D every epoch', () => {
  const epochs = lastPerEpoch(decodeAll(TIMES.flatMap((t) => second(t, { ggaSatellites: '00' }))));
  assert.equal(epochs.size, TIMES.length);
  for (const t of TIMES) assert.equal(epochs.get(at(t))?.mode, 3, t);
});

test('GN receiver losing its fix for one second: that epoch alone has no fix', () => {
  const bodies = TIMES.flatMap((t, i) => second(t, { fix: i !== 3 }));
  const epochs = lastPerEpoch(decodeAll(bodies));
  assert.deepEqual(TIMES.map((t) => epochs.get(at(t))?.mode), [3, 3, 3, 1, 3, 3]);
});

test('GN receiver: once the cycle is learnt, the fix goes out at the third GSA, not the first', () => {
  const decoder = new NmeaGnssDecoder();
  const emittedAfter: string[] = [];
  for (const body of TIMES.slice(0, 3).flatMap((t) => second(t))) {
    decoder.decode(sentence(body).trim(), () => emittedAfter.push(body.slice(0, 5)));
  }
  // First second: closed by the next second's RMC; later seconds: at their own third GSA.
  assert.deepEqual(emittedAfter, ['GNRMC', 'GNGSA', 'GNGSA']);
});
