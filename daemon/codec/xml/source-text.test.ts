import { test } from 'node:test';
import assert from 'node:assert/strict';
import { streamEncoder } from '../../transports/stream-codec.js';
import { XmlEventDecoder } from './decode.js';
import { sourceXmlOf } from './source-text.js';

const AS_SENT = '<event version="2.0" uid="u-1" type="a-f-G" how="m-g" time="2024-05-01T12:00:00Z" start="2024-05-01T12:00:00Z" stale="2024-05-01T12:01:00Z"><point lat="59.91" lon="10.75" hae="9999999.0" ce="5" le="9999999"/><detail><contact callsign="A"/></detail></event>';

test('an event decoded from XML goes out as the sender wrote it; a changed copy is encoded anew', () => {
  const event = new XmlEventDecoder().decode(Buffer.from(AS_SENT));
  assert.equal(sourceXmlOf(event), AS_SENT);
  assert.equal(streamEncoder(0)(event), AS_SENT);
  const later = { ...event, stale: event.stale + 60_000 };
  assert.equal(sourceXmlOf(later), undefined);
  const encoded = String(streamEncoder(0)(later));
  assert.match(encoded, /stale="2024-05-01T12:02:00\.000Z"/);
  assert.match(encoded, /^<\?xml /, 'encoded anew, with the declaration takd writes');
});

test('such an event cannot be changed in place (its text would lie)', () => {
  const event = new XmlEventDecoder().decode(AS_SENT);
  assert.throws(() => {
    (event as { stale: number }).stale = 0;
  }, TypeError);
  assert.throws(() => {
    (event.point as { lat: number }).lat = 0;
  }, TypeError);
});

test('events without version="2.0" or how are encoded anew, so what takd writes always carries both', () => {
  const withoutHow = AS_SENT.replace(' how="m-g"', '');
  const oldVersion = AS_SENT.replace('version="2.0"', 'version="1.0"');
  for (const xml of [withoutHow, oldVersion]) {
    const event = new XmlEventDecoder().decode(xml);
    assert.equal(sourceXmlOf(event), undefined);
    const encoded = String(streamEncoder(0)(event));
    assert.match(encoded, /version="2\.0"/);
    assert.match(encoded, / how="/);
  }
});
