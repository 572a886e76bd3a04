// XmlEventDecoder: one framed <event>…</event> (bytes or text) → CotEvent, with one SAX
// pass. Everything is checked: UTF-8, DOCTYPE (refused, never expanded), well-formedness,
// required attributes, times, numbers and ranges. A bad event throws CotDecodeError; the
// decoder stays usable for the next one.
import { isUtf8 } from 'node:buffer';
import { UNKNOWN_THRESHOLD, UNKNOWN_VALUE, type CotEvent, type CotPoint } from '../event.js';
import { CotDecodeError } from '../errors.js';
import { assignDetailFields, DetailCollector, type DetailFields } from './detail.js';
import { QuickCotEngine, type RestartableSaxSink } from './quick-engine.js';
import type { SaxEngine } from './sax-engine.js';
import { rememberSourceXml } from './source-text.js';
import { parseCotTime } from './time.js';

/** `how` for events that arrive without one: unvalidated input. takd always writes a how. */
export const DEFAULT_HOW = 'h-g-i-g-o';

function requiredAttribute(attributes: Record<string, string>, name: string, element: string): string {
  const value = attributes[name];
  if (value === undefined || value === '') throw new CotDecodeError('missing-field', `${element}@${name} is missing`);
  return value;
}

function time(attributes: Record<string, string>, name: string): number {
  const text = requiredAttribute(attributes, name, 'event');
  const ms = parseCotTime(text);
  if (Number.isNaN(ms)) throw new CotDecodeError('bad-value', `event@${name} is not a UTC time (YYYY-MM-DDThh:mm:ss[.sss]Z): ${text.slice(0, 40)}`);
  return ms;
}

function coordinate(attributes: Record<string, string>, name: 'lat' | 'lon', limit: number): number {
  const text = requiredAttribute(attributes, name, 'point');
  const value = Number(text);
  if (!Number.isFinite(value) || value < -limit || value > limit || text.trim() === '') {
    throw new CotDecodeError('bad-value', `point@${name} is not a number within ±${limit}: ${text.slice(0, 40)}`);
  }
  return value;
}

/** hae, ce, le: missing or ≥ 999999 means unknown (9999999). */
function optionalMeasure(attributes: Record<string, string>, name: string): number {
  const text = attributes[name];
  if (text === undefined || text === '') return UNKNOWN_VALUE;
  const value = Number(text);
  if (Number.isNaN(value) || text.trim() === '') throw new CotDecodeError('bad-value', `point@${name} is not a number: ${text.slice(0, 40)}`);
  return value >= UNKNOWN_THRESHOLD || !Number.isFinite(value) ? UNKNOWN_VALUE : value;
}

export class XmlEventDecoder implements RestartableSaxSink {
  private readonly engine: SaxEngine;
  private readonly detail = new DetailCollector();
  private source = '';
  private depth = 0;
  private eventAttributes: Record<string, string> | undefined;
  private pointAttributes: Record<string, string> | undefined;
  private detailFields: DetailFields = {};
  private inDetail = false;
  private detailSeen = false;
  private detailOpenEnd = 0;
  private childStart = 0;
  private childOpenEnd = 0;
  private childName = '';
  private childAttributes: Record<string, string> = {};

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
      const a = this.eventAttributes!;
      if (a.version === '2.0' && a.how) rememberSourceXml(event, source);
      return event;
    } finally {
      this.source = '';
    }
  }

  /** Forgets everything seen of the current document (before a fallback parses it again). */
  restart(): void {
    this.depth = 0;
    this.eventAttributes = undefined;
    this.pointAttributes = undefined;
    this.inDetail = false;
    this.detailSeen = false;
    this.detailFields = {};
  }

  open(name: string, attributes: Record<string, string>, end: number, start?: number): void {
    const depth = this.depth++;
    if (depth === 0) {
      if (name !== 'event') throw new CotDecodeError('not-an-event', `root element is <${name.slice(0, 40)}>, not <event>`);
      this.eventAttributes = attributes;
    } else if (depth === 1) {
      if (name === 'point') {
        this.pointAttributes ??= attributes;
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
      this.childName = name;
      this.childAttributes = attributes;
    }
  }

  close(_name: string, end: number): void {
    const depth = --this.depth;
    if (!this.inDetail) return;
    if (depth === 2) {
      this.detail.child(this.childName, this.childAttributes, this.childStart, this.childOpenEnd, end);
    } else if (depth === 1) {
      this.inDetail = false;
      this.detail.finish(end, this.detailOpenEnd, this.detailFields);
    }
  }

  private buildEvent(): CotEvent {
    const a = this.eventAttributes!;
    const p = this.pointAttributes;
    if (p === undefined) throw new CotDecodeError('missing-field', 'event has no <point>');
    const point: CotPoint = {
      lat: coordinate(p, 'lat', 90),
      lon: coordinate(p, 'lon', 180),
      hae: optionalMeasure(p, 'hae'),
      ce: optionalMeasure(p, 'ce'),
      le: optionalMeasure(p, 'le'),
    };
    const event: CotEvent = {
      uid: requiredAttribute(a, 'uid', 'event'),
      type: requiredAttribute(a, 'type', 'event'),
      how: a.how || DEFAULT_HOW,
      time: time(a, 'time'),
      start: time(a, 'start'),
      stale: time(a, 'stale'),
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
