// TAK protocol v1 stream frames (0xBF, varint length, TakMessage): ProtoStreamDeframer with
// decodeTakMessage, alone and inside CotStreamDecoder. Never throws; no payload over the
// limit; the deframer holds at most maxBytes; what it skips is bounded by what it was given
// and counted; counters agree with the callbacks; after a reset a good frame comes through.
import { CotStreamDecoder } from '../../../daemon/codec/stream.js';
import { decodeTakMessage, encodeProtoStream, ProtoStreamDeframer } from '../../../daemon/codec/proto/index.js';
import { XmlEventDecoder } from '../../../daemon/codec/xml/decode.js';
import { check, chunks, type FuzzTarget } from '../target.js';
import { GOOD_EVENT, PROTO_DICTIONARY } from './dictionaries.js';

const MAX_BYTES = 4096;
const GOOD_FRAME = encodeProtoStream(new XmlEventDecoder().decode(GOOD_EVENT));

export const target: FuzzTarget = {
  name: 'tak-stream',
  sources: ['daemon/codec/proto/deframer', 'daemon/codec/proto/message', 'daemon/codec/proto/decode', 'daemon/codec/proto/control', 'daemon/codec/proto/event-mapping', 'daemon/codec/proto/typed-detail', 'daemon/codec/proto/varint', 'daemon/codec/stream'],
  dictionary: PROTO_DICTIONARY,
  maxLength: 8192,
  fuzz(data) {
    const parts = chunks(data);
    let total = 0;
    for (const p of parts) total += p.length;

    // The deframer alone, with the payload check the stream decoder uses.
    const deframer = new ProtoStreamDeframer({ maxBytes: MAX_BYTES });
    let payloads = 0;
    let delivered = 0;
    for (const part of parts) {
      deframer.push(part, (payload) => {
        check(payload.length <= MAX_BYTES, `payload of ${payload.length} bytes over the limit`);
        payloads++;
        try {
          decodeTakMessage(payload);
          delivered += payload.length;
          return true;
        } catch (err) {
          check(err instanceof Error && err.name === 'CotDecodeError', `decodeTakMessage threw ${String(err)}`);
          return false;
        }
      }, (error) => check(error.name === 'CotDecodeError', `onError got ${error.name}`));
      check(deframer.bufferedBytes <= MAX_BYTES, `deframer holds ${deframer.bufferedBytes} bytes`);
    }
    const c = deframer.counters;
    check(c.frames + c.rescanned === payloads, `frames ${c.frames} + rescanned ${c.rescanned} != ${payloads} payloads`);
    check(c.bytesDropped <= total, `dropped ${c.bytesDropped} of ${total} bytes`);
    check(delivered + c.bytesDropped <= total, `delivered ${delivered} + dropped ${c.bytesDropped} > ${total} bytes`);

    // Inside the stream decoder, switched to v1 from the start.
    let events = 0;
    let errors = 0;
    const stream = new CotStreamDecoder({ maxEventBytes: MAX_BYTES, onEvent: () => void events++, onError: () => void errors++ });
    stream.setProtocol(1);
    for (const part of parts) stream.push(part);
    check(stream.counters.events === events, 'event counter disagrees');
    check(Object.values(stream.counters.errors).reduce((a, b) => a + b, 0) === errors, 'error counters disagree');
    const before = events;
    stream.reset();
    stream.setProtocol(1);
    stream.push(GOOD_FRAME);
    check(events === before + 1 && stream.counters.events === events, 'a good frame after reset() was not delivered');
  },
};
