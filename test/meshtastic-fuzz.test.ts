// Fuzz: random bytes, mutated spec streams, and well-framed but mutated FromRadio protobufs
// through the Meshtastic framer, decoder and toCot. Asserts nothing escapes, memory stays
// bounded and every CoT is sane. Bounded by iteration count and a time cap; seeded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MeshtasticFramer, meshtasticFrame } from '../hal/framers/meshtastic.js';
import { MeshtasticDecoder } from '../hal/drivers/meshtastic/decoder.js';
import { EXAMPLE_B, EXAMPLE_C, SPEC_STREAM } from '../hal/drivers/meshtastic/fixtures.js';
import type { MeshtasticMessage } from '../hal/drivers/meshtastic/messages.js';
import { MeshtasticSession } from '../hal/drivers/meshtastic/session.js';
import { createMeshtasticToCot } from '../hal/drivers/meshtastic/to-cot.js';
import { mutate, randomBytes } from './support/mutate.js';
import { seededRandom } from './support/generators.js';

const ITERATIONS = 3000;
const TIME_CAP_MS = 12_000;
const toCot = createMeshtasticToCot();

function check(message: MeshtasticMessage): void {
  const event = toCot(message, { sourceId: 'fuzz', now: 0 });
  if (event === undefined) return;
  assert.ok(Number.isFinite(event.point.lat) && Math.abs(event.point.lat) <= 90);
  assert.ok(Number.isFinite(event.point.lon) && Math.abs(event.point.lon) <= 180);
  if (event.track !== undefined) assert.ok(Number.isFinite(event.track.speed) && event.track.course >= 0 && event.track.course < 360);
  assert.ok(event.uid.length > 0);
}

function pipeline(): { framer: MeshtasticFramer; decoder: MeshtasticDecoder; session: MeshtasticSession } {
  const session = new MeshtasticSession();
  return { framer: new MeshtasticFramer(), decoder: new MeshtasticDecoder(session), session };
}

test('meshtastic fuzz: random bytes and mutated streams never throw', () => {
  const next = seededRandom(0x3e5);
  const started = Date.now();
  let iterations = 0;
  for (; iterations < ITERATIONS && Date.now() - started < TIME_CAP_MS; iterations++) {
    const input = next() < 0.3 ? randomBytes(next, Math.floor(next() * 2000)) : mutate(next, SPEC_STREAM);
    if (next() < 0.3) for (let i = 0; i < input.length; i++) if (next() < 0.03) input[i] = [0x94, 0xc3, 0x00, 0x02][Math.floor(next() * 4)];
    const { framer, decoder } = pipeline();
    let offset = 0;
    while (offset < input.length) {
      const size = 1 + Math.floor(next() * 200);
      framer.push(input.subarray(offset, offset + size), (frame) => decoder.decode(frame, check));
      offset += size;
    }
    assert.ok(framer.counters.frames <= input.length / 4);
  }
  assert.ok(iterations > 0);
});

test('meshtastic fuzz: well-framed mutated FromRadio protobufs reach the decoder and stay sane', () => {
  const next = seededRandom(0x3e6);
  const payloads = [EXAMPLE_B, EXAMPLE_C].map((frame) => frame.subarray(4));
  const { framer, decoder, session } = pipeline(); // long-lived: state must stay bounded
  const started = Date.now();
  let emitted = 0;
  let iterations = 0;
  for (; iterations < ITERATIONS * 5 && Date.now() - started < TIME_CAP_MS; iterations++) {
    const payload = mutate(next, payloads[Math.floor(next() * payloads.length)]).subarray(0, 512);
    framer.push(meshtasticFrame(payload), (frame) =>
      decoder.decode(frame, (m) => {
        emitted++;
        check(m);
      }),
    );
  }
  assert.ok(emitted > 0, 'some mutated frames still decode');
  assert.ok(decoder.counters.notProtobuf + decoder.counters.badPayload > 0, 'and some do not');
  assert.ok(session.nodes.size <= 1024);
});
