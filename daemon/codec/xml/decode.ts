// XmlEventDecoder: one framed <event>…</event> (bytes or text) → CotEvent, with one SAX
// pass. Everything is checked: UTF-8, DOCTYPE (refused, never expanded), well-formedness,
// required attributes, times, numbers and ranges. A bad event throws CotDecodeError; the
// decoder stays usable for the next one.
import { isUtf8 } from 'node:buffer';
import { UNKNOWN_THRESHOLD, UNKNOWN_VALUE, type CotEvent, type CotPoint } from '../event.js';
import { CotDecodeError } from '../errors.js';
import type { AttributeList } from './attributes.js';
import { assignDetailFields, DetailCollector, type DetailFields } from './detail.js';
import { QuickCotEngine, type RestartableSaxSink } from './quick-engine.js';
import type { SaxEngine } from './sax-engine.js';
import { rememberSourceXml } from './source-text.js';
import { plainDecimalAt } from './decimal.js';
import { parseCotTimeAt } from './time.js';

/** `how` for events that arrive without one: unvalidated input. takd always writes a how. */
export const DEFAULT_HOW = 'h-g-i-g-o';

function required(value: string | undefined, name: string, element: string): string {
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

function time(span: ValueSpan, name: string): number {
  const text = span.text;
  if (text === undefined || span.from === span.to) throw new CotDecodeError('missing-field', `event@${name} is missing`);
  const ms = parseCotTimeAt(text, span.from, span.to);
  if (Number.isNaN(ms)) {
    throw new CotDecodeError('bad-value', `event@${name} is not a UTC time (YYYY-MM-DDThh:mm:ss[.sss]Z): ${text.slice(span.from, Math.min(span.to, span.from + 40))}`);
  }
  return ms;
}

function coordinate(span: ValueSpan, name: 'lat' | 'lon', limit: number): number {
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
function optionalMeasure(span: ValueSpan, name: string): number {
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
class EventAttributes {
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

export class XmlEventDecoder implements RestartableSaxSink {
  private readonly engine: SaxEngine;
  private readonly detail = new DetailCollector();
  private source = '';
  private depth = 0;
  private readonly attributes = new EventAttributes();
  /** Reused, with every field present (undefined when not found), so its shape never changes. */
  private readonly detailFields: DetailFields = {
    contact: undefined,
    group: undefined,
    takv: undefined,
    status: undefined,
    track: undefined,
    precisionLocation: undefined,
    xmlDetail: undefined,
  };
  private inDetail = false;
  private detailSeen = false;
  private detailOpenEnd = 0;
  private childStart = 0;
  private childOpenEnd = 0;

  /**
   * The default engine parses the common subset of XML itself and hands anything else to
   * saxes (quick-engine.ts); `engine` lets benchmarks and tests measure the others.
   */
  constructor(engine: SaxEngine = new QuickCotEngine()) {
    this.engine = engine;
  }

  decode(frame: Buffer | string): CotEvent {
    // No pre-scan for DOCTYPE/ENTITY: the SAX engine reports any DOCTYPE (and entities can
    // only be declared inside one) before it could matter, and never expands entities.
    if (typeof frame !== 'string' && !isUtf8(frame)) throw new CotDecodeError('invalid-utf8', 'event is not valid UTF-8');
    const source = typeof frame === 'string' ? frame : frame.toString('utf8');
    this.source = source;
    this.restart();
    try {
      this.engine.parse(source, this);
      const event = this.buildEvent();
      const a = this.attributes;
      if (a.version === '2.0' && a.how) rememberSourceXml(event, source);
      return event;
    } finally {
      this.source = '';
    }
  }

  /** Forgets everything seen of the current document (before a fallback parses it again). */
  restart(): void {
    this.depth = 0;
    this.attributes.clear();
    this.inDetail = false;
    this.detailSeen = false;
    const fields = this.detailFields;
    fields.contact = fields.group = fields.takv = fields.status = fields.track = fields.precisionLocation = fields.xmlDetail = undefined;
  }

  open(name: string, attributes: AttributeList, end: number, start?: number): void {
    const depth = this.depth++;
    if (depth === 0) {
      if (name !== 'event') throw new CotDecodeError('not-an-event', `root element is <${name.slice(0, 40)}>, not <event>`);
      this.attributes.readEvent(attributes);
    } else if (depth === 1) {
      if (name === 'point') {
        if (!this.attributes.pointSeen) this.attributes.readPoint(attributes);
      } else if (name === 'detail' && !this.detailSeen) {
        this.inDetail = true;
        this.detailSeen = true;
        this.detailOpenEnd = end;
        this.detail.begin(this.source, end);
      }
    } else if (depth === 2 && this.inDetail) {
      // '<' cannot occur inside a tag, so the last '<' before its end is where it starts.
      this.childStart = start ?? this.source.lastIndexOf('<', end - 1);
      this.childOpenEnd = end;
      this.detail.openChild(name, attributes);
    }
  }

  close(_name: string, end: number): void {
    const depth = --this.depth;
    if (!this.inDetail) return;
    if (depth === 2) {
      this.detail.child(this.childStart, this.childOpenEnd, end);
    } else if (depth === 1) {
      this.inDetail = false;
      this.detail.finish(end, this.detailOpenEnd, this.detailFields);
    }
  }

  private buildEvent(): CotEvent {
    const a = this.attributes;
    if (!a.pointSeen) throw new CotDecodeError('missing-field', 'event has no <point>');
    const point: CotPoint = {
      lat: coordinate(a.lat, 'lat', 90),
      lon: coordinate(a.lon, 'lon', 180),
      hae: optionalMeasure(a.hae, 'hae'),
      ce: optionalMeasure(a.ce, 'ce'),
      le: optionalMeasure(a.le, 'le'),
    };
    const event: CotEvent = {
      uid: required(a.uid, 'uid', 'event'),
      type: required(a.type, 'type', 'event'),
      how: a.how || DEFAULT_HOW,
      time: time(a.time, 'time'),
      start: time(a.start, 'start'),
      stale: time(a.stale, 'stale'),
      point,
    };
    if (a.access) event.access = a.access;
    if (a.qos) event.qos = a.qos;
    if (a.opex) event.opex = a.opex;
    if (a.caveat) event.caveat = a.caveat;
    if (a.releasableTo) event.releasableTo = a.releasableTo;
    assignDetailFields(event, this.detailFields);
    return event;
  }
}
