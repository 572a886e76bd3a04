/**
 * CoT → TAKPacket (ATAK_PLUGIN, port 72) for the mesh, and the ToRadio frame that sends it.
 * Carried: PLI (`a-…` events with a position) and GeoChat (`b-t-f`, text from remarks).
 * The Data payload must fit in 233 bytes: a chat line that does not fit is shortened, a PLI
 * whose callsign and uid do not fit is refused (the caller counts it and logs once).
 */
import type { CotEvent } from '../../../daemon/codec/event.js';
import { UNKNOWN_THRESHOLD } from '../../../daemon/codec/event.js';
import { meshtasticFrame } from '../../framers/meshtastic.js';
import { TakPacketType, ToRadioType, encodePlain } from './schema.js';
import { BROADCAST, PORT, roleValue, teamValue } from './tables.js';

/** Data.payload limit (DATA_PAYLOAD_LEN). */
export const MAX_PAYLOAD = 233;

export type OutboundKind = 'pli' | 'chat';
export type OutboundRefusal = 'unsupported-type' | 'too-large' | 'no-text';

export interface OutboundPayload {
  kind: OutboundKind;
  /** Who it is about: the PLI's uid (a newer PLI of the same uid replaces a queued one). */
  uid: string;
  payload: Uint8Array;
}

const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&apos;': "'" };
const unescape = (text: string): string => text.replace(/&(lt|gt|amp|quot|apos);/g, (e) => ENTITIES[e]);

/** The text of `<remarks …>text</remarks>` and a few attributes of `<__chat …>` in xmlDetail. */
function chatParts(xmlDetail: string): { text?: string; chatroom?: string; senderCallsign?: string } {
  const remarks = /<remarks\b[^>]*>([\s\S]*?)<\/remarks>/.exec(xmlDetail);
  const chat = /<__chat\b([^>]*)>/.exec(xmlDetail)?.[1] ?? '';
  const attribute = (name: string): string | undefined => {
    const match = new RegExp(`\\b${name}="([^"]*)"`).exec(chat);
    return match === null ? undefined : unescape(match[1]);
  };
  return { text: remarks === null ? undefined : unescape(remarks[1]), chatroom: attribute('chatroom'), senderCallsign: attribute('senderCallsign') };
}

/** Sender uid of a GeoChat: `GeoChat.<sender>.<room>.<id>`. */
function chatSender(event: CotEvent): string {
  const parts = event.uid.split('.');
  return parts.length >= 4 ? parts[1] : event.uid;
}

function encodePli(event: CotEvent): Uint8Array {
  const hae = event.point.hae >= UNKNOWN_THRESHOLD ? 0 : Math.round(event.point.hae);
  const pli: Record<string, number> = {
    latitudeI: Math.round(event.point.lat * 1e7),
    longitudeI: Math.round(event.point.lon * 1e7),
    altitude: hae,
  };
  if (event.track !== undefined) {
    pli.speed = Math.max(0, Math.round(event.track.speed));
    pli.course = Math.round(((event.track.course % 360) + 360) % 360);
  }
  const packet: Record<string, unknown> = {
    contact: { callsign: event.contact?.callsign ?? event.uid, deviceCallsign: event.uid },
    group: { role: roleValue(event.group?.role), team: teamValue(event.group?.name) },
    pli,
  };
  if (event.status !== undefined) packet.status = { battery: Math.min(100, event.status.battery) };
  return encodePlain(TakPacketType, packet);
}

function encodeChat(event: CotEvent, text: string): Uint8Array {
  const parts = chatParts(event.xmlDetail ?? '');
  const room = parts.chatroom ?? 'All Chat Rooms';
  const sender = chatSender(event);
  const build = (message: string): Uint8Array =>
    encodePlain(TakPacketType, {
      contact: { callsign: parts.senderCallsign ?? sender, deviceCallsign: sender },
      chat: { message, to: room },
    });
  const whole = build(text);
  if (whole.length <= MAX_PAYLOAD) return whole;
  // Shorten the line to the bytes left after the envelope and an ellipsis (3 bytes in UTF-8),
  // cutting at a character boundary.
  // Slack: the message's key and length bytes, and the chat length growing to 2 bytes.
  const bytesLeft = MAX_PAYLOAD - build('').length - 3 - 4;
  let shortened = '';
  let used = 0;
  for (const character of text) {
    const size = Buffer.byteLength(character);
    if (used + size > bytesLeft) break;
    shortened += character;
    used += size;
  }
  let bytes = build(`${shortened}…`);
  while (bytes.length > MAX_PAYLOAD && shortened.length > 0) {
    shortened = shortened.slice(0, -1);
    bytes = build(`${shortened}…`);
  }
  return bytes;
}

export function cotToTakPayload(event: CotEvent): OutboundPayload | OutboundRefusal {
  if (event.type === 'b-t-f' || event.type.startsWith('b-t-f-')) {
    const text = chatParts(event.xmlDetail ?? '').text;
    if (text === undefined || text === '') return 'no-text';
    const payload = encodeChat(event, text);
    return payload.length > MAX_PAYLOAD ? 'too-large' : { kind: 'chat', uid: event.uid, payload };
  }
  if (!event.type.startsWith('a-')) return 'unsupported-type';
  const payload = encodePli(event);
  return payload.length > MAX_PAYLOAD ? 'too-large' : { kind: 'pli', uid: event.uid, payload };
}

export interface SendOptions {
  id: number;
  hopLimit: number;
  channel: number;
  to?: number;
}

/** One ToRadio frame carrying `payload` on ATAK_PLUGIN to the mesh (broadcast unless `to`). */
export function takPacketFrame(payload: Uint8Array, options: SendOptions): Buffer {
  const packet: Record<string, unknown> = {
    to: options.to ?? BROADCAST,
    decoded: { portnum: PORT.ATAK_PLUGIN, payload },
    id: options.id,
    hopLimit: options.hopLimit,
  };
  if (options.channel !== 0) packet.channel = options.channel;
  return meshtasticFrame(encodePlain(ToRadioType, { packet }));
}
