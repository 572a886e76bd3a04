// CotEvent → CoT XML. Every attribute is escaped; times are written with milliseconds and
// Z; numbers at full precision (shortest round-trip form, never truncated to 4 decimals);
// version="2.0" and how are always written (taky fails on a-* events without them).
// Typed detail elements come first, then xmlDetail exactly as it was received.
import { UNKNOWN_VALUE } from '../event.js';
import type { CotContact, CotEvent, CotGroup, CotPrecisionLocation, CotStatus, CotTakv, CotTrack, TypedDetailKey } from '../event.js';
import { escapeAttribute } from './escape.js';
import { formatCotTime } from './time.js';

export interface XmlEncodeOptions {
  /** Write `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` first, as ATAK does (default true). */
  declaration?: boolean;
}

const DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

/** Most fractional digits decimalText writes itself, and the powers of ten up to it. */
const MAX_FRACTION_DIGITS = 9;
const POWERS_OF_TEN = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
const ZEROS = '000000000';

/** True when whole + (k-digit decimal fraction nearest to rest) reads back as `magnitude`. */
function readsBack(magnitude: number, whole: number, rest: number, k: number): boolean {
  const scale = POWERS_OF_TEN[k];
  return (whole * scale + Math.round(rest * scale)) / scale === magnitude;
}

/**
 * String(value), faster for what CoT carries (a few decimals, |value| < 1e9): the shortest
 * decimal with k ≤ 9 fractional digits that reads back as the value, built from two small
 * integers. Limited to 15 significant digits, where a k-digit decimal that reads back is
 * the only one and so the one String() picks, and where "reads back with k digits" holds
 * for every larger k too, so k is found by bisection. Anything else is String()'s.
 * encode.test.ts compares it with String() on random values.
 */
export function decimalText(value: number): string {
  const magnitude = value < 0 ? -value : value;
  if (!(magnitude >= 1e-6 && magnitude < 1e9)) return String(value);
  const whole = Math.floor(magnitude);
  const rest = magnitude - whole; // exact
  let high = MAX_FRACTION_DIGITS;
  while (high > 0 && whole * POWERS_OF_TEN[high] >= 1e15) high--;
  if (rest === 0 || high === 0 || !readsBack(magnitude, whole, rest, high)) return String(value);
  let low = 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (readsBack(magnitude, whole, rest, middle)) high = middle;
    else low = middle + 1;
  }
  const fraction = Math.round(rest * POWERS_OF_TEN[high]);
  if (fraction === 0) return String(value);
  const digits = String(fraction);
  const text = `${whole}.${ZEROS.slice(0, high - digits.length)}${digits}`;
  return value < 0 ? `-${text}` : text;
}

function measure(value: number): string {
  return Number.isFinite(value) && value < UNKNOWN_VALUE ? decimalText(value) : '9999999';
}

function coordinate(value: number, name: string): string {
  if (!Number.isFinite(value)) throw new RangeError(`point ${name} is not a finite number`);
  return decimalText(value);
}

function optional(name: string, value: string | undefined): string {
  return value ? ` ${name}="${escapeAttribute(value)}"` : '';
}

const contactXml = (c: CotContact) =>
  `<contact${optional('endpoint', c.endpoint)}${optional('phone', c.phone)} callsign="${escapeAttribute(c.callsign)}"/>`;
const groupXml = (g: CotGroup) => `<__group name="${escapeAttribute(g.name)}" role="${escapeAttribute(g.role)}"/>`;
const takvXml = (t: CotTakv) =>
  `<takv device="${escapeAttribute(t.device)}" platform="${escapeAttribute(t.platform)}" os="${escapeAttribute(t.os)}" version="${escapeAttribute(t.version)}"/>`;
const statusXml = (s: CotStatus) => `<status battery="${Math.trunc(s.battery)}"/>`;
const trackXml = (t: CotTrack) => `<track speed="${decimalText(t.speed)}" course="${decimalText(t.course)}"/>`;
const precisionLocationXml = (p: CotPrecisionLocation) =>
  `<precisionlocation geopointsrc="${escapeAttribute(p.geopointsrc)}" altsrc="${escapeAttribute(p.altsrc)}"/>`;

/** One typed detail element as XML ('' when the event does not have it). */
export function typedElementXml(event: CotEvent, key: TypedDetailKey): string {
  switch (key) {
    case 'contact':
      return event.contact ? contactXml(event.contact) : '';
    case 'group':
      return event.group ? groupXml(event.group) : '';
    case 'takv':
      return event.takv ? takvXml(event.takv) : '';
    case 'status':
      return event.status ? statusXml(event.status) : '';
    case 'track':
      return event.track ? trackXml(event.track) : '';
    case 'precisionLocation':
      return event.precisionLocation ? precisionLocationXml(event.precisionLocation) : '';
  }
}

/** The children of <detail>: typed elements in ATAK's order, then xmlDetail verbatim. */
export function detailChildrenXml(event: CotEvent): string {
  const { takv, contact, precisionLocation, group, status, track, xmlDetail } = event;
  let inner = '';
  if (takv) inner += takvXml(takv);
  if (contact) inner += contactXml(contact);
  if (precisionLocation) inner += precisionLocationXml(precisionLocation);
  if (group) inner += groupXml(group);
  if (status) inner += statusXml(status);
  if (track) inner += trackXml(track);
  if (xmlDetail) inner += xmlDetail;
  return inner;
}

export function encodeXmlString(event: CotEvent, options?: XmlEncodeOptions): string {
  const p = event.point;
  const inner = detailChildrenXml(event);
  return (
    (options?.declaration === false ? '' : DECLARATION) +
    `<event version="2.0" uid="${escapeAttribute(event.uid)}" type="${escapeAttribute(event.type)}" how="${escapeAttribute(event.how)}"` +
    ` time="${formatCotTime(event.time)}" start="${formatCotTime(event.start)}" stale="${formatCotTime(event.stale)}"` +
    optional('access', event.access) +
    optional('qos', event.qos) +
    optional('opex', event.opex) +
    optional('caveat', event.caveat) +
    optional('releasableTo', event.releasableTo) +
    `><point lat="${coordinate(p.lat, 'lat')}" lon="${coordinate(p.lon, 'lon')}" hae="${measure(p.hae)}" ce="${measure(p.ce)}" le="${measure(p.le)}"/>` +
    (inner === '' ? '<detail/>' : `<detail>${inner}</detail>`) +
    '</event>'
  );
}

/** A fresh Buffer, safe to hand to socket.write(). */
export function encodeXml(event: CotEvent, options?: XmlEncodeOptions): Buffer {
  return Buffer.from(encodeXmlString(event, options), 'utf8');
}

/**
 * Encodes into one reusable buffer: no allocation per event once it has grown. The
 * returned view is valid until the next encode() — copy it before handing it to an
 * asynchronous writer.
 */
export class XmlEventEncoder {
  private buffer = Buffer.allocUnsafe(4096);
  constructor(private readonly options?: XmlEncodeOptions) {}

  encode(event: CotEvent): Buffer {
    const text = encodeXmlString(event, this.options);
    // UTF-8 needs at most 3 bytes per UTF-16 code unit.
    if (text.length * 3 > this.buffer.length) this.buffer = Buffer.allocUnsafe(Math.max(text.length * 3, this.buffer.length * 2));
    const length = this.buffer.write(text, 0, 'utf8');
    return this.buffer.subarray(0, length);
  }
}

export { xmlElement } from './escape.js';
