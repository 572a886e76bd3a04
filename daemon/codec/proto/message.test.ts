// TakMessage encode/decode: the reference vector byte-exact, and the mapping rules of spec §6.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CotDecodeError } from '../errors.js';
import type { CotEvent } from '../event.js';
import { XmlEventDecoder } from '../xml/decode.js';
import { encodeXmlString } from '../xml/encode.js';
import { VECTOR_STREAM_HEX, VECTOR_XML, atakPli, vectorEvent } from '../../../test/support/proto-fixtures.js';
import { decodeTakMessage, encodeProtoMesh, encodeProtoStream, encodeTakMessage } from './index.js';
import { takMessageType } from './reflection.js';
import type { WireTakMessage } from './schema.js';

const TakMessageType = takMessageType();

const vectorStream = Buffer.from(VECTOR_STREAM_HEX.replaceAll(' ', ''), 'hex');
const vectorMessage = vectorStream.subarray(2); // after BF 51

function wireOf(bytes: Uint8Array): WireTakMessage {
  return TakMessageType.toObject(TakMessageType.decode(bytes), { longs: Number }) as WireTakMessage;
}

function decodeError(fn: () => unknown): CotDecodeError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof CotDecodeError, `expected CotDecodeError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a CotDecodeError');
}

test('vector: the hand-built event encodes to the 83 reference bytes (stream framing)', () => {
  assert.equal(vectorStream.length, 83);
  assert.equal(encodeProtoStream(vectorEvent()).toString('hex'), vectorStream.toString('hex'));
});

test('vector: mesh framing is BF 01 BF + the same 81-byte TakMessage', () => {
  const mesh = encodeProtoMesh(vectorEvent());
  assert.equal(mesh.length, 84);
  assert.equal(mesh.subarray(0, 3).toString('hex'), 'bf01bf');
  assert.equal(mesh.subarray(3).toString('hex'), vectorMessage.toString('hex'));
  assert.equal(Buffer.from(encodeTakMessage(vectorEvent())).toString('hex'), vectorMessage.toString('hex'));
});

test('vector: the reference bytes decode to the event', () => {
  assert.deepEqual(decodeTakMessage(vectorMessage), { event: vectorEvent() });
});

test('vector: from the XML text, through v1 and back to the same XML', () => {
  const event = new XmlEventDecoder().decode(VECTOR_XML);
  assert.equal(encodeProtoStream(event).toString('hex'), vectorStream.toString('hex'));
  const back = decodeTakMessage(vectorMessage).event!;
  assert.equal(encodeXmlString(back), encodeXmlString(event));
});

test('an ATAK PLI from XML survives XML → v1 → XML, precisionlocation and contact phone included', () => {
  const xml =
    '<event version="2.0" uid="ANDROID-1" type="a-f-G-U-C" how="m-g" time="2024-05-01T12:00:00.047Z" ' +
    'start="2024-05-01T12:00:00.047Z" stale="2024-05-01T12:01:15.047Z" access="Undefined">' +
    '<point lat="39.7141704" lon="-105.2215339" hae="1615.418" ce="6.4" le="9999999.0"/><detail>' +
    '<takv os="34" version="4.10.0.0" device="GOOGLE PIXEL 7" platform="ATAK-CIV"/>' +
    '<contact endpoint="192.168.1.2:4242:tcp" phone="+1 555 0100" callsign="A&amp;B &lt;1&gt;"/>' +
    '<uid Droid="JULIET-1"/><precisionlocation altsrc="GPS" geopointsrc="GPS"/>' +
    '<__group role="HQ" name="White"/><status battery="64"/><track course="264.37051618" speed="2.57948687"/>' +
    '</detail></event>';
  const event = new XmlEventDecoder().decode(xml);
  const bytes = encodeTakMessage(event);
  const wire = wireOf(bytes);
  assert.equal(wire.cotEvent?.detail?.contact, undefined, 'a contact with phone is not typed');
  assert.match(wire.cotEvent?.detail?.xmlDetail ?? '', /<contact [^>]*phone="\+1 555 0100"/);
  assert.deepEqual(wire.cotEvent?.detail?.precisionLocation, { geopointsrc: 'GPS', altsrc: 'GPS' });
  const back = decodeTakMessage(bytes).event!;
  assert.deepEqual(back, event);
  assert.equal(encodeXmlString(back), encodeXmlString(event));
});

test('encode: empty access/qos/opex and an empty detail are not written', () => {
  const event: CotEvent = { ...vectorEvent(), access: '', qos: '', opex: '' };
  delete event.contact;
  const wire = wireOf(encodeTakMessage(event));
  assert.equal(wire.cotEvent?.access, undefined);
  assert.equal(wire.cotEvent?.qos, undefined);
  assert.equal(wire.cotEvent?.opex, undefined);
  assert.equal(wire.cotEvent?.detail, undefined);
  assert.equal(wireOf(encodeTakMessage({ ...event, xmlDetail: '' })).cotEvent?.detail, undefined);
});

test('encode: a missing uid, type or how throws an Error that names it (callers send XML instead)', () => {
  assert.throws(() => encodeTakMessage({ ...vectorEvent(), uid: '' }), /uid is missing/);
  assert.throws(() => encodeProtoStream({ ...vectorEvent(), how: '', type: '' }), /type is missing.*how is missing/);
  assert.throws(() => encodeProtoMesh({ ...vectorEvent(), time: -1 }), /time is not a time from 1970 on/);
  assert.throws(() => encodeProtoMesh({ ...vectorEvent(), stale: NaN }), /stale is not/);
  assert.throws(() => encodeTakMessage({ ...vectorEvent(), point: { ...vectorEvent().point, lat: NaN } }), /point.lat/);
});

test('encode: battery is clamped to 2^31-1; a battery that is not a whole number travels as XML', () => {
  const big = wireOf(encodeTakMessage({ ...vectorEvent(), status: { battery: 2 ** 40 } }));
  assert.deepEqual(big.cotEvent?.detail?.status, { battery: 2 ** 31 - 1 });
  const odd = wireOf(encodeTakMessage({ ...vectorEvent(), status: { battery: 12.5 } }));
  assert.equal(odd.cotEvent?.detail?.status, undefined);
  assert.match(odd.cotEvent?.detail?.xmlDetail ?? '', /<status battery="12"\/>/);
});

test('encode: a contact with an empty endpoint travels as XML (receivers would drop the attribute)', () => {
  const wire = wireOf(encodeTakMessage({ ...vectorEvent(), contact: { callsign: 'X', endpoint: '' } }));
  assert.equal(wire.cotEvent?.detail?.contact, undefined);
  assert.equal(wire.cotEvent?.detail?.xmlDetail, '<contact callsign="X"/>');
});

test('decode: a typed field is ignored when xmlDetail has an element of that name (the XML copy wins)', () => {
  const bytes = TakMessageType.encode({
    cotEvent: {
      ...wireOf(vectorMessage).cotEvent,
      detail: {
        xmlDetail: '<contact callsign="FROM-XML" phone="1"/><remarks>hi</remarks>',
        contact: { callsign: 'FROM-PROTO' },
        group: { name: 'Cyan', role: 'Team Member' },
      },
    },
  }).finish();
  const event = decodeTakMessage(bytes).event!;
  assert.deepEqual(event.contact, { callsign: 'FROM-XML', phone: '1' });
  assert.deepEqual(event.group, { name: 'Cyan', role: 'Team Member' });
  assert.equal(event.xmlDetail, '<remarks>hi</remarks>');
});

test('decode: two copies of a typed element in xmlDetail stay raw and the typed field is ignored', () => {
  const bytes = TakMessageType.encode({
    cotEvent: {
      ...wireOf(vectorMessage).cotEvent,
      detail: { xmlDetail: '<status battery="1"/><status battery="2"/>', status: { battery: 3 } },
    },
  }).finish();
  const event = decodeTakMessage(bytes).event!;
  assert.equal(event.status, undefined);
  assert.equal(event.xmlDetail, '<status battery="1"/><status battery="2"/>');
});

test('encode: fractional ms are cut to whole ms, as in XML', () => {
  const time = Date.UTC(2020, 0, 1) + 0.75;
  assert.equal(decodeTakMessage(encodeTakMessage({ ...vectorEvent(), time })).event?.time, time - 0.75);
});

test('decode: times are uint64 ms without precision loss', () => {
  const time = 4_102_444_800_123; // 2100-01-01T00:00:00.123Z, above 2^32 ms
  const event = { ...vectorEvent(), time, start: time + 1, stale: 8_640_000_000_000_000 };
  assert.deepEqual(decodeTakMessage(encodeTakMessage(event)).event, event);
});

test('decode: missing core fields, impossible times and coordinates are decode errors', () => {
  const base = wireOf(vectorMessage).cotEvent!;
  const encode = (cotEvent: object) => TakMessageType.encode({ cotEvent }).finish();
  assert.equal(decodeError(() => decodeTakMessage(encode({ ...base, uid: '' }))).reason, 'missing-field');
  assert.equal(decodeError(() => decodeTakMessage(encode({ ...base, sendTime: 2 ** 60 }))).reason, 'bad-value');
  assert.equal(decodeError(() => decodeTakMessage(encode({ ...base, lat: 91 }))).reason, 'bad-value');
  assert.equal(decodeError(() => decodeTakMessage(encode({ ...base, lon: NaN }))).reason, 'bad-value');
  const infiniteHae = decodeTakMessage(encode({ ...base, hae: Infinity, ce: 999999 })).event!;
  assert.equal(infiniteHae.point.hae, 9999999);
  assert.equal(infiniteHae.point.ce, 9999999);
});

test('TakControl: an empty control (0A 00) means versions 1..1; min > max is refused', () => {
  assert.deepEqual(decodeTakMessage(Buffer.from('0a00', 'hex')), { control: { minProtoVersion: 1, maxProtoVersion: 1 } });
  const withUid = encodeTakMessage(undefined, { minProtoVersion: 1, maxProtoVersion: 3, contactUid: 'ANDROID-1' });
  assert.deepEqual(decodeTakMessage(withUid), {
    control: { minProtoVersion: 1, maxProtoVersion: 3, contactUid: 'ANDROID-1' },
  });
  const inverted = encodeTakMessage(undefined, { minProtoVersion: 2, maxProtoVersion: 1 });
  assert.equal(decodeError(() => decodeTakMessage(inverted)).reason, 'bad-value');
  const both = decodeTakMessage(encodeProtoMesh(vectorEvent(), { minProtoVersion: 0, maxProtoVersion: 0 }).subarray(3));
  assert.deepEqual(both, { control: { minProtoVersion: 1, maxProtoVersion: 1 }, event: vectorEvent() });
});

test('an ATAK PLI is about 44% of its XML size in v1 (spec §6.4)', () => {
  const event = atakPli(1);
  const v1 = encodeProtoStream(event).length;
  const xml = Buffer.byteLength(encodeXmlString(event));
  assert.ok(v1 < xml * 0.6, `v1 ${v1} bytes vs XML ${xml} bytes`);
  assert.deepEqual(decodeTakMessage(encodeTakMessage(event)).event, event);
});
