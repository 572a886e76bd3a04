// CotEvent ⇄ JSON: the event model as it is, with times as ISO-8601 strings for people.
// JSON read back in is checked field by field like any other input.
import type { CotEvent } from './event.js';
import { CotDecodeError } from './errors.js';
import { formatCotTime, parseCotTime } from './xml/time.js';
import { XmlEventDecoder } from './xml/decode.js';
import { encodeXmlString } from './xml/encode.js';

export type CotEventJson = Omit<CotEvent, 'time' | 'start' | 'stale'> & { time: string; start: string; stale: string };

export function eventToJson(event: CotEvent): CotEventJson {
  return { ...event, time: formatCotTime(event.time), start: formatCotTime(event.start), stale: formatCotTime(event.stale) };
}

type Shape = 'string' | 'number';
const OBJECT_SHAPES: Record<string, Record<string, Shape | `${Shape}?`>> = {
  point: { lat: 'number', lon: 'number', hae: 'number', ce: 'number', le: 'number' },
  contact: { callsign: 'string', endpoint: 'string?', phone: 'string?' },
  group: { name: 'string', role: 'string' },
  takv: { device: 'string', platform: 'string', os: 'string', version: 'string' },
  status: { battery: 'number' },
  track: { speed: 'number', course: 'number' },
  precisionLocation: { geopointsrc: 'string', altsrc: 'string' },
};
const STRING_FIELDS = ['uid', 'type', 'how'];
const OPTIONAL_STRINGS = ['access', 'qos', 'opex', 'caveat', 'releasableTo', 'xmlDetail'];

function bad(message: string): never {
  throw new CotDecodeError('bad-value', message);
}

function checkObject(name: string, value: unknown, shape: Record<string, string>): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) bad(`${name} must be an object`);
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) if (!(key in shape)) bad(`${name}.${key} is not a known field`);
  for (const [key, type] of Object.entries(shape)) {
    const optional = type.endsWith('?');
    const v = record[key];
    if (v === undefined && optional) continue;
    if (typeof v !== type.replace('?', '') || (typeof v === 'number' && !Number.isFinite(v))) bad(`${name}.${key} must be a ${type.replace('?', '')}`);
  }
  return record;
}

/** One parsed JSON value → CotEvent; throws CotDecodeError('bad-value') saying which field is wrong. */
export function eventFromJson(value: unknown): CotEvent {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) bad('a CoT JSON event must be an object');
  const input = value as Record<string, unknown>;
  const event: Record<string, unknown> = {};
  for (const key of Object.keys(input)) {
    const v = input[key];
    if (STRING_FIELDS.includes(key) || OPTIONAL_STRINGS.includes(key)) {
      if (typeof v !== 'string') bad(`${key} must be a string`);
      event[key] = v;
    } else if (key === 'time' || key === 'start' || key === 'stale') {
      const ms = typeof v === 'string' ? parseCotTime(v) : NaN;
      if (Number.isNaN(ms)) bad(`${key} must be a UTC time like 2024-05-01T12:00:00.000Z`);
      event[key] = ms;
    } else if (key in OBJECT_SHAPES) {
      event[key] = checkObject(key, v, OBJECT_SHAPES[key]);
    } else {
      bad(`${key} is not a known field`);
    }
  }
  for (const key of [...STRING_FIELDS, 'time', 'start', 'stale', 'point']) if (event[key] === undefined) bad(`${key} is missing`);
  if (typeof event.xmlDetail === 'string') checkXmlDetail(event.xmlDetail);
  checkAsXml(event as unknown as CotEvent);
  return event as unknown as CotEvent;
}

/**
 * The event goes out as XML: it must pass the checks an XML event read in passes (point
 * ranges, names, times). A fuzz finding: lon -2e16 from JSON was published as is.
 */
function checkAsXml(event: CotEvent): void {
  try {
    new XmlEventDecoder().decode(encodeXmlString(event));
  } catch (error) {
    bad((error as Error).message);
  }
}

const DETAIL_HOST = ['<event version="2.0" uid="x" type="a" time="2024-01-01T00:00:00Z" start="2024-01-01T00:00:00Z" stale="2024-01-01T00:00:01Z"><point lat="0" lon="0" hae="0" ce="0" le="0"/><detail><takdDetailCheck>', '</takdDetailCheck></detail></event>'];

/**
 * xmlDetail goes out verbatim inside <detail>: it must be well-formed, balanced XML there
 * (a fuzz finding: it was taken as given). The extra element around it makes a `</detail>`
 * inside it an error rather than the end of the detail.
 */
function checkXmlDetail(xmlDetail: string): void {
  try {
    new XmlEventDecoder().decode(DETAIL_HOST[0] + xmlDetail + DETAIL_HOST[1]);
  } catch (error) {
    bad(`xmlDetail is not well-formed XML inside <detail>: ${(error as Error).message}`);
  }
}
