/**
 * CotEvent ⇄ TAK protocol v1 CotEvent message, per spec §6. Receiving, decodeTakMessage
 * maps what decode.ts read with wireToEvent. Sending, encode.ts writes the bytes straight
 * from the event; eventToWire is the same mapping as a message object, the reference that
 * codec-reference.test.ts and the codec benchmark hold encode.ts to.
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
import { scanFragment } from '../xml/fragment-scan.js';
import { TYPED_DETAIL_READERS } from '../xml/typed-detail.js';
import type { LongLike, WireCotEvent, WireDetail } from './schema.js';
import { TYPED_DETAIL } from './typed-detail.js';
import { MAX_TIME_MS, checkEncodable } from './encodable.js';

const TYPED_ENTRIES = Object.entries(TYPED_DETAIL_ELEMENTS) as [string, TypedDetailKey][];
const TYPED_KEYS = TYPED_ENTRIES.map(([, key]) => key);

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
  const row = TYPED_DETAIL[key];
  return row.fits(value) ? row.toWire(value) : undefined;
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

const isUntypedName = (name: string) => !TYPED_DETAIL_READERS.has(name);

function addDetail(event: CotEvent, detail: WireDetail): void {
  let namesSeen = NO_NAMES;
  const xmlDetail = detail.xmlDetail;
  if (xmlDetail && scanFragment(xmlDetail, isUntypedName)) {
    // The common case, without parseDetailFragment's result objects: plain XML, nothing typed in it.
    event.xmlDetail = xmlDetail;
  } else if (xmlDetail) {
    const parsed = parseDetailFragment(xmlDetail);
    namesSeen = parsed.namesSeen;
    // Typed elements found inside xmlDetail (a contact with a phone, say) win over typed fields.
    assignDetailFields(event, parsed.fields);
  }
  // One line per TYPED_DETAIL_ELEMENTS entry, in its order (this runs for every event).
  const { contact, group, takv, status, track, precisionLocation } = detail;
  if (contact && !namesSeen.has('contact')) event.contact = TYPED_DETAIL.contact.fromWire(contact);
  if (group && !namesSeen.has('__group')) event.group = TYPED_DETAIL.group.fromWire(group);
  if (takv && !namesSeen.has('takv')) event.takv = TYPED_DETAIL.takv.fromWire(takv);
  if (status && !namesSeen.has('status')) event.status = TYPED_DETAIL.status.fromWire(status);
  if (track && !namesSeen.has('track')) event.track = TYPED_DETAIL.track.fromWire(track);
  if (precisionLocation && !namesSeen.has('precisionlocation')) {
    event.precisionLocation = TYPED_DETAIL.precisionLocation.fromWire(precisionLocation);
  }
  if (event.track && !(Number.isFinite(event.track.speed) && Number.isFinite(event.track.course))) {
    throw new CotDecodeError('bad-value', 'TAK v1 track speed/course is not finite');
  }
}
