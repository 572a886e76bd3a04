/**
 * TakMessage bytes → the wire shapes of schema.ts, read with protobufjs's Reader into one
 * set of reused objects (decode is synchronous and never re-entered), so a decode
 * allocates only the strings and the CotEvent that event-mapping.ts builds from them.
 *
 * Wire semantics follow protobufjs's generated decoders: a field with an unexpected wire
 * type is skipped like an unknown field, a repeated sub-message merges into the first,
 * a later scalar overwrites an earlier one (a zero or '' resets it), groups and the
 * recursion limit are protobufjs's skipType. Strings must be valid UTF-8.
 */
// The minimal build: the Reader only, not the reflection and code generation of the full one.
import protobuf from 'protobufjs/minimal.js';
import { isUtf8 } from 'node:buffer';
import type {
  WireContact,
  WireCotEvent,
  WireDetail,
  WireGroup,
  WirePrecisionLocation,
  WireStatus,
  WireTakControl,
  WireTakMessage,
  WireTakv,
  WireTrack,
} from './schema.js';
import { TAG } from './tags.js';

type Reader = protobuf.Reader;
const EMPTY = Buffer.alloc(0);
const T = TAG;

/** Every field of a decoded TakMessage, at its proto3 default until read. */
class ScratchMessage {
  readonly control: Required<WireTakControl> = { minProtoVersion: 0, maxProtoVersion: 0, contactUid: '' };
  readonly contact: Required<WireContact> = { endpoint: '', callsign: '' };
  readonly group: Required<WireGroup> = { name: '', role: '' };
  readonly precisionLocation: Required<WirePrecisionLocation> = { geopointsrc: '', altsrc: '' };
  readonly status: Required<WireStatus> = { battery: 0 };
  readonly takv: Required<WireTakv> = { device: '', platform: '', os: '', version: '' };
  readonly track: Required<WireTrack> = { speed: 0, course: 0 };
  readonly detail: WireDetail = { xmlDetail: '', contact: null, group: null, precisionLocation: null, status: null, takv: null, track: null };
  readonly event: WireCotEvent = {
    type: '', access: '', qos: '', opex: '', uid: '', sendTime: 0, startTime: 0, staleTime: 0, how: '',
    lat: 0, lon: 0, hae: 0, ce: 0, le: 0, detail: null,
  };
  readonly message: WireTakMessage = { takControl: null, cotEvent: null };
}

const scratch = new ScratchMessage();
/** One reader, pointed at each payload in turn (protobufjs's BufferReader: Buffer methods for bytes). */
const reader = protobuf.Reader.create(EMPTY);

/**
 * Decodes one TakMessage. The result and everything in it are reused by the next call:
 * map it to its own objects (event-mapping.ts) before decoding again.
 * Throws whatever protobufjs's Reader throws on bad wire data, or an Error for bad UTF-8.
 */
export function readTakMessage(bytes: Uint8Array): WireTakMessage {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const r = reader;
  r.buf = buffer;
  r.pos = 0;
  r.len = buffer.length;
  r.view = null;
  payloadText = '';
  const message = scratch.message;
  message.takControl = null;
  message.cotEvent = null;
  while (r.pos < r.len) {
    const tag = r.tag();
    if (tag === T.TakMessage.takControl) {
      message.takControl = within(r, 1, message.takControl === null ? resetControl() : scratch.control, readTakControl);
    } else if (tag === T.TakMessage.cotEvent) {
      message.cotEvent = within(r, 1, message.cotEvent === null ? resetEvent() : scratch.event, readCotEvent);
    } else r.skipType(tag & 7, 0, tag >>> 3);
  }
  payloadText = '';
  r.buf = EMPTY; // hold no payload between calls
  return message;
}

/** Reads a length-delimited sub-message into `target` with `read`; the length must fit the message. */
function within<M>(r: Reader, depth: number, target: M, read: (r: Reader, target: M, depth: number) => void): M {
  const length = r.size();
  const end = r.pos + length;
  if (end > r.len) throw new RangeError('index out of range');
  if (depth > protobuf.Reader.recursionLimit) throw new Error('max depth exceeded');
  const outerEnd = r.len;
  r.len = end;
  read(r, target, depth);
  if (r.pos !== end) throw new RangeError('index out of range');
  r.len = outerEnd;
  return target;
}

function readTakControl(r: Reader, m: WireTakControl, depth: number): void {
  while (r.pos < r.len) {
    const tag = r.tag();
    if (tag === T.TakControl.minProtoVersion) m.minProtoVersion = r.uint32();
    else if (tag === T.TakControl.maxProtoVersion) m.maxProtoVersion = r.uint32();
    else if (tag === T.TakControl.contactUid) m.contactUid = readString(r);
    else r.skipType(tag & 7, depth, tag >>> 3);
  }
}

function readCotEvent(r: Reader, m: WireCotEvent, depth: number): void {
  while (r.pos < r.len) {
    const tag = r.tag();
    switch (tag) {
      case T.CotEvent.type: m.type = readString(r); break;
      case T.CotEvent.access: m.access = readString(r); break;
      case T.CotEvent.qos: m.qos = readString(r); break;
      case T.CotEvent.opex: m.opex = readString(r); break;
      case T.CotEvent.uid: m.uid = readString(r); break;
      case T.CotEvent.sendTime: m.sendTime = readUint64(r); break;
      case T.CotEvent.startTime: m.startTime = readUint64(r); break;
      case T.CotEvent.staleTime: m.staleTime = readUint64(r); break;
      case T.CotEvent.how: m.how = readString(r); break;
      case T.CotEvent.lat: m.lat = r.double(); break;
      case T.CotEvent.lon: m.lon = r.double(); break;
      case T.CotEvent.hae: m.hae = r.double(); break;
      case T.CotEvent.ce: m.ce = r.double(); break;
      case T.CotEvent.le: m.le = r.double(); break;
      case T.CotEvent.detail:
        m.detail = within(r, depth + 1, m.detail ?? resetDetail(), readDetail);
        break;
      default:
        r.skipType(tag & 7, depth, tag >>> 3);
    }
  }
}

function readDetail(r: Reader, m: WireDetail, depth: number): void {
  const inner = depth + 1;
  while (r.pos < r.len) {
    const tag = r.tag();
    switch (tag) {
      case T.Detail.xmlDetail: m.xmlDetail = readString(r); break;
      case T.Detail.contact: m.contact = within(r, inner, m.contact ?? resetContact(), readContact); break;
      case T.Detail.group: m.group = within(r, inner, m.group ?? resetGroup(), readGroup); break;
      case T.Detail.precisionLocation:
        m.precisionLocation = within(r, inner, m.precisionLocation ?? resetPrecisionLocation(), readPrecisionLocation);
        break;
      case T.Detail.status: m.status = within(r, inner, m.status ?? resetStatus(), readStatus); break;
      case T.Detail.takv: m.takv = within(r, inner, m.takv ?? resetTakv(), readTakv); break;
      case T.Detail.track: m.track = within(r, inner, m.track ?? resetTrack(), readTrack); break;
      default:
        r.skipType(tag & 7, depth, tag >>> 3);
    }
  }
}

function readContact(r: Reader, m: WireContact, depth: number): void {
  while (r.pos < r.len) {
    const tag = r.tag();
    if (tag === T.Contact.endpoint) m.endpoint = readString(r);
    else if (tag === T.Contact.callsign) m.callsign = readString(r);
    else r.skipType(tag & 7, depth, tag >>> 3);
  }
}

function readGroup(r: Reader, m: WireGroup, depth: number): void {
  while (r.pos < r.len) {
    const tag = r.tag();
    if (tag === T.Group.name) m.name = readString(r);
    else if (tag === T.Group.role) m.role = readString(r);
    else r.skipType(tag & 7, depth, tag >>> 3);
  }
}

function readPrecisionLocation(r: Reader, m: WirePrecisionLocation, depth: number): void {
  while (r.pos < r.len) {
    const tag = r.tag();
    if (tag === T.PrecisionLocation.geopointsrc) m.geopointsrc = readString(r);
    else if (tag === T.PrecisionLocation.altsrc) m.altsrc = readString(r);
    else r.skipType(tag & 7, depth, tag >>> 3);
  }
}

function readStatus(r: Reader, m: WireStatus, depth: number): void {
  while (r.pos < r.len) {
    const tag = r.tag();
    if (tag === T.Status.battery) m.battery = r.uint32();
    else r.skipType(tag & 7, depth, tag >>> 3);
  }
}

function readTakv(r: Reader, m: WireTakv, depth: number): void {
  while (r.pos < r.len) {
    const tag = r.tag();
    if (tag === T.Takv.device) m.device = readString(r);
    else if (tag === T.Takv.platform) m.platform = readString(r);
    else if (tag === T.Takv.os) m.os = readString(r);
    else if (tag === T.Takv.version) m.version = readString(r);
    else r.skipType(tag & 7, depth, tag >>> 3);
  }
}

function readTrack(r: Reader, m: WireTrack, depth: number): void {
  while (r.pos < r.len) {
    const tag = r.tag();
    if (tag === T.Track.speed) m.speed = r.double();
    else if (tag === T.Track.course) m.course = r.double();
    else r.skipType(tag & 7, depth, tag >>> 3);
  }
}

/**
 * The payload as Latin-1 text, made on the first string of a message: ASCII string fields
 * are sliced from it (a JS slice, no native call per field). '' until then.
 */
let payloadText = '';

/** Node's Buffer has latin1Slice (what toString('latin1') calls after its argument checks); @types/node omits it. */
interface LatinSlicing {
  latin1Slice(start: number, end: number): string;
}

/** A length-prefixed string; ASCII is taken as is, anything else must be valid UTF-8. */
function readString(r: Reader): string {
  const length = r.size();
  const start = r.pos;
  const end = start + length;
  if (end > r.len) throw new RangeError('index out of range');
  r.pos = end;
  const buf = r.buf as Buffer;
  for (let i = start; i < end; i++) {
    if (buf[i] >= 0x80) {
      if (!isUtf8(buf.subarray(start, end))) throw new Error('invalid UTF-8 in a string field');
      return buf.toString('utf8', start, end);
    }
  }
  if (payloadText === '') payloadText = (buf as Buffer & LatinSlicing).latin1Slice(0, buf.length);
  return payloadText.slice(start, end);
}

/**
 * A uint64 varint as a number (times in ms fit 53 bits; larger values only need to read as
 * too large). Bits above 64 are dropped and more than 10 bytes is an error, as in protobufjs.
 */
function readUint64(r: Reader): number {
  const buf = r.buf;
  let pos = r.pos;
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= r.len) throw new RangeError('index out of range');
    const byte = buf[pos++];
    value += (i === 9 ? byte & 0x01 : byte & 0x7f) * scale;
    if (byte < 0x80) {
      r.pos = pos;
      return value;
    }
    scale *= 0x80;
  }
  throw new Error('invalid varint encoding');
}

function resetContact(): WireContact {
  const c = scratch.contact;
  c.endpoint = c.callsign = '';
  return c;
}

function resetGroup(): WireGroup {
  const g = scratch.group;
  g.name = g.role = '';
  return g;
}

function resetPrecisionLocation(): WirePrecisionLocation {
  const p = scratch.precisionLocation;
  p.geopointsrc = p.altsrc = '';
  return p;
}

function resetStatus(): WireStatus {
  scratch.status.battery = 0;
  return scratch.status;
}

function resetTakv(): WireTakv {
  const t = scratch.takv;
  t.device = t.platform = t.os = t.version = '';
  return t;
}

function resetTrack(): WireTrack {
  const t = scratch.track;
  t.speed = t.course = 0;
  return t;
}

function resetControl(): Required<WireTakControl> {
  const c = scratch.control;
  c.minProtoVersion = 0;
  c.maxProtoVersion = 0;
  c.contactUid = '';
  return c;
}

function resetDetail(): WireDetail {
  const d = scratch.detail;
  d.xmlDetail = '';
  d.contact = d.group = d.precisionLocation = d.status = d.takv = d.track = null;
  return d;
}

function resetEvent(): WireCotEvent {
  const e = scratch.event;
  e.type = e.access = e.qos = e.opex = e.uid = e.how = '';
  e.sendTime = e.startTime = e.staleTime = 0;
  e.lat = e.lon = e.hae = e.ce = e.le = 0;
  e.detail = null;
  return e;
}
