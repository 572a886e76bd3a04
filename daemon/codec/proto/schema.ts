/**
 * The TAK protocol v1 schema at run time. The daemon ships as one binary and must not read
 * `schema/*.proto` from disk, so the same messages are declared here as a table.
 * `schema.test.ts` checks this table against the `.proto` files field by field (names,
 * numbers, types). The codec takes its field tags from it (tags.ts); the protobufjs
 * reflection types built from it (reflection.ts) are the reference the codec is tested
 * against. This file imports no protobufjs: the daemon's codec reads with protobufjs's
 * minimal Reader only, and the full library (reflection, code generation: ~1.5 MiB
 * resident) is loaded only where reflection is used.
 */
export const PROTO_PACKAGE = 'atakmap.commoncommo.protobuf.v1';

export type ScalarType = 'string' | 'uint32' | 'uint64' | 'double';
export type MessageName =
  | 'TakMessage'
  | 'TakControl'
  | 'CotEvent'
  | 'Detail'
  | 'Contact'
  | 'Group'
  | 'PrecisionLocation'
  | 'Status'
  | 'Takv'
  | 'Track';

/** message → field name → [field number, type]. Spec §5, one row per table row. */
export const SCHEMA_TABLE = {
  TakMessage: { takControl: [1, 'TakControl'], cotEvent: [2, 'CotEvent'] },
  TakControl: { minProtoVersion: [1, 'uint32'], maxProtoVersion: [2, 'uint32'], contactUid: [3, 'string'] },
  CotEvent: {
    type: [1, 'string'],
    access: [2, 'string'],
    qos: [3, 'string'],
    opex: [4, 'string'],
    uid: [5, 'string'],
    sendTime: [6, 'uint64'],
    startTime: [7, 'uint64'],
    staleTime: [8, 'uint64'],
    how: [9, 'string'],
    lat: [10, 'double'],
    lon: [11, 'double'],
    hae: [12, 'double'],
    ce: [13, 'double'],
    le: [14, 'double'],
    detail: [15, 'Detail'],
  },
  Detail: {
    xmlDetail: [1, 'string'],
    contact: [2, 'Contact'],
    group: [3, 'Group'],
    precisionLocation: [4, 'PrecisionLocation'],
    status: [5, 'Status'],
    takv: [6, 'Takv'],
    track: [7, 'Track'],
  },
  Contact: { endpoint: [1, 'string'], callsign: [2, 'string'] },
  Group: { name: [1, 'string'], role: [2, 'string'] },
  PrecisionLocation: { geopointsrc: [1, 'string'], altsrc: [2, 'string'] },
  Status: { battery: [1, 'uint32'] },
  Takv: { device: [1, 'string'], platform: [2, 'string'], os: [3, 'string'], version: [4, 'string'] },
  Track: { speed: [1, 'double'], course: [2, 'double'] },
} as const satisfies Record<MessageName, Record<string, readonly [number, ScalarType | MessageName]>>;

// The decoded shapes. Scalars read as their proto3 default when absent; sub-messages are
// undefined/null when absent. uint64 reads as a number, or a Long when the `long` package is loaded.
export interface LongLike {
  toNumber(): number;
}
export interface WireTakControl {
  minProtoVersion?: number;
  maxProtoVersion?: number;
  contactUid?: string;
}
export interface WireContact {
  endpoint?: string;
  callsign?: string;
}
export interface WireGroup {
  name?: string;
  role?: string;
}
export interface WirePrecisionLocation {
  geopointsrc?: string;
  altsrc?: string;
}
export interface WireStatus {
  battery?: number;
}
export interface WireTakv {
  device?: string;
  platform?: string;
  os?: string;
  version?: string;
}
export interface WireTrack {
  speed?: number;
  course?: number;
}
export interface WireDetail {
  xmlDetail?: string;
  contact?: WireContact | null;
  group?: WireGroup | null;
  precisionLocation?: WirePrecisionLocation | null;
  status?: WireStatus | null;
  takv?: WireTakv | null;
  track?: WireTrack | null;
}
export interface WireCotEvent {
  type?: string;
  access?: string;
  qos?: string;
  opex?: string;
  uid?: string;
  sendTime?: number | LongLike;
  startTime?: number | LongLike;
  staleTime?: number | LongLike;
  how?: string;
  lat?: number;
  lon?: number;
  hae?: number;
  ce?: number;
  le?: number;
  detail?: WireDetail | null;
}
export interface WireTakMessage {
  takControl?: WireTakControl | null;
  cotEvent?: WireCotEvent | null;
}
