// An MQTT message's payload into the codec (daemon/transports/mqtt/payload.ts): a TAK v1
// stream frame, a mesh frame or XML, as TAK Server and PyTAK publish. Only CotDecodeError is
// thrown; an event that decodes encodes again.
import { decodeMqttPayload } from '../../../daemon/transports/mqtt/payload.js';
import { XmlEventDecoder } from '../../../daemon/codec/xml/decode.js';
import { encodeXmlString } from '../../../daemon/codec/xml/encode.js';
import { check, type FuzzTarget } from '../target.js';
import { PROTO_DICTIONARY, XML_DICTIONARY } from './dictionaries.js';

const xml = new XmlEventDecoder();

export const target: FuzzTarget = {
  name: 'mqtt-payload',
  sources: ['daemon/transports/mqtt/payload', 'daemon/codec/datagram'],
  dictionary: [...PROTO_DICTIONARY, ...XML_DICTIONARY],
  maxLength: 8192,
  fuzz(data) {
    try {
      const { event, version } = decodeMqttPayload(data, xml);
      check(version === 0 || version === 1, `version ${String(version)}`);
      if (event) encodeXmlString(event);
    } catch (err) {
      check(err instanceof Error && err.name === 'CotDecodeError', `threw ${err instanceof Error ? err.stack : String(err)}`);
    }
  },
};
