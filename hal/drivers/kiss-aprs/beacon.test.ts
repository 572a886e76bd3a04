import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GnssFix } from '../../contract.js';
import { KissFramer } from '../../framers/kiss.js';
import { AprsBeacon, beaconConfigProblem, positionReport } from './beacon.js';
import { AprsDecoder } from './decoder.js';
import type { AprsPacket } from './packet.js';

const fix: GnssFix = { mode: 3, lat: 49.058333, lon: -72.029167, altMSL: 376.1, speed: 18.52, track: 88, sentences: [] };

test('aprs beacon: the report reads back through our decoder', () => {
  assert.equal(positionReport(fix, { comment: 'takd' }), '=4903.50N/07201.75W>088/036/A=001234 takd');
  const beacon = new AprsBeacon({ callsign: 'KB1XYZ-9', comment: 'takd' });
  const frame = beacon.next(fix, 0);
  assert.ok(frame);
  const packets: AprsPacket[] = [];
  const decoder = new AprsDecoder();
  new KissFramer().push(frame, (f) => decoder.decode(f, (p) => packets.push(p)));
  assert.equal(packets.length, 1);
  const p = packets[0];
  assert.deepEqual([p.from, p.to, p.path, p.course, p.messagecapable, p.comment], ['KB1XYZ-9', 'APZTKD', ['WIDE1-1', 'WIDE2-1'], 88, true, 'takd']);
  assert.ok(Math.abs(p.latitude - 49.058333) < 1e-4 && Math.abs(p.longitude + 72.029167) < 1e-4);
  assert.ok(Math.abs((p.altitude ?? 0) - 376.1) < 0.2);
});

test('aprs beacon: at most once per interval, never without a fix', () => {
  const beacon = new AprsBeacon({ callsign: 'KB1XYZ', intervalSeconds: 60 });
  assert.equal(beacon.next({ mode: 1, sentences: [] }, 0), undefined);
  assert.ok(beacon.next(fix, 0));
  assert.equal(beacon.next(fix, 59_999), undefined);
  assert.ok(beacon.next(fix, 60_000));
});

test('aprs beacon: placeholder or malformed callsigns are refused; southern/eastern and negative altitudes', () => {
  assert.match(beaconConfigProblem({ callsign: 'N0CALL-9' }) ?? '', /placeholder/);
  assert.match(beaconConfigProblem({ callsign: 'TOOLONGCALL' }) ?? '', /not an AX.25 callsign/);
  assert.match(beaconConfigProblem({ callsign: 'KB1XYZ', path: ['WIDE1-99'] }) ?? '', /path entry/);
  assert.throws(() => new AprsBeacon({ callsign: 'NOCALL' }));
  assert.equal(positionReport({ mode: 2, lat: -33.9999999, lon: 151.2, altHAE: -10, sentences: [] }), '=3400.00S/15112.00E>/A=-00033');
});
