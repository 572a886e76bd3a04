/**
 * An MQTT message's payload as CoT: a TAK protocol v1 stream frame (0xBF, varint length,
 * TakMessage: TAK Server's MQTT bridge), a mesh frame (0xBF 0x01 0xBF, as PyTAK's UDP
 * peers write) or XML. Throws CotDecodeError for anything else.
 */
import { decodeDatagram } from '../../codec/datagram.js';
import type { CotEvent } from '../../codec/event.js';
import { CotDecodeError } from '../../codec/errors.js';
import { decodeTakMessage, TAK_MAGIC } from '../../codec/proto/index.js';
import type { XmlEventDecoder } from '../../codec/xml/decode.js';

/** Largest payload accepted (as a datagram). */
export const MAX_PAYLOAD_BYTES = 65_536;

/** One TAK protocol v1 stream frame: 0xBF, varint length, TakMessage. */
function decodeStreamFrame(payload: Buffer): CotEvent | undefined {
  let length = 0;
  let shift = 0;
  let offset = 1;
  for (;;) {
    if (offset >= payload.length || shift > 28) throw new CotDecodeError('bad-header', 'bad TAK v1 frame length');
    const byte = payload[offset] as number;
    offset += 1;
    length += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) break;
  }
  if (offset + length !== payload.length) throw new CotDecodeError('bad-header', `TAK v1 frame says ${length} bytes, payload has ${payload.length - offset}`);
  return decodeTakMessage(payload.subarray(offset)).event;
}

export function decodeMqttPayload(payload: Buffer, xml: XmlEventDecoder): { event?: CotEvent; version: 0 | 1 } {
  if (payload.length > MAX_PAYLOAD_BYTES) throw new CotDecodeError('oversize', `payload of ${payload.length} bytes exceeds ${MAX_PAYLOAD_BYTES}`);
  if (payload[0] === TAK_MAGIC && payload[1] !== 0x01) return { event: decodeStreamFrame(payload), version: 1 };
  return decodeDatagram(payload, xml);
}
