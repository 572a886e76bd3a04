/**
 * What the API is given, checked field by field: each mistake is an ApiError naming the
 * field and the reason (answered 400). Markers and chat become CotEvents here.
 */
import { randomUUID } from 'node:crypto';
import { UNKNOWN_VALUE, xmlElement, type CotEvent } from '../codec/event.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

function bad(field: string, reason: string): never {
  throw new ApiError(400, field, reason);
}

export type Body = Record<string, unknown>;

export function objectBody(value: unknown): Body {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) bad('body', 'must be a JSON object');
  return value as Body;
}

function number(body: Body, field: string, min: number, max: number): number | undefined {
  const v = body[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) bad(field, 'must be a number');
  if (v < min || v > max) bad(field, `must be between ${min} and ${max}`);
  return v;
}

/** Fields that are element text, where tabs and line breaks are fine. */
const MULTILINE = new Set(['text', 'remarks']);
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function string(body: Body, field: string, maxLength: number, pattern?: RegExp, patternReason?: string): string | undefined {
  const v = body[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') bad(field, 'must be a string');
  if (v.length === 0) bad(field, 'must not be empty');
  if (v.length > maxLength) bad(field, `must be at most ${maxLength} characters`);
  // XML cannot carry control characters, and a line break in an attribute (a room, a callsign)
  // comes back as a space: the event would change on its way (fuzz finding).
  if ((MULTILINE.has(field) ? /[\x00-\x08\x0b\x0c\x0e-\x1f]/ : /[\x00-\x1f]/).test(v)) bad(field, 'must not contain control characters');
  if (LONE_SURROGATE.test(v)) bad(field, 'is not valid Unicode (a lone surrogate)');
  if (pattern !== undefined && !pattern.test(v)) bad(field, patternReason ?? `must match ${String(pattern)}`);
  return v;
}

function only(body: Body, fields: readonly string[]): void {
  for (const key of Object.keys(body)) if (!fields.includes(key)) bad(key, `is not a known field (known: ${fields.join(', ')})`);
}

/** `stale`: seconds from now (1 s … 30 days) or a UTC time in the future; default `defaultSeconds`. */
function staleMs(body: Body, now: number, defaultSeconds: number): number {
  const v = body.stale;
  if (v === undefined) return now + defaultSeconds * 1000;
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 1 || v > 30 * 86400) bad('stale', 'must be seconds from now, 1 to 2592000, or a UTC time');
    return now + v * 1000;
  }
  if (typeof v === 'string') {
    const ms = Date.parse(v);
    if (Number.isNaN(ms) || !/Z|[+-]\d\d:?\d\d$/.test(v)) bad('stale', 'must be a UTC time like 2026-05-01T12:00:00Z, or seconds from now');
    if (ms <= now) bad('stale', 'is in the past');
    return ms;
  }
  return bad('stale', 'must be seconds from now or a UTC time');
}

const COT_TYPE = /^[a-z](?:-[A-Za-z0-9]+)*$/;
const UID = /^[\w.:@-]{1,128}$/;

/** A 2525 letter SIDC (`SFGPUCI----`) → CoT type (`a-f-G-U-C-I`). */
export function typeFromSidc(sidc: string): string {
  const affiliation = sidc[1]?.toLowerCase() ?? 'u';
  const dimension = sidc[2]?.toUpperCase() ?? 'G';
  const fn = sidc.slice(4, 10).replace(/[-*]/g, '').toUpperCase().split('');
  return ['a', affiliation, dimension, ...fn].join('-');
}

export interface Identity {
  uid: string;
  callsign: string;
}

export const MARKER_FIELDS = ['lat', 'lon', 'hae', 'type', 'sidc', 'callsign', 'remarks', 'stale', 'uid'] as const;

export function markerEvent(value: unknown, now: number): CotEvent {
  const body = objectBody(value);
  only(body, MARKER_FIELDS);
  const lat = number(body, 'lat', -90, 90) ?? bad('lat', 'is missing');
  const lon = number(body, 'lon', -180, 180) ?? bad('lon', 'is missing');
  const hae = number(body, 'hae', -12_000, 100_000);
  const callsign = string(body, 'callsign', 80) ?? bad('callsign', 'is missing');
  const type = string(body, 'type', 64, COT_TYPE, 'must be a CoT type like a-h-G or b-m-p-s-m');
  const sidc = string(body, 'sidc', 15, /^[SsGgWwIiOoEe][PUAFNSHGWMDLJKpuafnshgwmdljk*][PAGSUFXZpagsufxz*][APCDXFpacdxf*][A-Za-z0-9*-]{6}[A-Za-z0-9*-]{0,5}$/, 'must be a MIL-STD-2525 letter SIDC like SHGPUCI----');
  if (type !== undefined && sidc !== undefined) bad('sidc', 'give type or sidc, not both');
  const remarks = string(body, 'remarks', 2000);
  const uid = string(body, 'uid', 128, UID, 'must be 1-128 letters, digits or . _ : @ -') ?? `takd-api-${randomUUID()}`;
  const stale = staleMs(body, now, 3600);
  return {
    uid,
    type: type ?? (sidc !== undefined ? typeFromSidc(sidc) : 'b-m-p-s-m'),
    how: 'h-e',
    time: now,
    start: now,
    stale,
    point: { lat, lon, hae: hae ?? UNKNOWN_VALUE, ce: UNKNOWN_VALUE, le: UNKNOWN_VALUE },
    contact: { callsign },
    xmlDetail: `<archive/>${remarks !== undefined ? xmlElement('remarks', {}, remarks) : ''}`,
  };
}

export const CHAT_FIELDS = ['text', 'room', 'callsign', 'uid', 'from'] as const;

/**
 * GeoChat (tak-protocol.md §9.2) from the box: to a room (`room`, default `All Chat
 * Rooms`) or to one contact (`uid`, or `callsign` looked up among the known tracks).
 */
export function chatEvent(value: unknown, now: number, box: Identity, lookupCallsign: (callsign: string) => string | undefined): CotEvent {
  const body = objectBody(value);
  only(body, CHAT_FIELDS);
  const text = string(body, 'text', 4096) ?? bad('text', 'is missing');
  const room = string(body, 'room', 128);
  const toCallsign = string(body, 'callsign', 80);
  const toUidGiven = string(body, 'uid', 128, UID, 'must be 1-128 letters, digits or . _ : @ -');
  const sender = string(body, 'from', 80) ?? box.callsign;
  if ([room, toCallsign, toUidGiven].filter((v) => v !== undefined).length > 1) bad('room', 'give one of room, callsign or uid');
  let roomId: string;
  let roomName: string;
  let direct: { uid: string; callsign?: string } | undefined;
  if (toCallsign !== undefined) {
    const uid = lookupCallsign(toCallsign) ?? bad('callsign', `no known contact is called '${toCallsign}'`);
    direct = { uid, callsign: toCallsign };
    roomId = uid;
    roomName = toCallsign;
  } else if (toUidGiven !== undefined) {
    direct = { uid: toUidGiven };
    roomId = toUidGiven;
    roomName = toUidGiven;
  } else {
    roomId = room ?? 'All Chat Rooms';
    roomName = roomId;
  }
  const messageId = randomUUID();
  const chat = `${xmlElement('__chat', { parent: 'RootContactGroup', groupOwner: 'false', messageId, chatroom: roomName, id: roomId, senderCallsign: sender }).replace(/\/>$/, '>')}${xmlElement('chatgrp', { uid0: box.uid, uid1: roomId, id: roomId })}</__chat>`;
  const dest = direct === undefined ? '' : `<marti>${xmlElement('dest', direct.callsign !== undefined ? { callsign: direct.callsign } : { uid: direct.uid })}</marti>`;
  return {
    uid: `GeoChat.${box.uid}.${roomId}.${messageId}`,
    type: 'b-t-f',
    how: 'h-g-i-g-o',
    time: now,
    start: now,
    stale: now + 86_400_000,
    point: { lat: 0, lon: 0, hae: UNKNOWN_VALUE, ce: UNKNOWN_VALUE, le: UNKNOWN_VALUE },
    xmlDetail: `${chat}${xmlElement('link', { uid: box.uid, type: 'a-f-G-U-C', relation: 'p-p' })}${xmlElement('remarks', { source: `BAO.F.ATAK.${box.uid}`, to: roomId, time: new Date(now).toISOString() }, text)}${dest}`,
  };
}

export function parseBbox(value: string): { west: number; south: number; east: number; north: number } {
  const parts = value.split(',').map((p) => Number(p.trim()));
  if (parts.length !== 4 || parts.some((p) => !Number.isFinite(p))) bad('bbox', 'must be west,south,east,north in degrees');
  const [west, south, east, north] = parts as [number, number, number, number];
  if (south < -90 || north > 90 || south > north) bad('bbox', 'south and north must be within -90..90, south ≤ north');
  if (west < -180 || east > 180 || west > 180 || east < -180) bad('bbox', 'west and east must be within -180..180');
  return { west, south, east, north };
}
