/**
 * The control events takd exchanges with TAK servers and clients (tak-protocol.md §4.1, §9.3):
 * ping/pong and the t-x-takp-v / -q / -r protocol negotiation. They are plain CoT XML events
 * with a dummy point; they are consumed by the transports and never delivered as data.
 */
import { UNKNOWN_VALUE, type CotEvent } from '../codec/event.js';

export const PING = 't-x-c-t';
export const PONG = 't-x-c-t-r';
export const PROTOCOL_ADVERTISE = 't-x-takp-v';
export const PROTOCOL_REQUEST = 't-x-takp-q';
export const PROTOCOL_RESPONSE = 't-x-takp-r';

const CONTROL_TYPES = new Set([PING, PONG, PROTOCOL_ADVERTISE, PROTOCOL_REQUEST, PROTOCOL_RESPONSE]);

export function isControlEvent(event: CotEvent): boolean {
  return CONTROL_TYPES.has(event.type);
}

function controlEvent(uid: string, type: string, staleAfterMs: number, xmlDetail: string, now: number): CotEvent {
  return {
    uid,
    type,
    how: 'm-g',
    time: now,
    start: now,
    stale: now + staleAfterMs,
    point: { lat: 0, lon: 0, hae: 0, ce: UNKNOWN_VALUE, le: UNKNOWN_VALUE },
    xmlDetail,
  };
}

export function pingEvent(ownUid: string, now = Date.now()): CotEvent {
  return controlEvent(`${ownUid}-ping`, PING, 10_000, '', now);
}

export function pongEvent(now = Date.now()): CotEvent {
  return controlEvent('takPong', PONG, 10_000, '', now);
}

/** Server → client: the TAK protocol versions this side can use on the stream. */
export function protocolAdvertiseEvent(uid: string, versions: readonly number[], now = Date.now()): CotEvent {
  const support = versions.map((v) => `<TakProtocolSupport version="${Math.trunc(v)}"/>`).join('');
  return controlEvent(uid, PROTOCOL_ADVERTISE, 60_000, `<TakControl>${support}</TakControl>`, now);
}

/** Client → server: switch to `version`; reuses the advertise event's uid. */
export function protocolRequestEvent(advertiseUid: string, version: number, now = Date.now()): CotEvent {
  return controlEvent(advertiseUid, PROTOCOL_REQUEST, 60_000, `<TakControl><TakRequest version="${Math.trunc(version)}"/></TakControl>`, now);
}

export function protocolResponseEvent(uid: string, accepted: boolean, now = Date.now()): CotEvent {
  return controlEvent(uid, PROTOCOL_RESPONSE, 60_000, `<TakControl><TakResponse status="${accepted}"/></TakControl>`, now);
}

function attributeValues(xml: string, element: string, attribute: string): string[] {
  const values: string[] = [];
  const elementPattern = new RegExp(`<${element}\\b([^>]*)>`, 'g');
  const attributePattern = new RegExp(`\\b${attribute}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`);
  for (const match of xml.matchAll(elementPattern)) {
    const found = attributePattern.exec(match[1] ?? '');
    if (found) values.push(found[1] ?? found[2] ?? '');
  }
  return values;
}

/** Versions listed in a t-x-takp-v event. */
export function advertisedVersions(event: CotEvent): number[] {
  return attributeValues(event.xmlDetail ?? '', 'TakProtocolSupport', 'version')
    .filter((v) => /^\d+$/.test(v))
    .map(Number);
}

/** The version asked for in a t-x-takp-q event, if well-formed. */
export function requestedVersion(event: CotEvent): number | undefined {
  const [version] = attributeValues(event.xmlDetail ?? '', 'TakRequest', 'version');
  return version !== undefined && /^\d+$/.test(version) ? Number(version) : undefined;
}

/** The status of a t-x-takp-r event: true accepted, false refused, undefined malformed. */
export function responseStatus(event: CotEvent): boolean | undefined {
  const [status] = attributeValues(event.xmlDetail ?? '', 'TakResponse', 'status');
  if (status === undefined) return undefined;
  return status.toLowerCase() === 'true';
}
