// Round-trip properties over generated events: XML → event → XML, and XML → TAK v1 →
// XML, lose nothing the spec can carry; a stream split at every byte decodes identically.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CotEvent } from '../daemon/codec/event.js';
import { decodeTakMessage, encodeProtoStream, encodeTakMessage } from '../daemon/codec/proto/index.js';
import { CotStreamDecoder } from '../daemon/codec/stream.js';
import { XmlEventDecoder } from '../daemon/codec/xml/decode.js';
import { encodeXmlString } from '../daemon/codec/xml/encode.js';
import { atakPliCorpus, randomCotEvent, seededRandom } from './support/generators.js';

const decoder = new XmlEventDecoder();

test('random events: event → XML → event is exact, and XML → event → XML is byte-identical', () => {
  const random = seededRandom(2026);
  for (let i = 0; i < 2000; i++) {
    const event = randomCotEvent(random);
    const xml = encodeXmlString(event);
    const back = decoder.decode(Buffer.from(xml));
    assert.deepEqual(back, event, xml);
    assert.equal(encodeXmlString(back), xml);
  }
});

test('random events: XML → TAK v1 → XML is lossless (contact phone and precisionlocation included)', () => {
  const random = seededRandom(7);
  let withPhone = 0;
  for (let i = 0; i < 2000; i++) {
    const event = decoder.decode(encodeXmlString(randomCotEvent(random)));
    if (event.contact?.phone !== undefined) withPhone++;
    const decoded = decodeTakMessage(encodeTakMessage(event)).event;
    assert.deepEqual(decoded, event);
    assert.equal(encodeXmlString(decoded!), encodeXmlString(event));
  }
  assert.ok(withPhone > 50, 'the generator exercises contact phone');
});

test('ATAK-written PLI: every detail child survives XML → v1 → XML, unknown ones byte for byte', () => {
  for (const xml of atakPliCorpus(300, 3)) {
    const event = decoder.decode(xml);
    assert.ok(event.contact && event.group && event.takv && event.status && event.track && event.precisionLocation);
    // The untyped children are exact substrings of what ATAK wrote.
    assert.ok(event.xmlDetail !== undefined && xml.includes(event.xmlDetail.slice(0, event.xmlDetail.indexOf('/>') + 2)));
    const viaProto = decodeTakMessage(encodeTakMessage(event)).event!;
    assert.deepEqual(viaProto, event);
  }
});

function decodeStream(chunks: Buffer[]): { events: CotEvent[]; errors: string[] } {
  const events: CotEvent[] = [];
  const errors: string[] = [];
  const stream = new CotStreamDecoder({
    onEvent: (event) => {
      events.push(event);
      // Negotiation: the server's t-x-takp-r status="true" switches the stream to v1 frames.
      if (event.type === 't-x-takp-r') stream.setProtocol(1);
    },
    onError: (e) => errors.push(`${e.reason}@${e.offset}`),
  });
  for (const chunk of chunks) stream.push(chunk);
  return { events, errors };
}

test('a stream that switches from XML to TAK v1 mid-chunk decodes identically at every split', () => {
  const pli = atakPliCorpus(2, 11).map((x) => decoder.decode(x));
  const accept = decoder.decode(
    '<event version="2.0" uid="protouid" type="t-x-takp-r" how="m-g" time="2020-01-01T00:00:00Z" start="2020-01-01T00:00:00Z" stale="2020-01-01T00:01:00Z"><point lat="0" lon="0" hae="0" ce="999999" le="999999"/><detail><TakControl><TakResponse status="true"/></TakControl></detail></event>',
  );
  const bytes = Buffer.concat([
    Buffer.from(encodeXmlString(pli[0])),
    Buffer.from(encodeXmlString(accept)),
    encodeProtoStream(pli[1]),
    encodeProtoStream(pli[0]),
  ]);
  const expected = [pli[0], accept, pli[1], pli[0]];
  assert.deepEqual(decodeStream([bytes]).events, expected);
  for (let cut = 1; cut < bytes.length; cut++) {
    const { events, errors } = decodeStream([bytes.subarray(0, cut), bytes.subarray(cut)]);
    assert.deepEqual(errors, [], `cut ${cut}`);
    assert.deepEqual(events, expected, `cut ${cut}`);
  }
});

test('an XML stream of ATAK PLI split at every byte position decodes identically', () => {
  const xml = Buffer.from(atakPliCorpus(3, 5).join(''));
  const whole = decodeStream([xml]).events;
  assert.equal(whole.length, 3);
  for (let cut = 1; cut < xml.length; cut++) {
    assert.deepEqual(decodeStream([xml.subarray(0, cut), xml.subarray(cut)]).events, whole, `cut ${cut}`);
  }
});
