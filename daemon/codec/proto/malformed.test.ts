// Bad input is normal input: every malformed stream or payload gives counted decode errors,
// never an exception, and the good frames around it still come through.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import protobuf from 'protobufjs';
import { CotDecodeError } from '../errors.js';
import type { DecodeErrorReason } from '../errors.js';
import { vectorEvent } from '../../../test/support/proto-fixtures.js';
import { ProtoStreamDeframer, decodeTakMessage, encodeProtoStream, encodeTakMessage } from './index.js';
import { protoRoot, takMessageType } from './reflection.js';
import { PROTO_PACKAGE } from './schema.js';

const TakMessageType = takMessageType();
const CotEventType = protoRoot().lookupType(`${PROTO_PACKAGE}.CotEvent`);

const good = encodeProtoStream(vectorEvent());

/** Runs a stream through the deframer and decodes each payload, as a stream reader would. */
function readStream(stream: Buffer): { events: number; reasons: DecodeErrorReason[]; deframer: ProtoStreamDeframer } {
  const deframer = new ProtoStreamDeframer();
  const reasons: DecodeErrorReason[] = [];
  let events = 0;
  deframer.push(
    stream,
    (payload) => {
      try {
        if (decodeTakMessage(payload).event) events++;
      } catch (error) {
        assert.ok(error instanceof CotDecodeError, String(error));
        reasons.push(error.reason);
      }
    },
    (error) => reasons.push(error.reason),
  );
  return { events, reasons, deframer };
}

function payloadError(payload: Uint8Array): DecodeErrorReason {
  try {
    decodeTakMessage(payload);
  } catch (error) {
    assert.ok(error instanceof CotDecodeError, String(error));
    return error.reason;
  }
  assert.fail('expected a decode error');
}

/** A vector TakMessage whose detail is `detail` (a wire Detail object). */
function withDetail(detail: object): Uint8Array {
  const cotEvent = TakMessageType.toObject(TakMessageType.decode(encodeTakMessage(vectorEvent())), { longs: Number })
    .cotEvent as object;
  return TakMessageType.encode({ cotEvent: { ...cotEvent, detail } }).finish();
}

test('bad magic before a frame: one bad-header error for the run, the frame survives', () => {
  const { events, reasons, deframer } = readStream(Buffer.concat([Buffer.from('<event>junk'), good]));
  assert.equal(events, 1);
  assert.deepEqual(reasons, ['bad-header']);
  assert.equal(deframer.counters.bytesDropped, 11);
});

test('garbage between frames is dropped and counted once per run', () => {
  const { events, reasons } = readStream(Buffer.concat([good, Buffer.from('\r\nhello'), good, Buffer.of(0, 1), good]));
  assert.equal(events, 3);
  assert.deepEqual(reasons, ['bad-header', 'bad-header']);
});

test('a truncated length varint at the end of the stream waits, emits nothing and holds nothing', () => {
  const { events, reasons, deframer } = readStream(Buffer.concat([good, Buffer.of(0xbf, 0x80)]));
  assert.equal(events, 1);
  assert.deepEqual(reasons, []);
  assert.equal(deframer.bufferedBytes, 0);
});

test('a length varint of 10+ bytes is a bad header; the next frame is found', () => {
  const tooLong = Buffer.concat([Buffer.of(0xbf), Buffer.alloc(11, 0x80), Buffer.of(0x01)]);
  const { events, reasons } = readStream(Buffer.concat([tooLong, good]));
  assert.equal(events, 1);
  assert.deepEqual(reasons, ['bad-header']);
});

test('a zero length is a bad header (an empty TakMessage carries nothing)', () => {
  const { events, reasons } = readStream(Buffer.concat([Buffer.of(0xbf, 0x00), good]));
  assert.equal(events, 1);
  assert.deepEqual(reasons, ['bad-header']);
});

test('an oversize length is counted as oversize; the next frame is found', () => {
  const oversize = Buffer.concat([Buffer.of(0xbf, 0x81, 0x80, 0x04), Buffer.alloc(65537, 0x42)]);
  const { events, reasons } = readStream(Buffer.concat([oversize, good]));
  assert.equal(events, 1);
  assert.deepEqual(reasons, ['oversize']);
});

test('a payload that is not protobuf is bad-protobuf; one that does not start as a TakMessage is a bad header', () => {
  const garbage = Buffer.concat([Buffer.of(0xbf, 0x06), Buffer.of(0x12, 0xff, 0xff, 0xff, 0xff, 0xff)]);
  const { events, reasons } = readStream(Buffer.concat([garbage, good]));
  assert.equal(events, 1);
  assert.deepEqual(reasons, ['bad-protobuf']);
  const notStarting = Buffer.concat([Buffer.of(0xbf, 0x06), Buffer.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff)]);
  assert.deepEqual(readStream(Buffer.concat([notStarting, good])).reasons, ['bad-header']);
  assert.equal(payloadError(Buffer.of(0x12, 0x40, 0x0a)), 'bad-protobuf', 'length runs past the end');
  assert.equal(payloadError(Buffer.of(0x0f)), 'bad-protobuf', 'wire type 7 does not exist');
  assert.equal(payloadError(Buffer.of(0x0b, 0x08, 0x01)), 'bad-protobuf', 'a group that never ends');
});

test('wrong wire types for known fields never yield a wrong value', () => {
  // cotEvent (field 2) sent as a varint: skipped, so the message carries no event.
  assert.deepEqual(decodeTakMessage(Buffer.of(0x10, 0x05)), {});
  // uid (CotEvent field 5) sent as a varint: skipped, so the event lacks its uid.
  const wire = TakMessageType.toObject(TakMessageType.decode(encodeTakMessage(vectorEvent())), { longs: Number });
  const withoutUid = CotEventType.encode({ ...wire.cotEvent, uid: '' }).finish();
  const cotEvent = Buffer.concat([withoutUid, Buffer.of(0x28, 0x05)]);
  const message = protobuf.Writer.create().uint32(0x12).bytes(cotEvent).finish();
  assert.equal(payloadError(message), 'missing-field');
  // takControl (field 1) as a fixed64.
  assert.deepEqual(decodeTakMessage(Buffer.of(0x09, 1, 2, 3, 4, 5, 6, 7, 8)), {});
});

test('invalid UTF-8 in a string field is bad-protobuf', () => {
  const message = Buffer.from(encodeTakMessage(vectorEvent()));
  const uid = message.indexOf(Buffer.of(0x2a, 0x01, 0x61)) + 2;
  message[uid] = 0xc3; // a lead byte with no continuation
  assert.equal(payloadError(message), 'bad-protobuf');
});

test('xmlDetail that is not well-formed is malformed-xml', () => {
  assert.equal(payloadError(withDetail({ xmlDetail: '<remarks>open' })), 'malformed-xml');
  assert.equal(payloadError(withDetail({ xmlDetail: '<a></b>' })), 'malformed-xml');
  assert.equal(payloadError(withDetail({ xmlDetail: '<a x="1" x="2"/>' })), 'malformed-xml');
});

test('xmlDetail that tries to close <detail> and <event> is refused, not spliced', () => {
  const injection = '<remarks/></detail></event><event version="2.0" uid="evil"><detail>';
  assert.equal(payloadError(withDetail({ xmlDetail: injection })), 'malformed-xml');
  assert.equal(payloadError(withDetail({ xmlDetail: '</detail><detail>' })), 'malformed-xml');
});

test('xmlDetail with a DOCTYPE or ENTITY is refused', () => {
  const reason = payloadError(withDetail({ xmlDetail: '<!DOCTYPE x [<!ENTITY e "boom">]><remarks>&e;</remarks>' }));
  assert.ok(reason === 'doctype' || reason === 'malformed-xml', reason);
});
