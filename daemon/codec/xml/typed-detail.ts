// The six detail elements with typed fields: which attributes each may have, and how to
// read them. An element qualifies only when every attribute is known, the required ones
// are present and parse, and it has no children or text (whole element or nothing).
import { MAX_BATTERY, type CotEvent, type TypedDetailKey } from '../event.js';

type Attributes = Record<string, string>;

/** Reads an element's attributes into its typed value, or undefined when it does not qualify. */
type TypedReader = (attributes: Attributes) => unknown;

const DECIMAL = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const UNSIGNED_INTEGER = /^\d{1,10}$/;

/** True when the element has no attributes besides the `known` ones it was found to have. */
function noOtherKeys(attributes: Attributes, known: number): boolean {
  let count = 0;
  for (const _ in attributes) if (++count > known) return false;
  return true;
}

function present(...values: (string | undefined)[]): number {
  let count = 0;
  for (const v of values) if (v !== undefined) count++;
  return count;
}

function decimal(text: string | undefined): number | undefined {
  return text !== undefined && DECIMAL.test(text) ? Number(text) : undefined;
}

function readContact(a: Attributes): CotEvent['contact'] {
  if (a.callsign === undefined || !noOtherKeys(a, present(a.callsign, a.endpoint, a.phone))) return undefined;
  const contact: NonNullable<CotEvent['contact']> = { callsign: a.callsign };
  if (a.endpoint !== undefined) contact.endpoint = a.endpoint;
  if (a.phone !== undefined) contact.phone = a.phone;
  return contact;
}

function readGroup(a: Attributes): CotEvent['group'] {
  if (a.name === undefined || a.role === undefined || !noOtherKeys(a, 2)) return undefined;
  return { name: a.name, role: a.role };
}

function readTakv(a: Attributes): CotEvent['takv'] {
  if (a.device === undefined || a.platform === undefined || a.os === undefined || a.version === undefined) return undefined;
  if (!noOtherKeys(a, 4)) return undefined;
  return { device: a.device, platform: a.platform, os: a.os, version: a.version };
}

function readStatus(a: Attributes): CotEvent['status'] {
  if (a.battery === undefined || !UNSIGNED_INTEGER.test(a.battery) || !noOtherKeys(a, 1)) return undefined;
  const battery = Number(a.battery);
  return battery <= MAX_BATTERY ? { battery } : undefined;
}

function readTrack(a: Attributes): CotEvent['track'] {
  const speed = decimal(a.speed);
  const course = decimal(a.course);
  if (speed === undefined || course === undefined || !noOtherKeys(a, 2)) return undefined;
  return { speed, course };
}

function readPrecisionLocation(a: Attributes): CotEvent['precisionLocation'] {
  if (a.geopointsrc === undefined || a.altsrc === undefined || !noOtherKeys(a, 2)) return undefined;
  return { geopointsrc: a.geopointsrc, altsrc: a.altsrc };
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
