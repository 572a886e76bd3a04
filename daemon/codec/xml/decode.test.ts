import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XmlEventDecoder } from './decode.js';
import { encodeXmlString } from './encode.js';
import { CotDecodeError } from '../errors.js';

const decoder = new XmlEventDecoder();

const PLI = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<event version="2.0" uid="ANDROID-7da2849d73eb438a" type="a-f-G-U-C" how="m-g"
  time="2024-05-01T12:00:00.047Z" start="2024-05-01T12:00:00.047Z" stale="2024-05-01T12:01:15.047Z">
 <point lat="39.7141704" lon="-105.2215339" hae="1615.418" ce="6.4" le="9999999.0"/>
 <detail>
  <takv os="34" version="4.10.0.0 (90402c80).1691730052-CIV" device="GOOGLE PIXEL 7" platform="ATAK-CIV"/>
  <contact endpoint="192.168.124.206:4242:tcp" callsign="JULIET-1"/>
  <uid Droid="JULIET-1"/>
  <precisionlocation altsrc="GPS" geopointsrc="GPS"/>
  <__group role="HQ" name="White"/>
  <status battery="64"/>
  <track course="264.37051618" speed="2.57948687"/>
  <remarks source="x">A &amp; B <![CDATA[<raw>]]></remarks>
 </detail>
</event>`;

test('decodes the spec example PLI into typed fields and keeps the rest verbatim', () => {
  const event = decoder.decode(Buffer.from(PLI));
  assert.deepEqual(event, {
    uid: 'ANDROID-7da2849d73eb438a',
    type: 'a-f-G-U-C',
    how: 'm-g',
    time: Date.UTC(2024, 4, 1, 12, 0, 0, 47),
    start: Date.UTC(2024, 4, 1, 12, 0, 0, 47),
    stale: Date.UTC(2024, 4, 1, 12, 1, 15, 47),
    point: { lat: 39.7141704, lon: -105.2215339, hae: 1615.418, ce: 6.4, le: 9999999 },
    contact: { callsign: 'JULIET-1', endpoint: '192.168.124.206:4242:tcp' },
    group: { name: 'White', role: 'HQ' },
    takv: { device: 'GOOGLE PIXEL 7', platform: 'ATAK-CIV', os: '34', version: '4.10.0.0 (90402c80).1691730052-CIV' },
    status: { battery: 64 },
    track: { speed: 2.57948687, course: 264.37051618 },
    precisionLocation: { geopointsrc: 'GPS', altsrc: 'GPS' },
    xmlDetail: '<uid Droid="JULIET-1"/><remarks source="x">A &amp; B <![CDATA[<raw>]]></remarks>',
  });
});

test('contact with a phone is typed (the model carries phone); with an unknown attribute it stays raw', () => {
  const base = '<event uid="u" type="a" how="m-g" time="2020-01-01T00:00:00Z" start="2020-01-01T00:00:00Z" stale="2020-01-01T00:01:00Z"><point lat="1" lon="2"/><detail>';
  const withPhone = decoder.decode(`${base}<contact callsign="A" phone="+1 555"/></detail></event>`);
  assert.deepEqual(withPhone.contact, { callsign: 'A', phone: '+1 555' });
  const withEmail = decoder.decode(`${base}<contact callsign="A" emailAddress="a@b"/></detail></event>`);
  assert.equal(withEmail.contact, undefined);
  assert.equal(withEmail.xmlDetail, '<contact callsign="A" emailAddress="a@b"/>');
});

test('whole element or nothing: duplicates, children, bad numbers and missing attributes stay raw', () => {
  const base = '<event uid="u" type="a" time="2020-01-01T00:00:00Z" start="2020-01-01T00:00:00Z" stale="2020-01-01T00:01:00Z"><point lat="1" lon="2"/><detail>';
  const cases = [
    '<status battery="64"/><status battery="65"/>',
    '<track speed="fast" course="1"/>',
    '<track speed="1"/>',
    '<status battery="64" readiness="true"/>',
    '<status battery="-1"/>',
    '<contact callsign="A"><x/></contact>',
    '<__group name="Cyan">text</__group>',
    '<precisionlocation altitudesrc="GPS" geopointsrc="GPS"/>',
  ];
  for (const inner of cases) {
    const event = decoder.decode(`${base}${inner}</detail></event>`);
    assert.equal(event.xmlDetail, inner, inner);
    assert.equal(event.status ?? event.track ?? event.contact ?? event.group ?? event.precisionLocation, undefined, inner);
  }
});

test('missing how gets the unvalidated default; unknown values normalise to 9999999', () => {
  const event = decoder.decode(
    '<event uid="u" type="a-f-G" time="2020-01-01T00:00:00.4Z" start="2020-01-01T00:00:00Z" stale="2020-01-01T00:01:00Z"><point lat="1" lon="2" ce="999999" le="1e10"/></event>',
  );
  assert.equal(event.how, 'h-g-i-g-o');
  assert.equal(event.time, Date.UTC(2020, 0, 1, 0, 0, 0, 400));
  assert.deepEqual(event.point, { lat: 1, lon: 2, hae: 9999999, ce: 9999999, le: 9999999 });
  assert.match(encodeXmlString(event), /how="h-g-i-g-o"/);
});

function reason(input: string | Buffer): string {
  try {
    decoder.decode(input);
    return 'decoded';
  } catch (err) {
    assert.ok(err instanceof CotDecodeError, String(err));
    return err.reason;
  }
}

test('bad events are refused with a reason', () => {
  const ok = (attrs: string, point = '<point lat="1" lon="2"/>') => `<event ${attrs}>${point}</event>`;
  const times = 'time="2020-01-01T00:00:00Z" start="2020-01-01T00:00:00Z" stale="2020-01-01T00:01:00Z"';
  assert.equal(reason(ok(`uid="u" type="a" ${times}`)), 'decoded');
  assert.equal(reason(ok(`type="a" ${times}`)), 'missing-field');
  assert.equal(reason(ok(`uid="u" type="a" ${times}`, '')), 'missing-field');
  assert.equal(reason(ok(`uid="u" type="a" ${times.replace('00Z"', '00+01:00"')}`)), 'bad-value');
  assert.equal(reason(ok(`uid="u" type="a" ${times}`, '<point lat="91" lon="2"/>')), 'bad-value');
  assert.equal(reason(ok(`uid="u" type="a" ${times}`, '<point lat="" lon="2"/>')), 'missing-field');
  assert.equal(reason(ok(`uid="u" type="a" ${times}`, '<point lat="x" lon="2"/>')), 'bad-value');
  assert.equal(reason(`<evnt uid="u"/>`), 'not-an-event');
  assert.equal(reason(`<event uid=u/>`), 'malformed-xml');
  assert.equal(reason(`<event uid="a&b"/>`), 'malformed-xml');
  assert.equal(reason(`<event uid="u"><point></event>`), 'malformed-xml');
  assert.equal(reason(Buffer.from([0x3c, 0x65, 0xff, 0xfe])), 'invalid-utf8');
  assert.equal(reason('<!DOCTYPE x [<!ENTITY a "b">]><event uid="&a;"/>'), 'doctype');
});

test('the decoder keeps working after an error', () => {
  assert.equal(reason('<event uid="u"><point></event>'), 'malformed-xml');
  assert.equal(decoder.decode(Buffer.from(PLI)).uid, 'ANDROID-7da2849d73eb438a');
});

test('attribute names that an object would inherit are plain names; entities in values are read when used', async () => {
  const { SaxesEngine } = await import('./sax-engine.js');
  const saxesOnly = new XmlEventDecoder(new SaxesEngine());
  const xml =
    '<event version="2.0" uid="a &amp; b" type="a-f-G" how="m-g" __proto__="x" constructor="y" time="2020-01-01T00:00:00Z" start="2020-01-01T00:00:00Z" stale="2020-01-01T00:01:00Z">' +
    '<point lat="1" lon="2" toString="z"/><detail><contact callsign="A &lt;1&gt;" hasOwnProperty="no"/><status battery="7"/></detail></event>';
  const event = decoder.decode(xml);
  assert.equal(event.uid, 'a & b');
  assert.equal(event.contact, undefined, 'an unknown attribute keeps contact raw');
  assert.equal(event.xmlDetail, '<contact callsign="A &lt;1&gt;" hasOwnProperty="no"/>');
  assert.deepEqual(event.status, { battery: 7 });
  assert.deepEqual(event, saxesOnly.decode(xml));
});
