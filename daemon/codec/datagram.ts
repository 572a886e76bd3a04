/**
 * One mesh datagram (UDP, or a directed-TCP connection's bytes) → its message. The
 * encoding is detected per datagram (spec §2.1): a leading 0xBF means TAK protocol v1
 * (`BF 01 BF` + TakMessage), anything else is CoT XML.
 *
 * Unlike commoncommo, a 0xBF datagram whose header is not a supported v1 header is not
 * handed to the XML parser (0xBF can never start an XML document): it is refused as
 * `bad-header` straight away, which names the real problem in the error counts.
 */
import { CotDecodeError } from './errors.js';
import type { CotEvent } from './event.js';
import type { TakControlInfo } from './proto/control.js';
import { looksLikeMeshFrame, meshPayloadOffset } from './proto/header.js';
import { decodeTakMessage } from './proto/message.js';
import type { XmlEventDecoder } from './xml/decode.js';

/** commoncommo sizes its receive buffers at 64 KiB. */
export const MAX_DATAGRAM_BYTES = 65536;

export interface DecodedDatagram {
  version: 0 | 1;
  event?: CotEvent;
  control?: TakControlInfo;
}

/** Throws CotDecodeError (never anything else for bad input). */
export function decodeDatagram(datagram: Buffer, xml: XmlEventDecoder): DecodedDatagram {
  if (datagram.length > MAX_DATAGRAM_BYTES) {
    throw new CotDecodeError('oversize', `datagram of ${datagram.length} bytes exceeds ${MAX_DATAGRAM_BYTES}`);
  }
  if (!looksLikeMeshFrame(datagram)) return { version: 0, event: xml.decode(datagram) };
  const decoded = decodeTakMessage(datagram.subarray(meshPayloadOffset(datagram)));
  return { version: 1, ...decoded };
}
