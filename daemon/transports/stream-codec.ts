/** How events are put on a stream or in a datagram, per TAK protocol version. */
import type { CotEvent } from '../codec/event.js';
import { encodeXml, encodeXmlString } from '../codec/xml/encode.js';
import { encodeProtoMesh, encodeProtoStream } from '../codec/proto/index.js';

/**
 * Streams: XML with its declaration (tak-protocol.md §2.2), as a string so a batch is
 * converted to bytes once; or 0xBF varint(len) TakMessage.
 */
export function streamEncoder(version: 0 | 1): (event: CotEvent) => Buffer | string {
  return version === 1 ? encodeProtoStream : (event) => encodeXmlString(event, { declaration: true });
}

/** Datagrams: bare XML, or BF 01 BF TakMessage (mesh framing, also for unicast and broadcast). */
export function datagramEncoder(version: 0 | 1): (event: CotEvent) => Buffer {
  return version === 1 ? encodeProtoMesh : (event) => encodeXml(event);
}

/**
 * One event as one line of XML: line breaks inside text or attributes become character
 * references, which an XML parser reads back as the same characters.
 */
export function oneLineXml(event: CotEvent): string {
  return encodeXmlString(event, { declaration: false }).replace(/\r/g, '&#13;').replace(/\n/g, '&#10;');
}
