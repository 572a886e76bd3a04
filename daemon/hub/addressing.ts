/**
 * Who an event from a hub client is for (tak-server-api.md §1): everyone else, a chat room,
 * the `<marti><dest>` list, or nobody (control traffic). Pure: reads the event only.
 */
import type { CotEvent } from '../codec/event.js';
import { martiRecipients } from '../routing/detail-scan.js';
import { classifyLane } from '../routing/lane.js';

/** The team colours ATAK offers (`__group@name`): a chat room with one of these ids is that team's room. */
export const TEAM_NAMES: ReadonlySet<string> = new Set(['White', 'Yellow', 'Orange', 'Magenta', 'Red', 'Maroon', 'Purple', 'Dark Blue', 'Blue', 'Cyan', 'Teal', 'Green', 'Dark Green', 'Brown']);

export const ALL_CHAT_ROOMS = 'All Chat Rooms';

export type Addressing =
  /** Answered or dropped by the session; never relayed. */
  | { kind: 'control' }
  /** Every other client. */
  | { kind: 'broadcast' }
  /** A team's chat room: clients whose `__group@name` is `team`. */
  | { kind: 'team'; team: string }
  /** Named clients, by uid and/or callsign (a direct or group chat, or `<marti><dest>`). */
  | { kind: 'addressed'; uids: string[]; callsigns: string[] };

const CHAT_TAG = /<(__chat|__chatreceipt)\b([^>]*)>/;
const CHATGRP_TAG = /<chatgrp\b([^>]*)>/;
const ATTRIBUTE = /([A-Za-z_:][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/g;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescape(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(amp|lt|gt|quot|apos);/g, (_whole, name: string) => ENTITIES[name] ?? '');
}

function attributes(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const match of text.matchAll(ATTRIBUTE)) out.set(match[1], unescape(match[3] ?? match[4] ?? ''));
  return out;
}

/** Chat room id and the chatgrp participants (uid0 is the sender, uid1..N the others). */
export function chatRoom(xmlDetail: string | undefined): { id: string; participants: string[] } | undefined {
  if (!xmlDetail || !xmlDetail.includes('<__chat')) return undefined;
  const chat = CHAT_TAG.exec(xmlDetail);
  if (chat === null) return undefined;
  const id = attributes(chat[2]).get('id') ?? '';
  const participants: string[] = [];
  const group = CHATGRP_TAG.exec(xmlDetail.slice(chat.index));
  if (group !== null) {
    for (const [name, value] of attributes(group[1])) {
      if (/^uid[1-9]\d*$/.test(name) && value !== '') participants.push(value);
    }
  }
  return { id, participants };
}

export function addressing(event: CotEvent): Addressing {
  if (classifyLane(event) === 'control') return { kind: 'control' };
  // An explicit destination list wins: ATAK adds one to chats and file shares it sends via a server.
  const dest = martiRecipients(event.xmlDetail);
  if (dest !== undefined) return { kind: 'addressed', uids: dest.uids, callsigns: dest.callsigns };
  if (event.type.startsWith('b-t-f')) {
    const room = chatRoom(event.xmlDetail);
    if (room === undefined || room.id === '' || room.id === ALL_CHAT_ROOMS) return { kind: 'broadcast' };
    if (TEAM_NAMES.has(room.id)) return { kind: 'team', team: room.id };
    const uids = [...new Set([room.id, ...room.participants])];
    return { kind: 'addressed', uids, callsigns: [] };
  }
  return { kind: 'broadcast' };
}

/** A client's own report: a position-type event with a `<contact callsign>` (not a chat, marker or shape). */
export function isSelfReport(event: CotEvent): boolean {
  return event.type.startsWith('a-') && event.contact !== undefined && event.contact.callsign !== '' && classifyLane(event) === 'pli';
}
