/**
 * CotEvent: the one message type that flows through takd — decoded from XML or TAK
 * protocol v1, built by drivers and the PLI reporter, encoded for every output.
 *
 * Times are milliseconds since the Unix epoch (UTC): that is what TAK protocol v1 carries,
 * and what XML round-trips to (CoT XML times have millisecond resolution).
 *
 * The detail elements that TAK protocol v1 has typed fields for are typed here too. Every
 * other child of `<detail>` (remarks, link, usericon, __chat, marti, _flow-tags_, anything
 * unknown) is kept in `xmlDetail` as the exact original text and written back unchanged.
 * A typed element that does not fit its typed field (an unknown attribute, child nodes,
 * a second copy, a required attribute missing or not a number) stays in `xmlDetail` whole.
 *
 * The schema version is not stored: CoT has one schema version, and takd always writes
 * `version="2.0"`.
 */
export interface CotEvent {
  uid: string;
  /** Dash-separated CoT type, e.g. `a-f-G-U-C`. */
  type: string;
  /** How the position was obtained, e.g. `m-g` (machine, GPS). Always present on output. */
  how: string;
  /** `event@time`: when the event was generated, epoch ms. */
  time: number;
  /** `event@start`: start of validity, epoch ms. */
  start: number;
  /** `event@stale`: end of validity, epoch ms. */
  stale: number;
  access?: string;
  qos?: string;
  opex?: string;
  caveat?: string;
  releasableTo?: string;
  point: CotPoint;
  contact?: CotContact;
  group?: CotGroup;
  takv?: CotTakv;
  status?: CotStatus;
  track?: CotTrack;
  precisionLocation?: CotPrecisionLocation;
  /**
   * The other children of `<detail>`, as the exact original XML text, in document order
   * (whitespace between them dropped). A well-formed fragment; '' or undefined when none.
   */
  xmlDetail?: string;
}

export interface CotPoint {
  /** WGS-84 decimal degrees, full precision (events takd builds round to their source's, built-numbers.ts). */
  lat: number;
  lon: number;
  /** Height above the WGS-84 ellipsoid, metres; UNKNOWN_VALUE when unknown. */
  hae: number;
  /** Circular horizontal error, metres; UNKNOWN_VALUE when unknown. */
  ce: number;
  /** Linear vertical error, metres; UNKNOWN_VALUE when unknown. */
  le: number;
}

export interface CotContact {
  callsign: string;
  /** `<ip>:4242:tcp` on mesh, `*:-1:stcp` via a server. */
  endpoint?: string;
  /** Not a TAK v1 typed field: an event with a phone carries its contact in xmlDetail on the wire. */
  phone?: string;
}

export interface CotGroup {
  /** Team colour, e.g. `Cyan`. */
  name: string;
  /** Role, e.g. `Team Member`. */
  role: string;
}

export interface CotTakv {
  device: string;
  platform: string;
  os: string;
  version: string;
}

export interface CotStatus {
  /** Battery percent, an integer 0..MAX_BATTERY (ATAK sends 0..100). */
  battery: number;
}

/** Largest battery value carried: TAK v1's status.battery is a uint32 that ATAK reads as an int. */
export const MAX_BATTERY = 2 ** 31 - 1;

export interface CotTrack {
  /** Metres per second. */
  speed: number;
  /** Degrees true. */
  course: number;
}

export interface CotPrecisionLocation {
  /** e.g. `GPS`, `USER`, `DTED0`. */
  geopointsrc: string;
  altsrc: string;
}

/**
 * Drivers (hal/) build detail fragments such as <remarks> with this; hal/ imports nothing
 * from daemon/ but this file, so the builders they need are re-exported here.
 */
export { xmlElement } from './xml/escape.js';
/** Likewise the rounding every event builder applies to its numbers. */
export { builtPoint, builtTrack, roundTo, BUILT_DECIMALS, type SourceDecimals } from './built-numbers.js';

/** CoT's "no value" for hae, ce and le. Inputs at or above UNKNOWN_THRESHOLD mean unknown too. */
export const UNKNOWN_VALUE = 9999999;
export const UNKNOWN_THRESHOLD = 999999;

/** The detail element names that have typed fields, and the CotEvent key for each. */
export const TYPED_DETAIL_ELEMENTS = {
  contact: 'contact',
  __group: 'group',
  takv: 'takv',
  status: 'status',
  track: 'track',
  precisionlocation: 'precisionLocation',
} as const;

export type TypedDetailKey = (typeof TYPED_DETAIL_ELEMENTS)[keyof typeof TYPED_DETAIL_ELEMENTS];
