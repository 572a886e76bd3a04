// WebSocket messages carrying TAK v1 frames (daemon/transports/wss/): splitStreamFrames (the
// sink's split of joined frames) gives back exactly its input, every piece but the last a
// whole frame; and each message through the stream decoder as the wss session feeds it (one
// frame per message, a message that errs or stops mid-frame counted and the decoder reset),
// after which a good frame still comes through.
import { CotStreamDecoder } from '../../../daemon/codec/stream.js';
import { encodeProtoStream } from '../../../daemon/codec/proto/index.js';
import { XmlEventDecoder } from '../../../daemon/codec/xml/decode.js';
import { splitStreamFrames } from '../../../daemon/transports/wss/frames.js';
import { check, chunks, type FuzzTarget } from '../target.js';
import { GOOD_EVENT, PROTO_DICTIONARY } from './dictionaries.js';

const GOOD_FRAME = encodeProtoStream(new XmlEventDecoder().decode(GOOD_EVENT));

export const target: FuzzTarget = {
  name: 'wss-frames',
  sources: ['daemon/transports/wss/frames', 'daemon/codec/proto/deframer', 'daemon/codec/stream'],
  dictionary: [...PROTO_DICTIONARY, GOOD_FRAME],
  maxLength: 8192,
  fuzz(data) {
    const body = data.subarray(Math.min(1, data.length));
    const pieces = splitStreamFrames(body);
    check(Buffer.concat(pieces).equals(body), 'the pieces are not the input');
    pieces.forEach((piece, i) => {
      check(piece.length > 0, 'an empty piece');
      if (i < pieces.length - 1) check(piece[0] === 0xbf, 'a piece before the last does not start a frame');
    });

    let events = 0;
    const message = { hadError: false };
    let badMessages = 0;
    const decoder = new CotStreamDecoder({ maxEventBytes: 4096, onEvent: () => void events++, onError: () => (message.hadError = true) });
    decoder.setProtocol(1);
    for (const bytes of chunks(data)) {
      message.hadError = false;
      decoder.push(bytes);
      if (message.hadError || decoder.midEvent) {
        badMessages += 1;
        decoder.reset();
        decoder.setProtocol(1);
      }
    }
    check(badMessages <= chunks(data).length, 'more bad messages than messages');
    const before = events;
    decoder.push(GOOD_FRAME);
    check(events === before + 1, 'a good frame after bad messages was not delivered');
  },
};
