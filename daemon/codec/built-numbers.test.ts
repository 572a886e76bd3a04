import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UNKNOWN_VALUE, builtPoint, builtTrack, roundTo } from './event.js';
import { decimalText } from './xml/encode.js';

test('built numbers: minutes and knots converted to doubles print at the source resolution', () => {
  const lat = 59 + (5954.91494 - 5900) / 60; // 5954.91494 N as the demo's receiver writes it, read as NMEA is
  assert.equal(decimalText(lat), '59.915248999999996');
  assert.equal(decimalText(roundTo(lat, 7)), '59.915249');
  assert.equal(decimalText(roundTo((2.721 * 1852) / 3600, 2)), '1.4'); // 2.721 kn
  assert.equal(decimalText(roundTo(599152490 * 1e-7, 7)), '59.915249'); // Meshtastic latitudeI
});

test('built numbers: unknown values, zero and negatives', () => {
  assert.equal(roundTo(UNKNOWN_VALUE, 1), UNKNOWN_VALUE);
  assert.ok(Object.is(roundTo(-0.00001, 2), 0));
  assert.equal(roundTo(-71.032398783333, 7), -71.0323988);
});

test('built numbers: point and track, and a finer source keeps its digits', () => {
  const point = { lat: 42.36372848333334, lon: -71.03239878, hae: -25.3864, ce: 11.2499, le: UNKNOWN_VALUE };
  assert.deepEqual(builtPoint(point), { lat: 42.3637285, lon: -71.0323988, hae: -25.4, ce: 11.2, le: UNKNOWN_VALUE });
  assert.deepEqual(builtPoint(point, { degrees: 9, metres: 3 }), { lat: 42.363728483, lon: -71.03239878, hae: -25.386, ce: 11.2, le: UNKNOWN_VALUE });
  assert.deepEqual(builtTrack(1.3998033333333335, 97.7512), { speed: 1.4, course: 97.75 });
});
