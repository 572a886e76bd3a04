// decodeDatagram: XML or TAK v1 mesh, detected per datagram; malformed and fuzzed input
// gives CotDecodeError only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeDatagram } from './datagram.js';
import { CotDecodeError } from './errors.js';
import type { DecodeErrorReason } from './errors.js';
import { EventGenerator, VECTOR_STREAM_HEX, VECTOR_XML, seededRandom, vectorEvent } from '../../test/support/proto-fixtures.js';
import { encodeProtoMesh } from './proto/index.js';
import { mutate, randomBytes } from '../../test/support/mutate.js';
import { XmlEventDecoder } from './xml/decode.js';
import { encodeXml } from './xml/encode.js';

const xml = new XmlEventDecoder();
const vectorMesh = Buffer.concat([Buffer.of(0xbf, 0x01, 0xbf), Buffer.from(VECTOR_STREAM_HEX.replaceAll(' ', ''), 'hex').subarray(2)]);

function reasonOf(datagram: Buffer): DecodeErrorReason {
  try {
    decodeDatagram(datagram, xml);
  } catch (error) {
    assert.ok(error instanceof CotDecodeError, String(error));
    return error.reason;
  }
  assert.fail('expected a decode error');
}

test('an XML datagram is version 0', () => {
  assert.deepEqual(decodeDatagram(Buffer.from(VECTOR_XML), xml), { version: 0, event: vectorEvent() });
  const withDeclaration = encodeXml(vectorEvent());
  assert.deepEqual(decodeDatagram(withDeclaration, xml), { version: 0, event: vectorEvent() });
});

test('the reference mesh datagram (BF 01 BF + 81 bytes) is version 1, both ways', () => {
  assert.deepEqual(decodeDatagram(vectorMesh, xml), { version: 1, event: vectorEvent() });
  assert.deepEqual(encodeProtoMesh(vectorEvent()), vectorMesh);
});

test('a control-only mesh datagram carries the control info', () => {
  const datagram = encodeProtoMesh(undefined, { minProtoVersion: 1, maxProtoVersion: 1, contactUid: 'ANDROID-9' });
  assert.deepEqual(decodeDatagram(datagram, xml), {
    version: 1,
    control: { minProtoVersion: 1, maxProtoVersion: 1, contactUid: 'ANDROID-9' },
  });
  assert.deepEqual(decodeDatagram(Buffer.of(0xbf, 0x01, 0xbf, 0x0a, 0x00), xml), {
    version: 1,
    control: { minProtoVersion: 1, maxProtoVersion: 1 },
  });
});

test('malformed mesh headers are bad-header', () => {
  assert.equal(reasonOf(Buffer.of(0xbf)), 'bad-header');
  assert.equal(reasonOf(Buffer.of(0xbf, 0x01)), 'bad-header');
  assert.equal(reasonOf(Buffer.of(0xbf, 0x01, 0x00, 0x0a, 0x00)), 'bad-header', 'second magic missing');
  assert.equal(reasonOf(Buffer.of(0xbf, 0x02, 0xbf, 0x0a, 0x00)), 'bad-header', 'version 2 is not supported');
  assert.equal(reasonOf(Buffer.of(0xbf, 0x00, 0xbf, 0x0a, 0x00)), 'bad-header', 'version 0 never has a header');
  assert.equal(reasonOf(Buffer.concat([Buffer.of(0xbf), Buffer.alloc(11, 0x81), Buffer.of(0xbf)])), 'bad-header');
});

test('a bad payload after a good header is bad-protobuf; a huge datagram is oversize', () => {
  assert.equal(reasonOf(Buffer.of(0xbf, 0x01, 0xbf, 0x12, 0x7f, 0x00)), 'bad-protobuf');
  assert.equal(reasonOf(Buffer.concat([vectorMesh, Buffer.alloc(70_000)])), 'oversize');
});

test('non-XML, non-v1 datagrams fail as XML', () => {
  assert.equal(reasonOf(Buffer.from('hello')), 'malformed-xml');
  const empty = reasonOf(Buffer.alloc(0));
  assert.ok(empty === 'malformed-xml' || empty === 'missing-field', empty);
});

test('fuzz: random and mutated datagrams (XML and v1) throw CotDecodeError only', () => {
  const random = seededRandom(0xda7a);
  const generate = new EventGenerator(random);
  const started = Date.now();
  const outcomes = { v0: 0, v1: 0, refused: 0 };
  for (let i = 0; i < 20_000 && Date.now() - started < 5_000; i++) {
    const event = generate.event();
    const roll = random();
    const datagram =
      roll < 0.1
        ? randomBytes(random, Math.floor(random() * 200))
        : mutate(random, roll < 0.55 ? encodeProtoMesh(event) : encodeXml(event, { declaration: random() < 0.5 }));
    try {
      const decoded = decodeDatagram(datagram, xml);
      if (decoded.version === 0) outcomes.v0++;
      else outcomes.v1++;
    } catch (error) {
      if (!(error instanceof CotDecodeError)) throw error;
      outcomes.refused++;
    }
  }
  assert.ok(outcomes.v0 > 0 && outcomes.v1 > 0 && outcomes.refused > 0, JSON.stringify(outcomes));
});
