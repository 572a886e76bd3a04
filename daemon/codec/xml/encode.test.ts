import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeXmlString, xmlElement, XmlEventEncoder } from './encode.js';
import { XmlEventDecoder } from './decode.js';
import type { CotEvent } from '../event.js';

const event: CotEvent = {
  uid: 'A&B "quoted" <x>',
  type: 'a-f-G',
  how: 'm-g',
  time: Date.UTC(2020, 0, 1),
  start: Date.UTC(2020, 0, 1),
  stale: Date.UTC(2020, 0, 1, 0, 1),
  point: { lat: 51.123456789012, lon: -0.000001234567, hae: 0, ce: 9999999, le: Infinity },
  contact: { callsign: "O'Brien\ttab\nline\x01ctl" },
};

test('escapes attributes, keeps full coordinate precision, writes ms times, version and how', () => {
  const xml = encodeXmlString(event, { declaration: false });
  assert.equal(
    xml,
    '<event version="2.0" uid="A&amp;B &quot;quoted&quot; &lt;x&gt;" type="a-f-G" how="m-g" time="2020-01-01T00:00:00.000Z" start="2020-01-01T00:00:00.000Z" stale="2020-01-01T00:01:00.000Z">' +
      '<point lat="51.123456789012" lon="-0.000001234567" hae="0" ce="9999999" le="9999999"/>' +
      '<detail><contact callsign="O&apos;Brien&#9;tab&#10;line\ufffdctl"/></detail></event>',
  );
  const back = new XmlEventDecoder().decode(xml);
  assert.equal(back.uid, event.uid);
  assert.equal(back.contact?.callsign, "O'Brien\ttab\nline\ufffdctl");
  assert.equal(back.point.lat, event.point.lat);
});

test('the reusable encoder returns the same bytes as the string encoder', () => {
  const encoder = new XmlEventEncoder();
  const first = Buffer.from(encoder.encode(event));
  assert.equal(first.toString(), encodeXmlString(event));
  const big = { ...event, xmlDetail: xmlElement('remarks', {}, 'é'.repeat(5000)) };
  assert.equal(encoder.encode(big).toString(), encodeXmlString(big));
});

test('xmlElement escapes and omits undefined attributes', () => {
  assert.equal(xmlElement('remarks', { source: 'a<b', to: undefined }, 'x & y'), '<remarks source="a&lt;b">x &amp; y</remarks>');
  assert.equal(xmlElement('link', { uid: 'u', n: 3 }), '<link uid="u" n="3"/>');
});

test('times: always milliseconds and Z, right across seconds, before 1970 and at the edges', async () => {
  const { formatCotTime, parseCotTime } = await import('./time.js');
  for (const ms of [0, 1, 999, 1000, -1, -1001, Date.UTC(2024, 4, 1, 12, 0, 0, 47), Date.UTC(9999, 11, 31, 23, 59, 59, 999), 1714564800047.9]) {
    assert.equal(formatCotTime(ms), new Date(Math.floor(ms)).toISOString(), String(ms));
    assert.equal(parseCotTime(formatCotTime(ms)), Math.floor(ms));
  }
  assert.equal(parseCotTime('2020-01-01T00:00:00.1234567Z'), Date.UTC(2020, 0, 1, 0, 0, 0, 123));
  assert.ok(Number.isNaN(parseCotTime('2020-02-30T00:00:00Z')));
  assert.ok(Number.isNaN(parseCotTime('2020-01-01T00:00:00')));
  assert.ok(Number.isNaN(parseCotTime('2020-01-01T00:00:00.Z')));
});

test('decimalText writes exactly what String() writes, on random values of every magnitude', async () => {
  const { decimalText } = await import('./encode.js');
  const { seededRandom } = await import('../../../test/support/generators.js');
  const random = seededRandom(0xdec);
  const fixed = [0, -0, 1, -1, 0.1, 0.000001, 0.0000009999, 1e-7, 999999999.5, 1e9, 1.9999999999, 39.7141704, -105.2215339, 9999999, NaN, Infinity, -Infinity, 2 ** 53, 5e-324];
  for (const value of fixed) assert.equal(decimalText(value), String(value), String(value));
  for (let i = 0; i < 200_000; i++) {
    const magnitude = 10 ** Math.floor(random() * 18 - 8);
    const decimals = Math.floor(random() * 12);
    const raw = (random() - 0.5) * magnitude;
    const value = i % 3 === 0 ? raw : Math.round(raw * 10 ** decimals) / 10 ** decimals;
    assert.equal(decimalText(value), String(value), `${value}`);
  }
});
