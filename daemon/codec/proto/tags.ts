/**
 * Protobuf field tags (field number << 3 | wire type) for every field of the TAK v1 schema,
 * computed once from SCHEMA_TABLE — the table schema.test.ts checks against the .proto
 * files — so the codec in encode.ts / decode.ts never spells a field number itself.
 */
import { SCHEMA_TABLE } from './schema.js';
import type { MessageName, ScalarType } from './schema.js';

/** Protobuf wire types (encoding spec): varint, 64-bit, length-delimited. */
export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH_DELIMITED = 2;

const SCALAR_WIRE_TYPE: Record<ScalarType, number> = {
  string: WIRE_LENGTH_DELIMITED,
  uint32: WIRE_VARINT,
  uint64: WIRE_VARINT,
  double: WIRE_FIXED64,
};

type Schema = typeof SCHEMA_TABLE;
export type MessageTags<M extends MessageName> = { readonly [F in keyof Schema[M]]: number };

function wireType(type: string): number {
  return SCALAR_WIRE_TYPE[type as ScalarType] ?? WIRE_LENGTH_DELIMITED; // a sub-message
}

function tagsOf<M extends MessageName>(message: M): MessageTags<M> {
  const tags: Record<string, number> = {};
  for (const [field, [id, type]] of Object.entries(SCHEMA_TABLE[message] as Record<string, readonly [number, string]>)) {
    tags[field] = ((id << 3) | wireType(type)) >>> 0;
    // The writer puts every tag in one byte (encode.ts): field numbers 1..15.
    if (tags[field] > 0x7f) throw new Error(`${message}.${field}: tag does not fit one byte`);
  }
  return tags as MessageTags<M>;
}

export const TAG = {
  TakMessage: tagsOf('TakMessage'),
  TakControl: tagsOf('TakControl'),
  CotEvent: tagsOf('CotEvent'),
  Detail: tagsOf('Detail'),
  Contact: tagsOf('Contact'),
  Group: tagsOf('Group'),
  PrecisionLocation: tagsOf('PrecisionLocation'),
  Status: tagsOf('Status'),
  Takv: tagsOf('Takv'),
  Track: tagsOf('Track'),
} as const;
