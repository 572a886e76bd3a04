/**
 * CotEvent → TakMessage bytes, written field by field straight from the event (no
 * intermediate message object). The mapping is spec §6 as event-mapping.ts states it;
 * encode.test.ts checks that both give the same bytes. Fields go out in field-number
 * order and proto3 defaults (empty strings, zeros) are left out, as protobufjs writes them.
 */
import { MAX_BATTERY, type CotEvent } from '../event.js';
import { typedElementXml } from '../xml/encode.js';
import type { TakControlInfo } from './control.js';
import { checkEncodable } from './encodable.js';
import { TAG } from './tags.js';
import { TYPED_DETAIL } from './typed-detail.js';
import type { ProtoWriter } from './writer.js';

const T = TAG;
/** Bytes reserved for a length: a CotEvent is usually 128 bytes to 16 KiB, a sub-message less. */
const EVENT_LENGTH_BYTES = 2;
const SMALL_LENGTH_BYTES = 1;

export function writeTakMessage(w: ProtoWriter, event: CotEvent | undefined, control?: TakControlInfo): void {
  if (control) {
    w.byte(T.TakMessage.takControl);
    const length = w.beginLength(SMALL_LENGTH_BYTES);
    writeTakControl(w, control);
    w.endLength(length);
  }
  if (event) {
    checkEncodable(event);
    w.byte(T.TakMessage.cotEvent);
    const length = w.beginLength(EVENT_LENGTH_BYTES);
    writeCotEvent(w, event);
    w.endLength(length);
  }
}

function writeTakControl(w: ProtoWriter, control: TakControlInfo): void {
  // uint32 on the wire: reduced modulo 2^32 as protobufjs does.
  uint32Field(w, T.TakControl.minProtoVersion, control.minProtoVersion >>> 0);
  uint32Field(w, T.TakControl.maxProtoVersion, control.maxProtoVersion >>> 0);
  stringField(w, T.TakControl.contactUid, control.contactUid);
}

function writeCotEvent(w: ProtoWriter, event: CotEvent): void {
  const p = event.point;
  stringField(w, T.CotEvent.type, event.type);
  stringField(w, T.CotEvent.access, event.access);
  stringField(w, T.CotEvent.qos, event.qos);
  stringField(w, T.CotEvent.opex, event.opex);
  stringField(w, T.CotEvent.uid, event.uid);
  // Whole ms, as XML carries them too.
  uint32Field(w, T.CotEvent.sendTime, Math.floor(event.time));
  uint32Field(w, T.CotEvent.startTime, Math.floor(event.start));
  uint32Field(w, T.CotEvent.staleTime, Math.floor(event.stale));
  stringField(w, T.CotEvent.how, event.how);
  doubleField(w, T.CotEvent.lat, p.lat);
  doubleField(w, T.CotEvent.lon, p.lon);
  doubleField(w, T.CotEvent.hae, p.hae);
  doubleField(w, T.CotEvent.ce, p.ce);
  doubleField(w, T.CotEvent.le, p.le);
  writeDetail(w, event);
}

/** The detail: each typed element typed whole or rendered into xmlDetail whole; omitted when empty. */
function writeDetail(w: ProtoWriter, event: CotEvent): void {
  const { contact, group, precisionLocation, status, takv, track } = event;
  const typedContact = contact !== undefined && TYPED_DETAIL.contact.fits(contact);
  const typedStatus = status !== undefined && TYPED_DETAIL.status.fits(status);
  const typedTrack = track !== undefined && TYPED_DETAIL.track.fits(track);
  let xmlDetail = event.xmlDetail ?? '';
  // Same order as event-mapping.ts (TYPED_DETAIL_ELEMENTS order), so the bytes agree.
  if (contact !== undefined || status !== undefined || track !== undefined) {
    let untyped = '';
    if (contact !== undefined && !typedContact) untyped += typedElementXml(event, 'contact');
    if (status !== undefined && !typedStatus) untyped += typedElementXml(event, 'status');
    if (track !== undefined && !typedTrack) untyped += typedElementXml(event, 'track');
    xmlDetail = untyped + xmlDetail;
  }
  const hasTyped = typedContact || typedStatus || typedTrack || !!group || !!precisionLocation || !!takv;
  if (!hasTyped && xmlDetail === '') return;

  w.byte(T.CotEvent.detail);
  const length = w.beginLength(EVENT_LENGTH_BYTES);
  stringField(w, T.Detail.xmlDetail, xmlDetail);
  if (typedContact) {
    const sub = subMessage(w, T.Detail.contact);
    stringField(w, T.Contact.endpoint, contact!.endpoint);
    stringField(w, T.Contact.callsign, contact!.callsign);
    w.endLength(sub);
  }
  if (group) {
    const sub = subMessage(w, T.Detail.group);
    stringField(w, T.Group.name, group.name);
    stringField(w, T.Group.role, group.role);
    w.endLength(sub);
  }
  if (precisionLocation) {
    const sub = subMessage(w, T.Detail.precisionLocation);
    stringField(w, T.PrecisionLocation.geopointsrc, precisionLocation.geopointsrc);
    stringField(w, T.PrecisionLocation.altsrc, precisionLocation.altsrc);
    w.endLength(sub);
  }
  if (typedStatus) {
    const sub = subMessage(w, T.Detail.status);
    uint32Field(w, T.Status.battery, Math.min(status!.battery, MAX_BATTERY));
    w.endLength(sub);
  }
  if (takv) {
    const sub = subMessage(w, T.Detail.takv);
    stringField(w, T.Takv.device, takv.device);
    stringField(w, T.Takv.platform, takv.platform);
    stringField(w, T.Takv.os, takv.os);
    stringField(w, T.Takv.version, takv.version);
    w.endLength(sub);
  }
  if (typedTrack) {
    const sub = subMessage(w, T.Detail.track);
    doubleField(w, T.Track.speed, track!.speed);
    doubleField(w, T.Track.course, track!.course);
    w.endLength(sub);
  }
  w.endLength(length);
}

function subMessage(w: ProtoWriter, tag: number): number {
  w.byte(tag);
  return w.beginLength(SMALL_LENGTH_BYTES);
}

function stringField(w: ProtoWriter, tag: number, value: string | undefined): void {
  if (value) w.stringField(tag, value);
}

function uint32Field(w: ProtoWriter, tag: number, value: number): void {
  if (value === 0) return;
  w.byte(tag);
  w.varint(value);
}

/** proto3 leaves out +0 only; -0 is written, as protobufjs does. */
function doubleField(w: ProtoWriter, tag: number, value: number): void {
  if (value !== 0 || 1 / value < 0) w.doubleField(tag, value);
}
