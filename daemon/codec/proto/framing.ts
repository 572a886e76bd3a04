/**
 * Framed TAK protocol v1 output (spec §2): streams put `BF varint(length)` before each
 * TakMessage; mesh datagrams and directed TCP put `BF 01 BF` (magic, version 1, magic).
 */
import protobuf from 'protobufjs';
import type { CotEvent } from '../event.js';
import type { TakControlInfo } from './control.js';
import { takMessageToWire } from './message.js';
import { TakMessageType } from './schema.js';
import { SUPPORTED_VERSION, TAK_MAGIC } from './header.js';

const MAGIC_BYTE = Uint8Array.of(TAK_MAGIC);
const MESH_HEADER = Uint8Array.of(TAK_MAGIC, SUPPORTED_VERSION, TAK_MAGIC);

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** `BF varint(len) TakMessage` in one fresh buffer (the length is back-filled, no copy). Throws like encodeTakMessage. */
export function encodeProtoStream(event: CotEvent): Buffer {
  const writer = protobuf.Writer.create().raw(MAGIC_BYTE).fork();
  TakMessageType.encode(takMessageToWire(event), writer);
  return asBuffer(writer.ldelim().finish());
}

/**
 * `BF 01 BF TakMessage` in one fresh buffer; `control` rides along when given (spec §4.2).
 * Throws like encodeTakMessage.
 */
export function encodeProtoMesh(event: CotEvent | undefined, control?: TakControlInfo): Buffer {
  const writer = protobuf.Writer.create().raw(MESH_HEADER);
  TakMessageType.encode(takMessageToWire(event, control), writer);
  return asBuffer(writer.finish());
}
