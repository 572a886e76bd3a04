// The six detail elements with typed fields: which attributes each may have, and how to
// read them. An element qualifies only when every attribute is known, the required ones
// are present and parse, and it has no children or text (whole element or nothing).
import { MAX_BATTERY, type CotEvent, type TypedDetailKey } from '../event.js';
import type { AttributeList } from './attributes.js';

/** Reads an element's attributes into its typed value, or undefined when it does not qualify. */
type TypedReader = (attributes: AttributeList) => unknown;

const DECIMAL = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const UNSIGNED_INTEGER = /^\d{1,10}$/;

function decimal(text: string | undefined): number | undefined {
  return text !== undefined && DECIMAL.test(text) ? Number(text) : undefined;
}

function readContact(a: AttributeList): CotEvent['contact'] {
  const callsign = a.get('callsign');
  const endpoint = a.get('endpoint');
  const phone = a.get('phone');
  if (callsign === undefined || a.count !== 1 + Number(endpoint !== undefined) + Number(phone !== undefined)) return undefined;
  const contact: NonNullable<CotEvent['contact']> = { callsign };
  if (endpoint !== undefined) contact.endpoint = endpoint;
  if (phone !== undefined) contact.phone = phone;
  return contact;
}

function readGroup(a: AttributeList): CotEvent['group'] {
  const name = a.get('name');
  const role = a.get('role');
  if (name === undefined || role === undefined || a.count !== 2) return undefined;
  return { name, role };
}

function readTakv(a: AttributeList): CotEvent['takv'] {
  if (a.count !== 4) return undefined;
  const device = a.get('device');
  const platform = a.get('platform');
  const os = a.get('os');
  const version = a.get('version');
  if (device === undefined || platform === undefined || os === undefined || version === undefined) return undefined;
  return { device, platform, os, version };
}

function readStatus(a: AttributeList): CotEvent['status'] {
  const text = a.get('battery');
  if (text === undefined || a.count !== 1 || !UNSIGNED_INTEGER.test(text)) return undefined;
  const battery = Number(text);
  return battery <= MAX_BATTERY ? { battery } : undefined;
}

function readTrack(a: AttributeList): CotEvent['track'] {
  if (a.count !== 2) return undefined;
  const speed = decimal(a.get('speed'));
  const course = decimal(a.get('course'));
  if (speed === undefined || course === undefined) return undefined;
  return { speed, course };
}

function readPrecisionLocation(a: AttributeList): CotEvent['precisionLocation'] {
  const geopointsrc = a.get('geopointsrc');
  const altsrc = a.get('altsrc');
  if (geopointsrc === undefined || altsrc === undefined || a.count !== 2) return undefined;
  return { geopointsrc, altsrc };
}

export interface TypedDetailSpec {
  key: TypedDetailKey;
  read: TypedReader;
}

/** Element name → its typed field. */
export const TYPED_DETAIL_READERS: ReadonlyMap<string, TypedDetailSpec> = new Map<string, TypedDetailSpec>([
  ['contact', { key: 'contact', read: readContact }],
  ['__group', { key: 'group', read: readGroup }],
  ['takv', { key: 'takv', read: readTakv }],
  ['status', { key: 'status', read: readStatus }],
  ['track', { key: 'track', read: readTrack }],
  ['precisionlocation', { key: 'precisionLocation', read: readPrecisionLocation }],
]);
