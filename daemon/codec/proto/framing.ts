/**
 * Framed TAK protocol v1 output (spec §2): streams put `BF varint(length)` before each
 * TakMessage; mesh datagrams and directed TCP put `BF 01 BF` (magic, version 1, magic).
 */
import type { CotEvent } from '../event.js';
import type { TakControlInfo } from './control.js';
import { writeTakMessage } from './encode.js';
import { SUPPORTED_VERSION, TAK_MAGIC } from './header.js';
import { sharedWriter } from './message.js';

/** Bytes reserved for the stream length varint: a PLI is 128 bytes to 16 KiB. */
const STREAM_LENGTH_BYTES = 2;

/** `BF varint(len) TakMessage` in one fresh buffer. Throws like encodeTakMessage. */
export function encodeProtoStream(event: CotEvent): Buffer {
  const w = sharedWriter;
  w.reset();
  w.byte(TAK_MAGIC);
  const length = w.beginLength(STREAM_LENGTH_BYTES);
  writeTakMessage(w, event);
  w.endLength(length);
  return w.finish();
}

/**
 * `BF 01 BF TakMessage` in one fresh buffer; `control` rides along when given (spec §4.2).
 * Throws like encodeTakMessage.
 */
export function encodeProtoMesh(event: CotEvent | undefined, control?: TakControlInfo): Buffer {
  const w = sharedWriter;
  w.reset();
  w.byte(TAK_MAGIC);
  w.byte(SUPPORTED_VERSION);
  w.byte(TAK_MAGIC);
  writeTakMessage(w, event, control);
  return w.finish();
}
