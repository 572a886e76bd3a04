import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UNKNOWN_VALUE } from '../codec/event.js';
import { encodeXmlString } from '../codec/xml/encode.js';
import { buildPliEvent, type PositionFix } from './report.js';
import { deriveUid, type PliIdentity } from './identity.js';

const identity: PliIdentity = {
  uid: 'takd-0123456789abcdef', callsign: 'ALPHA-1', type: 'a-f-G-U-C', team: 'Cyan', role: 'Team Member',
  endpoint: '192.168.1.20:4242:tcp',
  takv: { device: 'Raspberry Pi 4 Model B', os: 'Debian GNU/Linux 12', platform: 'takd', version: '0.1.0' },
};
const fix: PositionFix = {
  mode: 3, status: 2, time: Date.UTC(2026, 5, 1), lat: 39.7141704, lon: -105.2215339, altMSL: 1632.0, altHAE: 1615.418,
  speed: 2.57948687, track: 264.37, eph: 6.4, epv: 9.1, sentences: ['GGA', 'RMC'],
};

test('pli event: ATAK self-report fields', () => {
  const time = Date.UTC(2026, 5, 1, 12);
  const event = buildPliEvent({ fix, identity, time, staleMs: 75_000, battery: 64, remarks: 'cpu 51.0°C, load 0.4' });
  assert.equal(event.uid, identity.uid);
  assert.equal(event.type, 'a-f-G-U-C');
  assert.equal(event.how, 'm-g');
  assert.equal(event.stale - event.time, 75_000);
  assert.deepEqual(event.point, { lat: 39.7141704, lon: -105.2215339, hae: 1615.418, ce: 6.4, le: 9.1 });
  assert.deepEqual(event.contact, { callsign: 'ALPHA-1', endpoint: '192.168.1.20:4242:tcp' });
  assert.deepEqual(event.group, { name: 'Cyan', role: 'Team Member' });
  assert.deepEqual(event.takv, identity.takv);
  assert.deepEqual(event.status, { battery: 64 });
  assert.deepEqual(event.track, { speed: 2.57948687, course: 264.37 });
  assert.deepEqual(event.precisionLocation, { geopointsrc: 'DGPS', altsrc: 'DGPS' });
  const xml = encodeXmlString(event);
  assert.match(xml, /<uid Droid="ALPHA-1"\/>/);
  assert.match(xml, /<remarks>cpu 51.0°C, load 0.4<\/remarks>/);
  assert.match(xml, /<__group [^>]*name="Cyan"/);
});

test('pli event: unknown errors and altitude are 9999999; no battery → no status', () => {
  const bare: PositionFix = { mode: 2, lat: 1, lon: 2, sentences: ['RMC'] };
  const event = buildPliEvent({ fix: bare, identity, time: 0, staleMs: 60_000 });
  assert.deepEqual(event.point, { lat: 1, lon: 2, hae: UNKNOWN_VALUE, ce: UNKNOWN_VALUE, le: UNKNOWN_VALUE });
  assert.equal(event.status, undefined);
  assert.equal(event.track, undefined);
  assert.equal(event.precisionLocation?.altsrc, '???');
});

test('pli event: ce grows with the age of a last-known position', () => {
  const event = buildPliEvent({ fix: { ...fix, speed: 0 }, identity, time: 0, staleMs: 60_000, ageMs: 100_000 });
  assert.equal(event.point.ce, 6.4 + 100 * 1.4);
});

test('pli uid: stable per machine id, different between machines', () => {
  assert.equal(deriveUid('0123456789abcdef0123456789abcdef'), deriveUid('0123456789abcdef0123456789abcdef'));
  assert.notEqual(deriveUid('0123456789abcdef0123456789abcdef'), deriveUid('fedcba9876543210fedcba9876543210'));
  assert.match(deriveUid(undefined, 'host'), /^takd-[0-9a-f]{16}$/);
});
