// DetailCollector: turns the children of <detail> into typed fields plus xmlDetail, the
// exact source text of everything else, in document order. Used by the event decoder
// while it parses a whole event, and by parseDetailFragment for TAK v1's xmlDetail.
import type { CotEvent } from '../event.js';
import { CotDecodeError } from '../errors.js';
import type { AttributeList } from './attributes.js';
import { scanFragment } from './fragment-scan.js';
import { SaxesEngine, type SaxEngine, type SaxSink } from './sax-engine.js';
import { TYPED_DETAIL_READERS, type TypedDetailSpec } from './typed-detail.js';

type DetailKey = 'contact' | 'group' | 'takv' | 'status' | 'track' | 'precisionLocation' | 'xmlDetail';

/** The detail parts of an event; undefined (or absent) where the detail had none. */
export type DetailFields = { [K in DetailKey]?: CotEvent[K] | undefined };

export interface ParsedDetail {
  fields: DetailFields;
  /** Names of typed-detail elements (contact, __group, …) seen in the fragment, typed or left raw. */
  namesSeen: ReadonlySet<string>;
}

/** Copies the detail fields that are set onto an event (XML decode, and TAK v1's xmlDetail). */
export function assignDetailFields(event: CotEvent, fields: DetailFields): void {
  if (fields.contact) event.contact = fields.contact;
  if (fields.group) event.group = fields.group;
  if (fields.takv) event.takv = fields.takv;
  if (fields.status) event.status = fields.status;
  if (fields.track) event.track = fields.track;
  if (fields.precisionLocation) event.precisionLocation = fields.precisionLocation;
  if (fields.xmlDetail) event.xmlDetail = fields.xmlDetail;
}

function isBlank(source: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = source.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false;
  }
  return true;
}

/**
 * Collects one <detail>. The owner calls begin() at the detail's open tag, openChild() and
 * child() at each direct child's open and close tags, and finish() at the detail's close tag.
 * Pieces are kept in reused parallel arrays with a count of those in use: this runs once
 * per event on the hot path, and an array cut to length 0 gives up its storage.
 */
export class DetailCollector {
  private source = '';
  private cursor = 0;
  private starts: number[] = [];
  private ends: number[] = [];
  /** The typed-detail spec of each piece, or undefined for a piece that is not one. */
  private specs: (TypedDetailSpec | undefined)[] = [];
  private values: unknown[] = [];
  private count = 0;
  /** Typed elements seen, and seen more than once (each spec's bit). */
  private seen = 0;
  private seenTwice = 0;
  private childSpec: TypedDetailSpec | undefined;
  private childValue: unknown;

  begin(source: string, openTagEnd: number): void {
    this.source = source;
    this.cursor = openTagEnd;
    this.count = 0;
    this.seen = 0;
    this.seenTwice = 0;
  }

  /**
   * At a direct child's open tag: reads its typed value now, while its attributes are at
   * hand; child() decides at its close tag whether the value stands.
   */
  openChild(name: string, attributes: AttributeList): void {
    const spec = TYPED_DETAIL_READERS.get(name);
    this.childSpec = spec;
    this.childValue = spec === undefined ? undefined : spec.read(attributes);
  }

  /**
   * The child opened last, from `start` ('<') to `end` (past its last '>'), closes;
   * `closeStart` is where its close tag begins (its end when self-closing), if known.
   */
  child(start: number, openTagEnd: number, end: number, closeStart?: number): void {
    this.gap(start);
    let value: unknown;
    if (this.childValue !== undefined) {
      // No children and no text: self-closing, or the close tag right after the open tag.
      const closeAt = closeStart ?? this.source.lastIndexOf('<', end - 1);
      if (closeAt <= openTagEnd) value = this.childValue;
    }
    const spec = this.childSpec;
    if (spec !== undefined) {
      if ((this.seen & spec.bit) !== 0) this.seenTwice |= spec.bit;
      this.seen |= spec.bit;
    }
    this.push(start, end, spec, value);
    this.cursor = end;
  }

  /** Text, comments or CDATA directly under <detail> are kept as they were. */
  private gap(upTo: number): void {
    if (upTo > this.cursor && !isBlank(this.source, this.cursor, upTo)) this.push(this.cursor, upTo, undefined, undefined);
  }

  private push(start: number, end: number, spec: TypedDetailSpec | undefined, value: unknown): void {
    const i = this.count++;
    this.starts[i] = start;
    this.ends[i] = end;
    this.specs[i] = spec;
    this.values[i] = value;
  }

  /**
   * At the detail's close tag (closeTagEnd just past its '>'; closeTagStart at its '<',
   * when the engine knows it): writes the fields into target. A typed element that
   * occurs more than once stays raw, every copy of it. `namesSeen` collects the typed
   * element names met.
   */
  finish(closeTagEnd: number, detailOpenTagEnd: number, target: DetailFields, closeTagStart?: number, namesSeen?: Set<string>): void {
    const closeStart = closeTagStart ?? this.source.lastIndexOf('<', closeTagEnd - 1);
    if (closeStart >= detailOpenTagEnd) this.gap(closeStart);
    const { specs, values, starts, ends, source, count, seenTwice } = this;
    let xmlDetail = '';
    for (let i = 0; i < count; i++) {
      const spec = specs[i];
      if (spec !== undefined && namesSeen !== undefined) namesSeen.add(spec.element);
      const value = values[i];
      if (value !== undefined && (seenTwice & spec!.bit) === 0) {
        (target as Record<string, unknown>)[spec!.key] = value;
        values[i] = undefined; // not kept alive by the collector until the slot is reused
      } else {
        xmlDetail += source.slice(starts[i], ends[i]);
      }
    }
    if (xmlDetail !== '') target.xmlDetail = xmlDetail;
    this.source = '';
  }
}

/** Parses `<detail>` children given as a fragment (TAK v1 xmlDetail). */
class FragmentSink implements SaxSink {
  private depth = 0;
  private detailOpenEnd = 0;
  private childStart = 0;
  private childOpenEnd = 0;
  readonly collector = new DetailCollector();
  fields: DetailFields = {};
  namesSeen = new Set<string>();
  source = '';

  open(name: string, attributes: AttributeList, end: number): void {
    if (this.depth === 0) {
      this.detailOpenEnd = end;
      this.collector.begin(this.source, end);
    } else if (this.depth === 1) {
      this.childStart = this.source.lastIndexOf('<', end - 1);
      this.childOpenEnd = end;
      this.collector.openChild(name, attributes);
    }
    this.depth++;
  }

  close(_name: string, end: number): void {
    this.depth--;
    if (this.depth === 1) {
      this.collector.child(this.childStart, this.childOpenEnd, end);
    } else if (this.depth === 0) {
      this.collector.finish(end, this.detailOpenEnd, this.fields, undefined, this.namesSeen);
    }
  }
}

let fragmentEngine: SaxEngine | undefined;

const NO_NAMES: ReadonlySet<string> = new Set();

const isUntyped = (name: string) => !TYPED_DETAIL_READERS.has(name);

/** The children of <detail> without the wrapper → typed fields + the rest as xmlDetail. */
export function parseDetailFragment(fragment: string): ParsedDetail {
  // Fast path: plain, certainly well-formed XML with no typed element in it stays as it is.
  // (It has no markup declarations: '<!' is never simple.)
  if (scanFragment(fragment, isUntyped)) {
    return { fields: fragment === '' ? {} : { xmlDetail: fragment }, namesSeen: NO_NAMES };
  }
  if (fragment.includes('<!DOCTYPE') || fragment.includes('<!ENTITY')) {
    throw new CotDecodeError('doctype', 'DOCTYPE/ENTITY declarations are refused');
  }
  const sink = new FragmentSink();
  sink.source = `<detail>${fragment}</detail>`;
  fragmentEngine ??= new SaxesEngine();
  fragmentEngine.parse(sink.source, sink);
  return { fields: sink.fields, namesSeen: sink.namesSeen };
}
