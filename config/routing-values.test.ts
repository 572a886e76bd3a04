import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBoundingBox, parseCircle, parseFsyncPolicy, RoutingSettingError } from './routing-values.js';

test('bounding box, radius and fsync policy from their INI text', () => {
  assert.deepEqual(parseBoundingBox('38, -106, 40, -104'), { south: 38, west: -106, north: 40, east: -104 });
  assert.deepEqual(parseCircle('39.7,-105.2,5000'), { lat: 39.7, lon: -105.2, meters: 5000 });
  assert.deepEqual(parseFsyncPolicy('always'), { mode: 'always' });
  assert.deepEqual(parseFsyncPolicy('Never'), { mode: 'never' });
  assert.deepEqual(parseFsyncPolicy('0.25'), { mode: 'interval', intervalMs: 250 });
});

test('bad values say what is allowed', () => {
  for (const [parse, text] of [
    [parseBoundingBox, '38,-106,40'],
    [parseBoundingBox, '41,-106,40,-104'],
    [parseBoundingBox, '38,-200,40,-104'],
    [parseCircle, '39,-105,0'],
    [parseCircle, 'a,b,c'],
    [parseFsyncPolicy, 'sometimes'],
    [parseFsyncPolicy, '0'],
    [parseFsyncPolicy, ''],
  ] as const) {
    assert.throws(() => parse(text), (error: unknown) => error instanceof RoutingSettingError && error.message.length > 10, text);
  }
});
