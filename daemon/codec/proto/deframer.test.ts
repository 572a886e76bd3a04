// ProtoStreamDeframer: any chunking gives the same frames; zero-copy inside a chunk;
// oversize and bad headers counted and resynchronised without losing the frames behind them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CotDecodeError } from '../errors.js';
import { EventGenerator, atakPli, seededRandom, vectorEvent } from '../../../test/support/proto-fixtures.js';
import { ProtoStreamDeframer, decodeTakMessage, encodeProtoStream } from './index.js';
import type { ProtoStreamDeframerOptions } from './index.js';

interface Run {
  payloads: Buffer[];
  errors: CotDecodeError[];
  deframer: ProtoStreamDeframer;
}

function run(chunks: Buffer[], options?: ProtoStreamDeframerOptions): Run {
  const deframer = new ProtoStreamDeframer(options);
  const payloads: Buffer[] = [];
  const errors: CotDecodeError[] = [];
  for (const chunk of chunks) {
    deframer.push(
      chunk,
      (payload) => payloads.push(Buffer.from(payload)),
      (error) => errors.push(error),
    );
  }
  return { payloads, errors, deframer };
}

function payloadOf(frame: Buffer): Buffer {
  // Frames built here are < 16 KiB: BF + a 1- or 2-byte varint.
  return frame.subarray(frame[1] & 0x80 ? 3 : 2);
}

test('a stream split at every byte position decodes identically', () => {
  const frames = [encodeProtoStream(vectorEvent()), encodeProtoStream(atakPli(7)), encodeProtoStream(atakPli(8))];
  const stream = Buffer.concat(frames);
  const expected = frames.map(payloadOf);
  for (let cut = 0; cut <= stream.length; cut++) {
    const { payloads, errors } = run([stream.subarray(0, cut), stream.subarray(cut)]);
    assert.deepEqual(payloads, expected, `split at ${cut}`);
    assert.deepEqual(errors, []);
  }
  const byteByByte = run([...stream].map((byte) => Buffer.of(byte)));
  assert.deepEqual(byteByByte.payloads, expected);
  assert.equal(byteByByte.deframer.counters.frames, 3);
});

test('random chunkings of 200 random events give the same events', () => {
  const generate = new EventGenerator(seededRandom(99));
  const events = Array.from({ length: 200 }, () => generate.event());
  const stream = Buffer.concat(events.map(encodeProtoStream));
  const random = seededRandom(7);
  const chunks: Buffer[] = [];
  for (let at = 0; at < stream.length; ) {
    const size = 1 + Math.floor(random() * 700);
    chunks.push(stream.subarray(at, at + size));
    at += size;
  }
  const { payloads, errors } = run(chunks);
  assert.deepEqual(errors, []);
  assert.deepEqual(
    payloads.map((payload) => decodeTakMessage(payload).event),
    events,
  );
});

test('payloads inside one chunk are views of it; a frame spanning chunks is assembled once', () => {
  const frame = encodeProtoStream(atakPli(1));
  const chunk = Buffer.concat([frame, frame]);
  const deframer = new ProtoStreamDeframer();
  const views: Buffer[] = [];
  deframer.push(chunk, (payload) => views.push(payload), assert.fail);
  assert.equal(views.length, 2);
  for (const view of views) assert.equal(view.buffer, chunk.buffer, 'a view of the pushed chunk');

  const spanning: Buffer[] = [];
  deframer.push(frame.subarray(0, 10), (payload) => spanning.push(payload), assert.fail);
  assert.equal(deframer.bufferedBytes, 10 - 3);
  deframer.push(frame.subarray(10), (payload) => spanning.push(payload), assert.fail);
  assert.equal(spanning.length, 1);
  assert.equal(spanning[0].length, payloadOf(frame).length, 'assembled into a buffer of exactly its size');
  assert.deepEqual(spanning[0], payloadOf(frame));
  assert.equal(deframer.bufferedBytes, 0);
});

test('an oversize length is corruption: counted, and the frames behind it are found (not skipped on its word)', () => {
  const small = encodeProtoStream(vectorEvent());
  const bigPayload = Buffer.alloc(300, 0xbf); // full of magic bytes: every one a false start
  const big = Buffer.concat([Buffer.of(0xbf, 0xac, 0x02), bigPayload]);
  const stream = Buffer.concat([small, big, small, small]);
  for (const chunkSize of [1, 7, 64, stream.length]) {
    const chunks: Buffer[] = [];
    for (let at = 0; at < stream.length; at += chunkSize) chunks.push(stream.subarray(at, at + chunkSize));
    const deframer = new ProtoStreamDeframer({ maxBytes: 256 });
    const payloads: Buffer[] = [];
    const reasons: string[] = [];
    for (const chunk of chunks) {
      deframer.push(chunk, (p) => payloads.push(Buffer.from(p)), (e) => reasons.push(e.reason));
      assert.ok(deframer.bufferedBytes <= 256);
    }
    assert.deepEqual(payloads, [payloadOf(small), payloadOf(small), payloadOf(small)], `chunks of ${chunkSize}`);
    assert.equal(reasons[0], 'oversize');
    assert.equal(deframer.counters.oversize, 1);
    assert.equal(deframer.counters.bytesDropped, big.length);
  }
});

test('a length varint cut short and followed by garbage swallows no good frame', () => {
  const good = Array.from({ length: 10 }, (_, i) => encodeProtoStream({ ...vectorEvent(), uid: `good-${i}` }));
  // 0xBF, a varint that says "more to come", then text: read as a length, the text makes a
  // believable size (here 0x78 * 128 + …), which must not be taken on its word.
  const garbage = Buffer.from('xyzzy garbage that is not a frame '.repeat(20));
  const stream = Buffer.concat([Buffer.of(0xbf, 0x80), garbage, ...good]);
  for (const chunkSize of [1, 13, 512, stream.length]) {
    const chunks: Buffer[] = [];
    for (let at = 0; at < stream.length; at += chunkSize) chunks.push(stream.subarray(at, at + chunkSize));
    const { payloads, errors, deframer } = run(chunks);
    assert.deepEqual(payloads, good.map(payloadOf), `chunks of ${chunkSize}`);
    assert.deepEqual(errors.map((e) => e.reason), ['bad-header']);
    assert.equal(deframer.counters.bytesDropped, 2 + garbage.length);
  }
});

test('a payload the caller cannot decode is hunted again: a good frame inside it is found', () => {
  const inner = encodeProtoStream(vectorEvent());
  // A plausible header (length 100, first byte 0x12) whose payload holds a real frame.
  const fake = Buffer.concat([Buffer.of(0xbf, 100, 0x12, 0x00), inner, Buffer.alloc(100 - 2 - inner.length, 0x20)]);
  const stream = Buffer.concat([fake, inner]);
  for (const chunkSize of [1, 5, stream.length]) {
    const deframer = new ProtoStreamDeframer();
    const payloads: Buffer[] = [];
    for (let at = 0; at < stream.length; at += chunkSize) {
      deframer.push(stream.subarray(at, at + chunkSize), (p) => {
        try {
          decodeTakMessage(p);
        } catch {
          return false;
        }
        payloads.push(Buffer.from(p));
        return true;
      }, () => undefined);
    }
    assert.deepEqual(payloads, [payloadOf(inner), payloadOf(inner)], `chunks of ${chunkSize}`);
    assert.equal(deframer.counters.rescanned, 1);
  }
});

test('reset() drops a partial frame', () => {
  const frame = encodeProtoStream(vectorEvent());
  const deframer = new ProtoStreamDeframer();
  const payloads: Buffer[] = [];
  deframer.push(frame.subarray(0, 20), (p) => payloads.push(p), assert.fail);
  deframer.reset();
  assert.equal(deframer.bufferedBytes, 0);
  deframer.push(frame, (p) => payloads.push(p), assert.fail);
  assert.deepEqual(payloads, [payloadOf(frame)]);
});
