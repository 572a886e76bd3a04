// The hand-mapped codec (encode.ts, decode.ts) against the reference: protobufjs reflection
// built from the schema table, with the object mapping of event-mapping.ts. Same bytes out
// for every event; the same event, control or refusal back for every input, mutated ones
// included. Bounded by iteration count and a time cap.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CotDecodeError } from '../errors.js';
import { EventGenerator, atakPli, seededRandom, vectorEvent } from '../../../test/support/proto-fixtures.js';
import { mutate } from '../../../test/support/mutate.js';
import { wireToControl } from './control.js';
import { wireToEvent } from './event-mapping.js';
import { encodeProtoMesh, encodeProtoStream } from './framing.js';
import { decodeTakMessage, encodeTakMessage, takMessageToWire } from './message.js';
import { varintLength, writeVarint } from './varint.js';
import { takMessageType } from './reflection.js';
import type { WireTakMessage } from './schema.js';
import type { DecodedTakMessage } from './message.js';

const TakMessageType = takMessageType();

const MAX_ITERATIONS = 20_000;
const TIME_CAP_MS = 5_000;

function referenceEncode(...args: Parameters<typeof takMessageToWire>): Buffer {
  return Buffer.from(TakMessageType.encode(takMessageToWire(...args)).finish());
}

function referenceDecode(bytes: Uint8Array): DecodedTakMessage {
  let wire: WireTakMessage;
  try {
    wire = TakMessageType.decode(bytes) as WireTakMessage;
  } catch (error) {
    throw new CotDecodeError('bad-protobuf', (error as Error).message);
  }
  const decoded: DecodedTakMessage = {};
  if (wire.takControl) decoded.control = wireToControl(wire.takControl);
  if (wire.cotEvent) decoded.event = wireToEvent(wire.cotEvent);
  return decoded;
}

type Outcome = { decoded: DecodedTakMessage } | { refused: string };

function outcome(decode: (bytes: Uint8Array) => DecodedTakMessage, bytes: Uint8Array): Outcome {
  try {
    return { decoded: decode(bytes) };
  } catch (error) {
    assert.ok(error instanceof CotDecodeError, String(error));
    return { refused: error.reason };
  }
}

test('encode: the same bytes as protobufjs reflection, for the vector, ATAK PLIs and random events', () => {
  assert.deepEqual(encodeTakMessage(vectorEvent()), referenceEncode(vectorEvent()));
  for (let i = 0; i < 200; i++) assert.deepEqual(encodeTakMessage(atakPli(i)), referenceEncode(atakPli(i)));
  const generate = new EventGenerator(seededRandom(0xc0de));
  for (let i = 0; i < 3000; i++) {
    const event = generate.event();
    if (i % 5 === 0) event.xmlDetail = 'x'.repeat(i * 7); // lengths that need 2 and 3 varint bytes
    assert.deepEqual(encodeTakMessage(event), referenceEncode(event), JSON.stringify(event));
  }
  const control = { minProtoVersion: 1, maxProtoVersion: 3, contactUid: 'ANDROID-1' };
  assert.deepEqual(encodeTakMessage(vectorEvent(), control), referenceEncode(vectorEvent(), control));
  assert.deepEqual(encodeTakMessage(undefined, control), referenceEncode(undefined, control));
});

test('stream and mesh framing wrap the same bytes, whatever the length varint needs', () => {
  for (const size of [0, 50, 200, 20_000, 3_000_000]) {
    const event = { ...atakPli(size), xmlDetail: `<remarks>${'r'.repeat(size)}</remarks>` };
    const message = referenceEncode(event);
    const header = Buffer.alloc(1 + varintLength(message.length), 0xbf);
    writeVarint(header, 1, message.length);
    assert.deepEqual(encodeProtoStream(event), Buffer.concat([header, message]), `size ${size}`);
    assert.deepEqual(encodeProtoMesh(event), Buffer.concat([Buffer.of(0xbf, 0x01, 0xbf), message]), `size ${size}`);
  }
});

test('decode: the same result as the reference for valid and mutated messages', () => {
  const random = seededRandom(0xd1ff);
  const generate = new EventGenerator(random);
  const started = Date.now();
  let decoded = 0;
  let refused = 0;
  for (let i = 0; i < MAX_ITERATIONS && Date.now() - started < TIME_CAP_MS; i++) {
    const control = i % 7 === 0 ? { minProtoVersion: i % 3, maxProtoVersion: 2, contactUid: generate.string() } : undefined;
    const message = referenceEncode(i % 11 === 0 ? undefined : generate.event(), control);
    const input = i % 4 === 0 ? message : mutate(random, message);
    const ours = outcome(decodeTakMessage, input);
    assert.deepEqual(ours, outcome(referenceDecode, input), input.toString('hex'));
    if ('decoded' in ours) decoded++;
    else refused++;
  }
  assert.ok(decoded > 100 && refused > 100, `decoded ${decoded}, refused ${refused}`);
});

test('decode: merges and overrides like protobufjs (a repeated sub-message merges, a later scalar wins)', () => {
  const first = referenceEncode({ ...vectorEvent(), track: { speed: 1, course: 2 } });
  const second = referenceEncode({ ...vectorEvent(), uid: 'b', group: { name: 'Cyan', role: 'HQ' } });
  const twice = Buffer.concat([first, second]);
  assert.deepEqual(decodeTakMessage(twice), referenceDecode(twice));
  assert.equal(decodeTakMessage(twice).event?.uid, 'b');
  assert.deepEqual(decodeTakMessage(twice).event?.track, { speed: 1, course: 2 });
});

test('decode: a plain Uint8Array (not a Buffer) decodes the same', () => {
  const bytes = encodeTakMessage(atakPli(7));
  const plain = new Uint8Array(bytes.length + 3).subarray(3);
  plain.set(bytes);
  assert.deepEqual(decodeTakMessage(plain), { event: atakPli(7) });
});
