/**
 * How events are put on a stream or in a datagram, per TAK protocol version. An event
 * decoded from XML goes out in XML as the sender wrote it (codec/xml/source-text.ts).
 */
import type { CotEvent } from '../codec/event.js';
import { encodeXml, encodeXmlString } from '../codec/xml/encode.js';
import { encodeProtoMesh, encodeProtoStream } from '../codec/proto/index.js';
import { sourceXmlOf } from '../codec/xml/source-text.js';

/**
 * Streams: XML with its declaration (tak-protocol.md §2.2), as a string so a batch is
 * converted to bytes once; or 0xBF varint(len) TakMessage.
 */
export function streamEncoder(version: 0 | 1): (event: CotEvent) => Buffer | string {
  return version === 1 ? encodeProtoStream : (event) => sourceXmlOf(event) ?? encodeXmlString(event, { declaration: true });
}

/** Datagrams: bare XML, or BF 01 BF TakMessage (mesh framing, also for unicast and broadcast). */
export function datagramEncoder(version: 0 | 1): (event: CotEvent) => Buffer {
  return version === 1 ? encodeProtoMesh : (event) => sourceXmlBytes(event) ?? encodeXml(event);
}

function sourceXmlBytes(event: CotEvent): Buffer | undefined {
  const source = sourceXmlOf(event);
  return source === undefined ? undefined : Buffer.from(source);
}

/**
 * One event as one line of XML: line breaks inside text or attributes become character
 * references, which an XML parser reads back as the same characters.
 */
export function oneLineXml(event: CotEvent): string {
  return encodeXmlString(event, { declaration: false }).replace(/\r/g, '&#13;').replace(/\n/g, '&#10;');
}
