// One mesh datagram (UDP, 0xBF 0x01 0xBF + TakMessage, or CoT XML): decodeDatagram either
// returns a message or throws CotDecodeError — nothing else.
import { decodeDatagram } from '../../../daemon/codec/datagram.js';
import { XmlEventDecoder } from '../../../daemon/codec/xml/decode.js';
import { check, type FuzzTarget } from '../target.js';
import { PROTO_DICTIONARY, XML_DICTIONARY } from './dictionaries.js';

const xml = new XmlEventDecoder();

export const target: FuzzTarget = {
  name: 'mesh-datagram',
  sources: ['daemon/codec/datagram', 'daemon/codec/proto/header', 'daemon/codec/proto/message', 'daemon/codec/proto/decode', 'daemon/codec/proto/control', 'daemon/codec/proto/event-mapping', 'daemon/codec/proto/typed-detail', 'daemon/codec/proto/varint'],
  dictionary: [...PROTO_DICTIONARY, ...XML_DICTIONARY.slice(0, 12)],
  maxLength: 4096,
  fuzz(data) {
    try {
      const decoded = decodeDatagram(data, xml);
      check(decoded.version === 0 || decoded.version === 1, 'bad version');
      if (decoded.event) check(typeof decoded.event.uid === 'string' && typeof decoded.event.type === 'string', 'event without uid or type');
    } catch (err) {
      check(err instanceof Error && err.name === 'CotDecodeError', `decodeDatagram threw ${String(err)}`);
    }
  },
};
