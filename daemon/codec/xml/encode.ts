// CotEvent → CoT XML. Every attribute is escaped; times are written with milliseconds and
// Z; numbers at full precision (shortest round-trip form, never truncated to 4 decimals);
// version="2.0" and how are always written (taky fails on a-* events without them).
// Typed detail elements come first, then xmlDetail exactly as it was received.
import { UNKNOWN_VALUE, type CotEvent, type TypedDetailKey } from '../event.js';
import { escapeAttribute } from './escape.js';
import { formatCotTime } from './time.js';

export interface XmlEncodeOptions {
  /** Write `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` first, as ATAK does (default true). */
  declaration?: boolean;
}

const DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

function measure(value: number): string {
  return Number.isFinite(value) && value < UNKNOWN_VALUE ? String(value) : '9999999';
}

function coordinate(value: number, name: string): string {
  if (!Number.isFinite(value)) throw new RangeError(`point ${name} is not a finite number`);
  return String(value);
}

function optional(name: string, value: string | undefined): string {
  return value ? ` ${name}="${escapeAttribute(value)}"` : '';
}

/** One typed detail element as XML ('' when the event does not have it). */
export function typedElementXml(event: CotEvent, key: TypedDetailKey): string {
  switch (key) {
    case 'contact': {
      const c = event.contact;
      if (!c) return '';
      return `<contact${optional('endpoint', c.endpoint)}${optional('phone', c.phone)} callsign="${escapeAttribute(c.callsign)}"/>`;
    }
    case 'group': {
      const g = event.group;
      return g ? `<__group name="${escapeAttribute(g.name)}" role="${escapeAttribute(g.role)}"/>` : '';
    }
    case 'takv': {
      const t = event.takv;
      if (!t) return '';
      return `<takv device="${escapeAttribute(t.device)}" platform="${escapeAttribute(t.platform)}" os="${escapeAttribute(t.os)}" version="${escapeAttribute(t.version)}"/>`;
    }
    case 'status':
      return event.status ? `<status battery="${Math.trunc(event.status.battery)}"/>` : '';
    case 'track': {
      const t = event.track;
      return t ? `<track speed="${String(t.speed)}" course="${String(t.course)}"/>` : '';
    }
    case 'precisionLocation': {
      const p = event.precisionLocation;
      return p ? `<precisionlocation geopointsrc="${escapeAttribute(p.geopointsrc)}" altsrc="${escapeAttribute(p.altsrc)}"/>` : '';
    }
  }
}

/** The children of <detail>: typed elements in ATAK's order, then xmlDetail verbatim. */
export function detailChildrenXml(event: CotEvent): string {
  let inner = '';
  if (event.takv) inner += typedElementXml(event, 'takv');
  if (event.contact) inner += typedElementXml(event, 'contact');
  if (event.precisionLocation) inner += typedElementXml(event, 'precisionLocation');
  if (event.group) inner += typedElementXml(event, 'group');
  if (event.status) inner += typedElementXml(event, 'status');
  if (event.track) inner += typedElementXml(event, 'track');
  if (event.xmlDetail) inner += event.xmlDetail;
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
