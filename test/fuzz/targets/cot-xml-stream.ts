// CoT XML over a stream (TCP/TLS, serial, file): CotStreamDecoder → XmlEventFramer →
// XmlEventDecoder (quick engine, saxes behind it). Never throws; the framer holds at most
// maxEventBytes + 16; every frame fits the limit; counters agree with the callbacks; after a
// reset a good event comes through. And the framer agrees with the decoder: input that the
// decoder takes as one whole event arrives from the stream as exactly that event, however
// it is chunked (a framer that cut an event at a "</event>" inside a comment broke this).
import { isDeepStrictEqual } from 'node:util';
import type { CotEvent } from '../../../daemon/codec/event.js';
import { CotStreamDecoder } from '../../../daemon/codec/stream.js';
import { XmlEventDecoder } from '../../../daemon/codec/xml/decode.js';
import { check, chunks, type FuzzTarget } from '../target.js';
import { XML_DICTIONARY, GOOD_EVENT } from './dictionaries.js';

const MAX_EVENT_BYTES = 4096;
const whole = new XmlEventDecoder();

function decodeWhole(body: Buffer): CotEvent | undefined {
  if (body.length > MAX_EVENT_BYTES) return undefined;
  try {
    return whole.decode(body);
  } catch {
    return undefined;
  }
}

export const target: FuzzTarget = {
  name: 'cot-xml-stream',
  sources: ['daemon/codec/stream', 'daemon/codec/xml/framer', 'daemon/codec/xml/decode', 'daemon/codec/xml/quick-engine', 'daemon/codec/xml/detail', 'daemon/codec/xml/event-attributes', 'daemon/codec/xml/fragment-scan', 'daemon/codec/xml/subset', 'daemon/codec/xml/time', 'daemon/codec/xml/decimal', 'daemon/codec/xml/attributes'],
  dictionary: XML_DICTIONARY,
  maxLength: 8192,
  fuzz(data) {
    let events = 0;
    let errors = 0;
    const delivered: CotEvent[] = [];
    const stream = new CotStreamDecoder({
      maxEventBytes: MAX_EVENT_BYTES,
      onEvent(event, frame) {
        events++;
        if (delivered.length < 2) delivered.push(event);
        check(frame.length <= MAX_EVENT_BYTES, `frame of ${frame.length} bytes over the limit`);
        check(typeof event.uid === 'string' && event.uid.length > 0 && typeof event.type === 'string', 'event without uid or type');
        check(Number.isFinite(event.point.lat) && Number.isFinite(event.point.lon), 'non-finite point');
      },
      onError(error) {
        errors++;
        check(error.name === 'CotDecodeError', `onError got ${error.name}`);
      },
    });
    const framer = (stream as unknown as { xmlFramer: { accLength: number } }).xmlFramer;
    for (const chunk of chunks(data)) {
      stream.push(chunk);
      check(framer.accLength <= MAX_EVENT_BYTES + 16, `framer holds ${framer.accLength} bytes`);
    }
    const expected = data.length > 0 ? decodeWhole(data.subarray(1)) : undefined;
    if (expected) {
      check(events === 1 && isDeepStrictEqual(delivered[0], expected), `the decoder takes the input as one event, the stream delivered ${events}: ${JSON.stringify(delivered).slice(0, 400)}`);
    }
    check(stream.counters.events === events, `counters.events ${stream.counters.events} != ${events} delivered`);
    const counted = Object.values(stream.counters.errors).reduce((a, b) => a + b, 0);
    check(counted === errors, `error counters ${counted} != ${errors} reported`);
    const before = events;
    stream.reset();
    stream.push(GOOD_EVENT);
    check(events === before + 1 && stream.counters.events === events, 'a good event after reset() was not delivered');
  },
};
