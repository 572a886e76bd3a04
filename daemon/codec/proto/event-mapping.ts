/**
 * CotEvent ⇄ TAK protocol v1 CotEvent message, per spec §6.
 *
 * Sending: core fields must all be present (else an Error: the caller sends XML instead);
 * each typed detail element is typed whole or rendered into xmlDetail whole; empty
 * access/qos/opex and an empty detail are not written. `caveat` and `releasableTo` have no
 * v1 field and are not carried (v1 streams cannot fall back to XML per event).
 *
 * Receiving: xmlDetail is parsed as XML (a decode error if it is not well-formed); a typed
 * field is ignored when xmlDetail holds an element of the same name (the XML copy wins).
 */
import { CotDecodeError } from '../errors.js';
import { TYPED_DETAIL_ELEMENTS, UNKNOWN_THRESHOLD, UNKNOWN_VALUE } from '../event.js';
import type { CotEvent, CotPoint, TypedDetailKey } from '../event.js';
import { assignDetailFields, parseDetailFragment } from '../xml/detail.js';
import { typedElementXml } from '../xml/encode.js';
import type { LongLike, WireCotEvent, WireDetail } from './schema.js';
import { TYPED_DETAIL } from './typed-detail.js';

/** Latest time a JS Date (and so an XML time) can hold, in ms. */
const MAX_TIME_MS = 8.64e15;
const TYPED_ENTRIES = Object.entries(TYPED_DETAIL_ELEMENTS) as [string, TypedDetailKey][];
const TYPED_KEYS = TYPED_ENTRIES.map(([, key]) => key);
const POINT_KEYS = ['lat', 'lon', 'hae', 'ce', 'le'] as const;

export function eventToWire(event: CotEvent): WireCotEvent {
  checkEncodable(event);
  const wire: WireCotEvent = {
    type: event.type,
    uid: event.uid,
    // Whole ms, as XML carries them too.
    sendTime: Math.floor(event.time),
    startTime: Math.floor(event.start),
    staleTime: Math.floor(event.stale),
    how: event.how,
    lat: event.point.lat,
    lon: event.point.lon,
    hae: event.point.hae,
    ce: event.point.ce,
    le: event.point.le,
  };
  if (event.access) wire.access = event.access;
  if (event.qos) wire.qos = event.qos;
  if (event.opex) wire.opex = event.opex;
  const detail = detailToWire(event);
  if (detail) wire.detail = detail;
  return wire;
}

const isTime = (value: number) => value >= 0 && value <= MAX_TIME_MS;

function checkEncodable(event: CotEvent): void {
  const p = event.point;
  const valid =
    event.uid && event.type && event.how && isTime(event.time) && isTime(event.start) && isTime(event.stale) && p &&
    Number.isFinite(p.lat) && Number.isFinite(p.lon) && Number.isFinite(p.hae) && Number.isFinite(p.ce) && Number.isFinite(p.le);
  if (!valid) throw new Error(`cannot encode as TAK protocol v1: ${encodeProblems(event).join(', ')}`);
}

/** What checkEncodable found wrong, for the error message (the slow path). */
function encodeProblems(event: CotEvent): string[] {
  const problems: string[] = [];
  for (const key of ['uid', 'type', 'how'] as const) if (!event[key]) problems.push(`${key} is missing or empty`);
  for (const key of ['time', 'start', 'stale'] as const) if (!isTime(event[key])) problems.push(`${key} is not a time from 1970 on`);
  if (!event.point) problems.push('point is missing');
  else for (const key of POINT_KEYS) if (!Number.isFinite(event.point[key])) problems.push(`point.${key} is not a finite number`);
  return problems;
}

function detailToWire(event: CotEvent): WireDetail | undefined {
  const detail: WireDetail = {};
  let untypedXml = '';
  let hasTyped = false;
  for (const key of TYPED_KEYS) {
    if (event[key] === undefined) continue;
    const typed = typedToWire(event, key);
    if (typed === undefined) untypedXml += typedElementXml(event, key);
    else {
      (detail as Record<string, unknown>)[key] = typed;
      hasTyped = true;
    }
  }
  const xmlDetail = untypedXml + (event.xmlDetail ?? '');
  if (xmlDetail) detail.xmlDetail = xmlDetail;
  return hasTyped || xmlDetail ? detail : undefined;
}

function typedToWire<K extends TypedDetailKey>(event: CotEvent, key: K): WireDetail[K] | undefined {
  const value = event[key] as NonNullable<CotEvent[K]>;
  return TYPED_DETAIL[key].toWire(value);
}

export function wireToEvent(wire: WireCotEvent): CotEvent {
  if (!wire.uid || !wire.type || !wire.how) {
    const missing = (['uid', 'type', 'how'] as const).filter((key) => !wire[key]);
    throw new CotDecodeError('missing-field', `TAK v1 event without ${missing.join(', ')}`);
  }
  const event: CotEvent = {
    uid: wire.uid as string,
    type: wire.type as string,
    how: wire.how as string,
    time: timeFromWire(wire.sendTime, 'sendTime'),
    start: timeFromWire(wire.startTime, 'startTime'),
    stale: timeFromWire(wire.staleTime, 'staleTime'),
    point: pointFromWire(wire),
  };
  if (wire.access) event.access = wire.access;
  if (wire.qos) event.qos = wire.qos;
  if (wire.opex) event.opex = wire.opex;
  if (wire.detail) addDetail(event, wire.detail);
  return event;
}

function timeFromWire(value: number | LongLike | undefined, name: string): number {
  const ms = value === undefined ? 0 : typeof value === 'number' ? value : value.toNumber();
  if (ms > MAX_TIME_MS) throw new CotDecodeError('bad-value', `TAK v1 ${name} ${ms} is beyond any representable date`);
  return ms;
}

function pointFromWire(wire: WireCotEvent): CotPoint {
  return {
    lat: coordinate(wire.lat ?? 0, 'lat', 90),
    lon: coordinate(wire.lon ?? 0, 'lon', 180),
    hae: measure(wire.hae ?? 0),
    ce: measure(wire.ce ?? 0),
    le: measure(wire.le ?? 0),
  };
}

/** The same limits as the XML decoder, so an event is valid or not whatever its encoding. */
function coordinate(value: number, name: string, limit: number): number {
  if (!(value >= -limit && value <= limit)) {
    throw new CotDecodeError('bad-value', `TAK v1 point ${name} ${value} is not within ±${limit}`);
  }
  return value;
}

/** Spec §8.2: at or above the threshold (or not a number) means unknown; carry the one canonical value. */
function measure(value: number): number {
  return Number.isFinite(value) && value < UNKNOWN_THRESHOLD ? value : UNKNOWN_VALUE;
}

const NO_NAMES: ReadonlySet<string> = new Set();

function addDetail(event: CotEvent, detail: WireDetail): void {
  let namesSeen = NO_NAMES;
  if (detail.xmlDetail) {
    const parsed = parseDetailFragment(detail.xmlDetail);
    namesSeen = parsed.namesSeen;
    // Typed elements found inside xmlDetail (a contact with a phone, say) win over typed fields.
    assignDetailFields(event, parsed.fields);
  }
  for (const [elementName, key] of TYPED_ENTRIES) {
    const typed = detail[key];
    if (!typed || namesSeen.has(elementName)) continue;
    (event as unknown as Record<string, unknown>)[key] = typedFromWire(key, typed);
  }
  if (event.track && !(Number.isFinite(event.track.speed) && Number.isFinite(event.track.course))) {
    throw new CotDecodeError('bad-value', 'TAK v1 track speed/course is not finite');
  }
}

function typedFromWire<K extends TypedDetailKey>(key: K, wire: NonNullable<WireDetail[K]>): CotEvent[K] {
  return TYPED_DETAIL[key].fromWire(wire);
}
