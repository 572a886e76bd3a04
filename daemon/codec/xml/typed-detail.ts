// The six detail elements with typed fields: which attributes each may have, and how to
// read them. An element qualifies only when every attribute is known, the required ones
// are present and parse, and it has no children or text (whole element or nothing).
import { MAX_BATTERY, type CotEvent, type TypedDetailKey } from '../event.js';
import type { AttributeList } from './attributes.js';
import { plainDecimalAt } from './decimal.js';

/** Reads an element's attributes into its typed value, or undefined when it does not qualify. */
type TypedReader = (attributes: AttributeList) => unknown;

const DECIMAL = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const UNSIGNED_INTEGER = /^\d{1,10}$/;

/** Attribute i as a decimal number (no hex, no Infinity, no blanks), or undefined. */
function decimal(a: AttributeList, i: number): number | undefined {
  const text = a.textOf(i);
  const plain = plainDecimalAt(text, a.fromOf(i), a.toOf(i));
  if (!Number.isNaN(plain)) return plain;
  const value = a.value(i);
  return DECIMAL.test(value) ? Number(value) : undefined;
}

// Each reader walks the attributes once and gives up at the first one it does not know
// (a duplicate cannot occur: both engines refuse duplicate attributes).

function readContact(a: AttributeList): CotEvent['contact'] {
  let callsign: string | undefined;
  let endpoint: string | undefined;
  let phone: string | undefined;
  for (let i = 0; i < a.count; i++) {
    switch (a.names[i]) {
      case 'callsign': callsign = a.value(i); break;
      case 'endpoint': endpoint = a.value(i); break;
      case 'phone': phone = a.value(i); break;
      default: return undefined;
    }
  }
  if (callsign === undefined) return undefined;
  const contact: NonNullable<CotEvent['contact']> = { callsign };
  if (endpoint !== undefined) contact.endpoint = endpoint;
  if (phone !== undefined) contact.phone = phone;
  return contact;
}

function readGroup(a: AttributeList): CotEvent['group'] {
  let name: string | undefined;
  let role: string | undefined;
  for (let i = 0; i < a.count; i++) {
    switch (a.names[i]) {
      case 'name': name = a.value(i); break;
      case 'role': role = a.value(i); break;
      default: return undefined;
    }
  }
  return name === undefined || role === undefined ? undefined : { name, role };
}

function readTakv(a: AttributeList): CotEvent['takv'] {
  let device: string | undefined;
  let platform: string | undefined;
  let os: string | undefined;
  let version: string | undefined;
  for (let i = 0; i < a.count; i++) {
    switch (a.names[i]) {
      case 'device': device = a.value(i); break;
      case 'platform': platform = a.value(i); break;
      case 'os': os = a.value(i); break;
      case 'version': version = a.value(i); break;
      default: return undefined;
    }
  }
  if (device === undefined || platform === undefined || os === undefined || version === undefined) return undefined;
  return { device, platform, os, version };
}

function readStatus(a: AttributeList): CotEvent['status'] {
  if (a.count !== 1 || a.names[0] !== 'battery') return undefined;
  const text = a.value(0);
  if (!UNSIGNED_INTEGER.test(text)) return undefined;
  const battery = Number(text);
  return battery <= MAX_BATTERY ? { battery } : undefined;
}

function readTrack(a: AttributeList): CotEvent['track'] {
  let speed: number | undefined;
  let course: number | undefined;
  for (let i = 0; i < a.count; i++) {
    switch (a.names[i]) {
      case 'speed': speed = decimal(a, i); break;
      case 'course': course = decimal(a, i); break;
      default: return undefined;
    }
  }
  return speed === undefined || course === undefined ? undefined : { speed, course };
}

function readPrecisionLocation(a: AttributeList): CotEvent['precisionLocation'] {
  let geopointsrc: string | undefined;
  let altsrc: string | undefined;
  for (let i = 0; i < a.count; i++) {
    switch (a.names[i]) {
      case 'geopointsrc': geopointsrc = a.value(i); break;
      case 'altsrc': altsrc = a.value(i); break;
      default: return undefined;
    }
  }
  return geopointsrc === undefined || altsrc === undefined ? undefined : { geopointsrc, altsrc };
}

export interface TypedDetailSpec {
  /** The detail element, e.g. `__group`. */
  element: string;
  key: TypedDetailKey;
  read: TypedReader;
  /** A bit of its own, for sets of specs kept in one number. */
  bit: number;
}

/** Element name → its typed field. */
export const TYPED_DETAIL_READERS: ReadonlyMap<string, TypedDetailSpec> = new Map<string, TypedDetailSpec>([
  ['contact', { element: 'contact', key: 'contact', read: readContact, bit: 1 }],
  ['__group', { element: '__group', key: 'group', read: readGroup, bit: 2 }],
  ['takv', { element: 'takv', key: 'takv', read: readTakv, bit: 4 }],
  ['status', { element: 'status', key: 'status', read: readStatus, bit: 8 }],
  ['track', { element: 'track', key: 'track', read: readTrack, bit: 16 }],
  ['precisionlocation', { element: 'precisionlocation', key: 'precisionLocation', read: readPrecisionLocation, bit: 32 }],
]);
