import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CotDecodeError } from './errors.js';
import { eventFromJson } from './json.js';
import { encodeXmlString } from './xml/encode.js';
import { XmlEventDecoder } from './xml/decode.js';

const base = { uid: 'u', type: 'a-f-G', how: 'h-e', time: '2024-01-01T00:00:00Z', start: '2024-01-01T00:00:00Z', stale: '2024-01-01T00:01:00Z', point: { lat: 0, lon: 0, hae: 0, ce: 0, le: 0 } };

test('xmlDetail must be well-formed, balanced XML inside <detail> (fuzz finding: POST /api/events published broken XML)', () => {
  for (const xmlDetail of ['<link uid="a" type"a-f-G"/>', '<a>', '</detail><foo/><detail>', '</detail></event><event>', '&bogus;', '<!DOCTYPE x>']) {
    assert.throws(() => eventFromJson({ ...base, xmlDetail }), (e: unknown) => e instanceof CotDecodeError && /xmlDetail/.test(e.message), xmlDetail);
  }
  for (const xmlDetail of ['<remarks>a &amp; b</remarks>', '<!-- note -->', '<![CDATA[</detail>]]>', '']) {
    const event = eventFromJson({ ...base, xmlDetail });
    assert.equal(new XmlEventDecoder().decode(encodeXmlString(event)).uid, 'u', xmlDetail);
  }
});

test('values an XML event could not carry are refused as in XML (fuzz finding: lon -2e16 was published)', () => {
  assert.throws(() => eventFromJson({ ...base, point: { ...base.point, lon: -19999999999999904 } }), (e: unknown) => e instanceof CotDecodeError && /lon/.test(e.message));
  assert.throws(() => eventFromJson({ ...base, point: { ...base.point, lat: 91 } }), (e: unknown) => e instanceof CotDecodeError && /lat/.test(e.message));
  assert.equal(eventFromJson(base).point.lon, 0);
});
