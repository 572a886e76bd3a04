// XmlEventDecoder: one framed <event>…</event> (bytes or text) → CotEvent, with one SAX
// pass. Everything is checked: UTF-8, DOCTYPE (refused, never expanded), well-formedness,
// required attributes, times, numbers and ranges. A bad event throws CotDecodeError; the
// decoder stays usable for the next one.
import { isUtf8 } from 'node:buffer';
import type { CotEvent, CotPoint } from '../event.js';
import { CotDecodeError } from '../errors.js';
import type { AttributeList } from './attributes.js';
import { assignDetailFields, DetailCollector, type DetailFields } from './detail.js';
import { QuickCotEngine, type RestartableSaxSink } from './quick-engine.js';
import type { SaxEngine } from './sax-engine.js';
import { rememberSourceXml } from './source-text.js';
import { coordinate, EventAttributes, optionalMeasure, required, time } from './event-attributes.js';

/** `how` for events that arrive without one: unvalidated input. takd always writes a how. */
export const DEFAULT_HOW = 'h-g-i-g-o';

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

  close(_name: string, end: number, start?: number): void {
    const depth = --this.depth;
    if (!this.inDetail) return;
    if (depth === 2) {
      this.detail.child(this.childStart, this.childOpenEnd, end, start);
    } else if (depth === 1) {
      this.inDetail = false;
      this.detail.finish(end, this.detailOpenEnd, this.detailFields, start);
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
