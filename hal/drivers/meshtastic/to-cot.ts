/**
 * Meshtastic messages → CoT, as TAK_Meshtastic_Gateway maps them (spec §1.11), with the
 * spec's recommendations: PLI type `a-f-G-U-C`, `how` m-g (h-e for manually set positions),
 * team/role in `__group`, battery in `status`, `takv platform="Meshtastic"`, `track` from
 * the position's speed/course; stale configurable (default 900 s = 3 × a 5-minute beacon).
 * Plain nodes get uid `MESHTASTIC-!xxxxxxxx` unless their ATAK plugin told us its TAK uid;
 * text messages and TAK GeoChat become GeoChat events (`b-t-f`) in All Chat Rooms.
 */
import type { CotEvent } from '../../../daemon/codec/event.js';
import { UNKNOWN_VALUE, builtPoint, builtTrack, xmlElement } from '../../../daemon/codec/event.js';
import type { CotContext } from '../../contract.js';
import type { MeshNode, MeshPosition, MeshtasticMessage } from './messages.js';
import { nodeId } from './tables.js';

export interface MeshtasticCotOptions {
  /** Seconds until a node's PLI is stale. Default 900. */
  staleSeconds?: number;
  /** CoT type for nodes. Default `a-f-G-U-C`. */
  type?: string;
}

export const ALL_CHAT_ROOMS = 'All Chat Rooms';
const CHAT_STALE_MS = 24 * 3600 * 1000;

function nodeUid(node: MeshNode): string {
  return node.takUid ?? `MESHTASTIC-${node.id}`;
}

function nodeCallsign(node: MeshNode): string {
  return node.takCallsign ?? node.longName ?? node.shortName ?? node.id;
}

function pli(uid: string, callsign: string, position: MeshPosition, context: CotContext, staleMs: number, type: string): CotEvent {
  const event: CotEvent = {
    uid,
    type,
    how: position.manual ? 'h-e' : 'm-g',
    time: context.now,
    start: context.now,
    stale: context.now + staleMs,
    point: builtPoint({ lat: position.lat, lon: position.lon, hae: position.altitude ?? UNKNOWN_VALUE, ce: position.ce ?? UNKNOWN_VALUE, le: UNKNOWN_VALUE }),
    contact: { callsign },
    takv: { device: 'Meshtastic', platform: 'Meshtastic', os: '', version: '' },
  };
  if (position.speed !== undefined && position.course !== undefined) event.track = builtTrack(position.speed, position.course);
  if (position.altitudeIsMsl) event.xmlDetail = xmlElement('remarks', {}, 'altitude is MSL (node sent no HAE)');
  return event;
}

/** A GeoChat event for a chat line from `senderUid`, placed at the sender's last known position. */
function geoChat(senderUid: string, senderCallsign: string, text: string, messageId: string, position: MeshPosition | undefined, context: CotContext): CotEvent {
  const chat = xmlElement('__chat', {
    parent: 'RootContactGroup', groupOwner: 'false', messageId, chatroom: ALL_CHAT_ROOMS, id: ALL_CHAT_ROOMS, senderCallsign,
  }).replace(/\/>$/, `>${xmlElement('chatgrp', { uid0: senderUid, uid1: ALL_CHAT_ROOMS, id: ALL_CHAT_ROOMS })}</__chat>`);
  const link = xmlElement('link', { uid: senderUid, type: 'a-f-G-U-C', relation: 'p-p' });
  const remarks = xmlElement('remarks', { source: `BAO.F.ATAK.${senderUid}`, to: ALL_CHAT_ROOMS, time: new Date(context.now).toISOString() }, text);
  return {
    uid: `GeoChat.${senderUid}.${ALL_CHAT_ROOMS}.${messageId}`,
    type: 'b-t-f',
    how: 'h-g-i-g-o',
    time: context.now,
    start: context.now,
    stale: context.now + CHAT_STALE_MS,
    point: builtPoint({ lat: position?.lat ?? 0, lon: position?.lon ?? 0, hae: UNKNOWN_VALUE, ce: UNKNOWN_VALUE, le: UNKNOWN_VALUE }),
    xmlDetail: chat + link + remarks,
  };
}

export function createMeshtasticToCot(options: MeshtasticCotOptions = {}): (message: MeshtasticMessage, context: CotContext) => CotEvent | undefined {
  const staleMs = (options.staleSeconds ?? 900) * 1000;
  const type = options.type ?? 'a-f-G-U-C';
  return (message, context) => {
    switch (message.kind) {
      case 'position':
      case 'nodeinfo': {
        const position = message.kind === 'position' ? message.position : message.node.position;
        if (position === undefined) return undefined;
        const event = pli(nodeUid(message.node), nodeCallsign(message.node), position, context, staleMs, type);
        if (message.node.battery !== undefined) event.status = { battery: message.node.battery };
        return event;
      }
      case 'tak-pli': {
        const event = pli(message.uid, message.callsign, message.position, context, staleMs, type);
        event.group = { name: message.team, role: message.role };
        if (message.battery !== undefined) event.status = { battery: message.battery };
        return event;
      }
      case 'tak-chat':
        return geoChat(message.uid, message.callsign, message.text, `${nodeId(message.from)}-${message.packetId}`, message.node.position, context);
      case 'text':
        return geoChat(nodeUid(message.node), nodeCallsign(message.node), message.text, `${nodeId(message.from)}-${message.packetId}`, message.node.position, context);
      default:
        return undefined;
    }
  };
}
