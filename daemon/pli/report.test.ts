import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UNKNOWN_VALUE } from '../codec/event.js';
import { encodeXmlString } from '../codec/xml/encode.js';
import { buildPliEvent, hasPosition, type PositionFix } from './report.js';
import { deriveUid, type PliIdentity } from './identity.js';
import type { GnssFix } from '../../hal/contract.js';
import { createNmeaPipeline } from '../../hal/drivers/nmea-gnss/pipeline.js';
import { epochSentences, sentence } from '../../hal/drivers/sim/nmea-writer.js';
import { SimTrack } from '../../hal/drivers/sim/track.js';
import { assertNoFloatNoise, attributeText } from '../../test/support/built-numbers.js';

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
  assert.deepEqual(event.point, { lat: 39.7141704, lon: -105.2215339, hae: 1615.4, ce: 6.4, le: 9.1 });
  assert.deepEqual(event.contact, { callsign: 'ALPHA-1', endpoint: '192.168.1.20:4242:tcp' });
  assert.deepEqual(event.group, { name: 'Cyan', role: 'Team Member' });
  assert.deepEqual(event.takv, identity.takv);
  assert.deepEqual(event.status, { battery: 64 });
  assert.deepEqual(event.track, { speed: 2.58, course: 264.37 });
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

/** NMEA text through the decoder, each fix with a position built into a PLI and encoded. */
function pliXml(nmea: string): string[] {
  const pipeline = createNmeaPipeline();
  const xml: string[] = [];
  const onFix = (f: GnssFix): void => {
    if (hasPosition(f)) xml.push(encodeXmlString(buildPliEvent({ fix: f, identity, time: Date.UTC(2026, 11, 6), staleMs: 75_000 })));
  };
  pipeline.push(Buffer.from(nmea), onFix);
  pipeline.flush(onFix);
  return xml;
}

test('pli xml: numbers from NMEA minutes and knots carry no floating-point noise', () => {
  // The demo's receiver: 59°54.91494' N and 2.721 kn printed as 59.915248999999996 and 1.3998033333333335.
  const [xml] = pliXml(
    sentence('GPGGA,120000.00,5954.91494,N,01045.13200,E,1,08,1.0,100.0,M,40.0,M,,') +
    sentence('GPRMC,120000.00,A,5954.91494,N,01045.13200,E,2.721,90.0,061226,,,A'),
  );
  assertNoFloatNoise(xml);
  assert.equal(attributeText(xml, 'point', 'lat'), '59.915249');
  assert.equal(attributeText(xml, 'point', 'lon'), '10.7522');
  assert.equal(attributeText(xml, 'track', 'speed'), '1.4');
});

test('pli xml: ten minutes of the demo walk, every PLI without float noise', () => {
  const track = new SimTrack({ lat: 59.9139, lon: 10.7522, speed: 1.4, radius: 150 });
  const start = Date.UTC(2026, 11, 6, 12);
  let nmea = '';
  for (let s = 0; s < 600; s++) nmea += epochSentences(track.at(start + s * 1000, start));
  const all = pliXml(nmea);
  assert.ok(all.length > 500);
  for (const xml of all) assertNoFloatNoise(xml);
});

test('pli xml: a receiver that writes finer minutes and altitude (RTK) keeps those digits', () => {
  const [xml] = pliXml(sentence('GPGGA,194057.50,4221.8237089,N,07101.9438932,W,4,12,0.8,10.835,M,-33.320,M,,'));
  assert.equal(attributeText(xml, 'point', 'lat'), '42.363728482');
  assert.equal(attributeText(xml, 'point', 'lon'), '-71.03239822');
  assert.equal(attributeText(xml, 'point', 'hae'), '-22.485');
  assertNoFloatNoise(xml, { degrees: 9, metres: 3 });
});

test('pli uid: stable per machine id, different between machines', () => {
  assert.equal(deriveUid('0123456789abcdef0123456789abcdef'), deriveUid('0123456789abcdef0123456789abcdef'));
  assert.notEqual(deriveUid('0123456789abcdef0123456789abcdef'), deriveUid('fedcba9876543210fedcba9876543210'));
  assert.match(deriveUid(undefined, 'host'), /^takd-[0-9a-f]{16}$/);
});
