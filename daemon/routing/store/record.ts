/**
 * One record of a queue segment file:
 *
 *   u32 LE  payload length
 *   u32 LE  CRC-32 of the payload
 *   payload: u8 kind, then
 *     kind 1 (event):     u8 lane, f64 LE seq, f64 LE stale (epoch ms), u32 LE wire size,
 *                         event bytes (a TAK protocol v1 TakMessage: lossless and ~45% of XML)
 *     kind 2 (delivered): f64 LE seq
 *
 * A record whose length runs past the end of the file or whose checksum does not match is
 * a torn write (the process or the power died mid-append): it and everything after it in
 * that segment are discarded.
 */
import { crc32 } from './crc32.js';

export const HEADER_BYTES = 8;
const EVENT_FIXED = 1 + 1 + 8 + 8 + 4;
const DELIVERED_BYTES = 1 + 8;
/** Larger than any event a stream accepts (64 KiB) with room to spare. */
export const MAX_PAYLOAD_BYTES = 1 << 20;

export const KIND_EVENT = 1;
export const KIND_DELIVERED = 2;

export interface EventRecord {
  kind: typeof KIND_EVENT;
  lane: number;
  seq: number;
  stale: number;
  /** What the event costs on the link it waits for (bytes), for its rate budget. */
  wireBytes: number;
  /** Where the event bytes sit in the segment file. */
  bodyOffset: number;
  bodyLength: number;
  /** Whole record size on disk. */
  size: number;
}

export interface DeliveredRecord {
  kind: typeof KIND_DELIVERED;
  seq: number;
  size: number;
}

export type QueueRecord = EventRecord | DeliveredRecord;

export function encodeEventRecord(lane: number, seq: number, stale: number, wireBytes: number, body: Uint8Array): Buffer {
  const payloadLength = EVENT_FIXED + body.length;
  const record = Buffer.allocUnsafe(HEADER_BYTES + payloadLength);
  record.writeUInt32LE(payloadLength, 0);
  record[HEADER_BYTES] = KIND_EVENT;
  record[HEADER_BYTES + 1] = lane;
  record.writeDoubleLE(seq, HEADER_BYTES + 2);
  record.writeDoubleLE(stale, HEADER_BYTES + 10);
  record.writeUInt32LE(Math.min(wireBytes, 0xffffffff), HEADER_BYTES + 18);
  record.set(body, HEADER_BYTES + EVENT_FIXED);
  record.writeUInt32LE(crc32(record, HEADER_BYTES), 4);
  return record;
}

export function encodeDeliveredRecord(seq: number): Buffer {
  const record = Buffer.allocUnsafe(HEADER_BYTES + DELIVERED_BYTES);
  record.writeUInt32LE(DELIVERED_BYTES, 0);
  record[HEADER_BYTES] = KIND_DELIVERED;
  record.writeDoubleLE(seq, HEADER_BYTES + 1);
  record.writeUInt32LE(crc32(record, HEADER_BYTES), 4);
  return record;
}

export interface ParsedSegment {
  records: QueueRecord[];
  /** Bytes of whole, valid records from the start; anything after is torn. */
  validBytes: number;
}

/** Parses a segment file's bytes; stops at the first torn or corrupt record. Never throws. */
export function parseSegment(bytes: Buffer): ParsedSegment {
  const records: QueueRecord[] = [];
  let offset = 0;
  while (offset + HEADER_BYTES <= bytes.length) {
    const length = bytes.readUInt32LE(offset);
    const end = offset + HEADER_BYTES + length;
    if (length < 1 || length > MAX_PAYLOAD_BYTES || end > bytes.length) break;
    if (bytes.readUInt32LE(offset + 4) !== crc32(bytes, offset + HEADER_BYTES, end)) break;
    const record = parseRecord(bytes, offset, length);
    if (!record) break;
    records.push(record);
    offset = end;
  }
  return { records, validBytes: offset };
}

function parseRecord(bytes: Buffer, offset: number, length: number): QueueRecord | undefined {
  const payload = offset + HEADER_BYTES;
  const size = HEADER_BYTES + length;
  const kind = bytes[payload];
  if (kind === KIND_EVENT && length >= EVENT_FIXED) {
    return {
      kind,
      lane: bytes[payload + 1],
      seq: bytes.readDoubleLE(payload + 2),
      stale: bytes.readDoubleLE(payload + 10),
      wireBytes: bytes.readUInt32LE(payload + 18),
      bodyOffset: payload + EVENT_FIXED,
      bodyLength: length - EVENT_FIXED,
      size,
    };
  }
  if (kind === KIND_DELIVERED && length === DELIVERED_BYTES) return { kind, seq: bytes.readDoubleLE(payload + 1), size };
  return undefined;
}
