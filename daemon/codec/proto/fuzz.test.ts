// Fuzz: random and mutated v1 streams through the deframer and the payload decoder. Only
// CotDecodeError may come out (through the callback or from decodeTakMessage), and the
// deframer never holds more than one frame. Bounded by iterations and a time cap.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CotDecodeError } from '../errors.js';
import { EventGenerator, seededRandom } from '../../../test/support/proto-fixtures.js';
import { ProtoStreamDeframer, decodeTakMessage, encodeProtoStream } from './index.js';
import { mutate, randomBytes } from '../../../test/support/mutate.js';

const MAX_ITERATIONS = 20_000;
const TIME_CAP_MS = 5_000;
const MAX_BYTES = 4096;

test('fuzz: no exception escapes the deframer or decodeTakMessage; buffers stay bounded', () => {
  const random = seededRandom(0xf0220);
  const generate = new EventGenerator(random);
  const samples = Array.from({ length: 50 }, () => encodeProtoStream(generate.event()));
  const deframer = new ProtoStreamDeframer({ maxBytes: MAX_BYTES });
  const counts = { frames: 0, events: 0, errors: 0 };
  const onPayload = (payload: Buffer) => {
    counts.frames++;
    assert.ok(payload.length <= MAX_BYTES);
    try {
      if (decodeTakMessage(payload).event) counts.events++;
    } catch (error) {
      if (!(error instanceof CotDecodeError)) throw error;
      counts.errors++;
    }
  };
  const onError = (error: CotDecodeError) => {
    assert.ok(error instanceof CotDecodeError);
    counts.errors++;
  };

  const started = Date.now();
  let iterations = 0;
  for (; iterations < MAX_ITERATIONS && Date.now() - started < TIME_CAP_MS; iterations++) {
    const input =
      random() < 0.2 ? randomBytes(random, 1 + Math.floor(random() * 300)) : mutate(random, Buffer.concat([
        samples[Math.floor(random() * samples.length)],
        samples[Math.floor(random() * samples.length)],
      ]));
    for (let at = 0; at < input.length; ) {
      const size = 1 + Math.floor(random() * 200);
      deframer.push(input.subarray(at, at + size), onPayload, onError);
      at += size;
      assert.ok(deframer.bufferedBytes <= MAX_BYTES);
    }
  }
  assert.ok(iterations > 100, `ran ${iterations} iterations`);
  assert.ok(counts.events > 0 && counts.errors > 0, JSON.stringify(counts));
});

test('fuzz: mutated TakMessages decode or fail with CotDecodeError only', () => {
  const random = seededRandom(0xbeef);
  const generate = new EventGenerator(random);
  const started = Date.now();
  let decoded = 0;
  let refused = 0;
  for (let i = 0; i < MAX_ITERATIONS && Date.now() - started < TIME_CAP_MS; i++) {
    const message = encodeProtoStream(generate.event()).subarray(3);
    try {
      decodeTakMessage(mutate(random, message));
      decoded++;
    } catch (error) {
      if (!(error instanceof CotDecodeError)) throw error;
      refused++;
    }
  }
  assert.ok(decoded > 0 && refused > 0, `decoded ${decoded}, refused ${refused}`);
});
