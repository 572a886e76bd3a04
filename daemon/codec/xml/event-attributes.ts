// The attributes of <event> and its <point> as the decoder reads them at their open tags,
// and their conversion to event fields. Values stay spans of the source text: times and
// plain decimals are read in place, and only the strings the event keeps are cut out.
import { UNKNOWN_THRESHOLD, UNKNOWN_VALUE } from '../event.js';
import { CotDecodeError } from '../errors.js';
import type { AttributeList } from './attributes.js';
import { plainDecimalAt } from './decimal.js';
import { parseCotTimeAt } from './time.js';

export function required(value: string | undefined, name: string, element: string): string {
  if (value === undefined || value === '') throw new CotDecodeError('missing-field', `${element}@${name} is missing`);
  return value;
}

/** A value read in place: text[from, to). A missing value has no text. */
class ValueSpan {
  text: string | undefined = undefined;
  from = 0;
  to = 0;

  clear(): void {
    this.text = undefined;
  }

  set(list: AttributeList, i: number): void {
    this.text = list.textOf(i);
    this.from = list.fromOf(i);
    this.to = list.toOf(i);
  }
}

export function time(span: ValueSpan, name: string): number {
  const text = span.text;
  if (text === undefined || span.from === span.to) throw new CotDecodeError('missing-field', `event@${name} is missing`);
  const ms = parseCotTimeAt(text, span.from, span.to);
  if (Number.isNaN(ms)) {
    throw new CotDecodeError('bad-value', `event@${name} is not a UTC time (YYYY-MM-DDThh:mm:ss[.sss]Z): ${text.slice(span.from, Math.min(span.to, span.from + 40))}`);
  }
  return ms;
}

export function coordinate(span: ValueSpan, name: 'lat' | 'lon', limit: number): number {
  const text = span.text;
  if (text === undefined || span.from === span.to) throw new CotDecodeError('missing-field', `point@${name} is missing`);
  let number = plainDecimalAt(text, span.from, span.to);
  if (Number.isNaN(number)) {
    const value = text.slice(span.from, span.to);
    number = Number(value);
    // Number() reads blank text as 0.
    if (number === 0 && value.trim() === '') number = NaN;
  }
  if (!Number.isFinite(number) || number < -limit || number > limit) {
    throw new CotDecodeError('bad-value', `point@${name} is not a number within ±${limit}: ${text.slice(span.from, Math.min(span.to, span.from + 40))}`);
  }
  return number;
}

/** hae, ce, le: missing or ≥ 999999 means unknown (9999999). */
export function optionalMeasure(span: ValueSpan, name: string): number {
  const text = span.text;
  if (text === undefined || span.from === span.to) return UNKNOWN_VALUE;
  let value = plainDecimalAt(text, span.from, span.to);
  if (Number.isNaN(value)) {
    const written = text.slice(span.from, span.to);
    value = Number(written);
    if (Number.isNaN(value) || (value === 0 && written.trim() === '')) {
      throw new CotDecodeError('bad-value', `point@${name} is not a number: ${written.slice(0, 40)}`);
    }
  }
  return value >= UNKNOWN_THRESHOLD || !Number.isFinite(value) ? UNKNOWN_VALUE : value;
}

/** The attributes of <event> and of its first <point>, as read at their open tags. */
export class EventAttributes {
  version: string | undefined;
  uid: string | undefined;
  type: string | undefined;
  how: string | undefined;
  readonly time = new ValueSpan();
  readonly start = new ValueSpan();
  readonly stale = new ValueSpan();
  access: string | undefined;
  qos: string | undefined;
  opex: string | undefined;
  caveat: string | undefined;
  releasableTo: string | undefined;
  seen = false;
  readonly lat = new ValueSpan();
  readonly lon = new ValueSpan();
  readonly hae = new ValueSpan();
  readonly ce = new ValueSpan();
  readonly le = new ValueSpan();
  pointSeen = false;

  clear(): void {
    this.version = this.uid = this.type = this.how = undefined;
    this.time.clear();
    this.start.clear();
    this.stale.clear();
    this.access = this.qos = this.opex = this.caveat = this.releasableTo = undefined;
    this.lat.clear();
    this.lon.clear();
    this.hae.clear();
    this.ce.clear();
    this.le.clear();
    this.seen = this.pointSeen = false;
  }

  readEvent(list: AttributeList): void {
    this.seen = true;
    for (let i = 0; i < list.count; i++) {
      switch (list.names[i]) {
        case 'version': this.version = list.value(i); break;
        case 'uid': this.uid = list.value(i); break;
        case 'type': this.type = list.value(i); break;
        case 'how': this.how = list.value(i); break;
        case 'time': this.time.set(list, i); break;
        case 'start': this.start.set(list, i); break;
        case 'stale': this.stale.set(list, i); break;
        case 'access': this.access = list.value(i); break;
        case 'qos': this.qos = list.value(i); break;
        case 'opex': this.opex = list.value(i); break;
        case 'caveat': this.caveat = list.value(i); break;
        case 'releasableTo': this.releasableTo = list.value(i); break;
      }
    }
  }

  readPoint(list: AttributeList): void {
    this.pointSeen = true;
    for (let i = 0; i < list.count; i++) {
      switch (list.names[i]) {
        case 'lat': this.lat.set(list, i); break;
        case 'lon': this.lon.set(list, i); break;
        case 'hae': this.hae.set(list, i); break;
        case 'ce': this.ce.set(list, i); break;
        case 'le': this.le.set(list, i); break;
      }
    }
  }
}
