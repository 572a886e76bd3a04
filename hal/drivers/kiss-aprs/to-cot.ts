/**
 * APRS packet → CoT as aprscot does it, so existing aprscot users see the same tracks:
 * uid `APRS.<callsign-ssid>`, type `a-f-G-I-U-T-r`, stale 3600 s, contact callsign
 * `<callsign> (APRS)`, comment in remarks. Following the spec's recommendations we also fill
 * `track` from course/speed, `hae` from altitude, `ce` from position ambiguity, and key
 * objects and items by their name (the sender goes in remarks). Killed objects/items are
 * sent with stale = now, which deletes them on TAK clients.
 */
import type { CotEvent } from '../../../daemon/codec/event.js';
import { UNKNOWN_VALUE, builtPoint, builtTrack, xmlElement } from '../../../daemon/codec/event.js';
import type { CotContext } from '../../contract.js';
import type { AprsPacket } from './packet.js';

export interface AprsCotOptions {
  /** Default `APRS.`. */
  uidPrefix?: string;
  /** Default `a-f-G-I-U-T-r` (aprscot's). */
  type?: string;
  /** Default 3600. */
  staleSeconds?: number;
}

/** Half the ambiguity box (0.1′, 1′, 10′, 1° of latitude), metres. */
const AMBIGUITY_CE = [UNKNOWN_VALUE, 93, 926, 9260, 55560];
/** What an exact APRS position (hundredths of a minute, ~18 m) is good for. */
const EXACT_CE = 20;

function remarks(packet: AprsPacket): string {
  const parts: string[] = [];
  if (packet.comment) parts.push(packet.comment);
  if (packet.kind === 'object' || packet.kind === 'item') parts.push(`${packet.kind} from ${packet.from}`);
  if (packet.mtype === 'Emergency') parts.push('EMERGENCY (Mic-E)');
  if (packet.timestamp) parts.push(`APRS time ${packet.timestamp}`);
  return parts.join('; ');
}

export function createAprsToCot(options: AprsCotOptions = {}): (packet: AprsPacket, context: CotContext) => CotEvent | undefined {
  const uidPrefix = options.uidPrefix ?? 'APRS.';
  const type = options.type ?? 'a-f-G-I-U-T-r';
  const staleMs = (options.staleSeconds ?? 3600) * 1000;

  return (packet, context) => {
    const isObject = packet.kind === 'object' || packet.kind === 'item';
    const name = (isObject ? (packet.object_name ?? packet.from) : packet.from).replace(/\s+/g, '');
    const event: CotEvent = {
      uid: `${uidPrefix}${name}`,
      type,
      how: 'm-g',
      time: context.now,
      start: context.now,
      stale: packet.alive === false ? context.now : context.now + staleMs,
      point: builtPoint({
        lat: packet.latitude,
        lon: packet.longitude,
        hae: packet.altitude ?? UNKNOWN_VALUE,
        ce: packet.posambiguity ? AMBIGUITY_CE[packet.posambiguity] : EXACT_CE,
        le: UNKNOWN_VALUE,
      }),
      contact: { callsign: `${isObject ? (packet.object_name ?? name) : packet.from} (APRS)` },
    };
    const text = remarks(packet);
    if (text !== '') event.xmlDetail = xmlElement('remarks', {}, text);
    if (packet.course !== undefined && packet.speed !== undefined) event.track = builtTrack(packet.speed / 3.6, packet.course % 360);
    return event;
  };
}
