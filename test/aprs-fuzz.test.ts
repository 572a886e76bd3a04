// Fuzz: random bytes and mutated KISS streams through the KISS framer and APRS decoder,
// and mutated TNC2 lines through the text path, with toCot on every packet. Asserts nothing
// escapes and every value is sane. Bounded by iteration count and a time cap; seeded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kissEncode } from '../hal/framers/kiss.js';
import { encodeAx25 } from '../hal/drivers/kiss-aprs/ax25.js';
import { createAprsPipeline } from '../hal/drivers/kiss-aprs/pipeline.js';
import type { AprsPacket } from '../hal/drivers/kiss-aprs/packet.js';
import { createAprsToCot } from '../hal/drivers/kiss-aprs/to-cot.js';
import { SPEC_PACKETS } from '../hal/drivers/kiss-aprs/fixtures.js';
import { mutate, randomBytes } from './support/mutate.js';
import { seededRandom } from './support/generators.js';

const ITERATIONS = 3000;
const TIME_CAP_MS = 12_000;
const toCot = createAprsToCot();


const stream = Buffer.concat(SPEC_PACKETS.map(([to, from, info]) => kissEncode(encodeAx25(to, from, ['WIDE1-1', 'WIDE2-1'], Buffer.from(info, 'latin1')))));

function check(packet: AprsPacket): void {
  assert.ok(Number.isFinite(packet.latitude) && Math.abs(packet.latitude) <= 90, `lat ${packet.latitude}`);
  assert.ok(Number.isFinite(packet.longitude) && Math.abs(packet.longitude) <= 180, `lon ${packet.longitude}`);
  if (packet.speed !== undefined) assert.ok(Number.isFinite(packet.speed) && packet.speed >= 0);
  if (packet.course !== undefined) assert.ok(packet.course >= 0 && packet.course <= 360);
  if (packet.altitude !== undefined) assert.ok(Number.isFinite(packet.altitude));
  const event = toCot(packet, { sourceId: 'fuzz', now: 0 });
  assert.ok(event !== undefined && event.uid.startsWith('APRS.'));
}

test('aprs fuzz: the unmutated spec stream decodes every packet', () => {
  const pipeline = createAprsPipeline();
  let count = 0;
  pipeline.push(stream, (p) => {
    check(p);
    count++;
  });
  assert.equal(count, SPEC_PACKETS.length);
});

test('aprs fuzz: random bytes and mutated KISS streams never throw', () => {
  const next = seededRandom(0xa985);
  const started = Date.now();
  let iterations = 0;
  for (; iterations < ITERATIONS && Date.now() - started < TIME_CAP_MS; iterations++) {
    const input = next() < 0.3 ? randomBytes(next, Math.floor(next() * 1500)) : mutate(next, stream);
    if (next() < 0.3) for (let i = 0; i < input.length; i++) if (next() < 0.05) input[i] = [0xc0, 0xdb, 0xdc, 0xdd][Math.floor(next() * 4)];
    const pipeline = createAprsPipeline();
    let offset = 0;
    while (offset < input.length) {
      const size = 1 + Math.floor(next() * 200);
      pipeline.push(input.subarray(offset, offset + size), check);
      offset += size;
    }
    assert.ok(pipeline.framer.counters.bytesDropped <= input.length);
  }
  assert.ok(iterations > 0);
});

test('aprs fuzz: mutated TNC2 lines never throw', () => {
  const next = seededRandom(0x7c2);
  const lines = SPEC_PACKETS.map(([to, from, info]) => `${from}>${to},WIDE1*:${info}`);
  const started = Date.now();
  const pipeline = createAprsPipeline();
  let decoded = 0;
  let iterations = 0;
  for (; iterations < ITERATIONS * 5 && Date.now() - started < TIME_CAP_MS; iterations++) {
    const line = mutate(next, Buffer.from(lines[Math.floor(next() * lines.length)], 'latin1')).toString('latin1');
    pipeline.pushText(line, (p) => {
      decoded++;
      check(p);
    });
  }
  assert.ok(decoded > 0, 'some mutated packets still decode');
  assert.ok(Object.keys(pipeline.decoder.counters).length < 40, 'counter names are bounded');
});
