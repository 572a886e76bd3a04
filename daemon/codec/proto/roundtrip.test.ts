// Property: for random events (seeded), event → v1 → event is deep-equal, and so is the
// XML they encode to. Covers random presence of every typed field, contacts with and
// without phone, XML specials and non-ASCII in every string, random xmlDetail fragments.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XmlEventDecoder } from '../xml/decode.js';
import { encodeXmlString } from '../xml/encode.js';
import { EventGenerator, seededRandom } from '../../../test/support/proto-fixtures.js';
import { decodeTakMessage, encodeProtoMesh, encodeProtoStream, encodeTakMessage } from './index.js';

const EVENTS = 3000;

test(`event → TakMessage → event is deep-equal for ${EVENTS} random events`, () => {
  const generate = new EventGenerator(seededRandom(0x7a4d));
  for (let i = 0; i < EVENTS; i++) {
    const event = generate.event();
    const bytes = encodeTakMessage(event);
    const decoded = decodeTakMessage(bytes);
    assert.deepEqual(decoded, { event }, `event #${i}: ${JSON.stringify(event)}`);
    // Both framings carry the same message.
    assert.deepEqual(encodeProtoStream(event).subarray(-bytes.length), Buffer.from(bytes));
    assert.deepEqual(encodeProtoMesh(event).subarray(3), Buffer.from(bytes));
  }
});

test('XML → event → v1 → event → XML gives the same XML for random events', () => {
  const generate = new EventGenerator(seededRandom(0x51ab));
  const xml = new XmlEventDecoder();
  for (let i = 0; i < 1000; i++) {
    const original = encodeXmlString(generate.event());
    const fromXml = xml.decode(original);
    const throughV1 = decodeTakMessage(encodeTakMessage(fromXml)).event!;
    assert.deepEqual(throughV1, fromXml, `event #${i}: ${original}`);
    assert.equal(encodeXmlString(throughV1), encodeXmlString(fromXml));
  }
});
