/**
 * Priority lanes: what an event is, as far as a slow or expensive link cares.
 *
 * Decisions (tak-protocol.md §8.3, §8.4, §9):
 * - emergency: `b-a-o-*` (911, cancel, in contact, …) and `b-a-g` (geofence breach).
 * - chat: `b-t-f*` (GeoChat and its receipts).
 * - tasking: `t-*` other than link control, `b-m-*` (routes, waypoints, SPI), `u-*`
 *   (drawings), every other `b-*`/`y-*`/`c-*`, and atoms that are not position reports
 *   (markers a person placed: `how` is `h-*` and there is no self-report detail).
 * - pli: atoms (`a-*`) reported by a machine (`how` = `m-*`: GPS, AIS, radio, fused…),
 *   and self-reports placed by hand (`h-e` with `takv` or a contact `endpoint`, as ATAK
 *   sends when its user sets their own position). Only the newest per uid matters, so
 *   these are coalesced and never stored on disk.
 * - control: ping/pong and protocol negotiation (`t-x-c-t*`, `t-x-takp-*`): link-local,
 *   never relayed.
 */
import type { CotEvent } from '../codec/event.js';

export const LANES = ['emergency', 'chat', 'tasking', 'pli'] as const;
export type Lane = (typeof LANES)[number];
export type LaneOrControl = Lane | 'control';

/** Lower is more urgent; also the lane's index in LANES. */
export const LANE_PRIORITY: Record<Lane, number> = { emergency: 0, chat: 1, tasking: 2, pli: 3 };

/** Type prefixes checked in order; the first match decides. */
const TYPE_TABLE: readonly (readonly [prefix: string, lane: LaneOrControl])[] = [
  ['t-x-c-t', 'control'],
  ['t-x-takp-', 'control'],
  ['b-a-o-', 'emergency'],
  ['b-a-g', 'emergency'],
  ['b-t-f', 'chat'],
];

function isSelfReport(event: CotEvent): boolean {
  return event.takv !== undefined || event.contact?.endpoint !== undefined;
}

function atomLane(event: CotEvent): Lane {
  if (event.how.startsWith('m-')) return 'pli';
  if (event.how === 'h-e' && isSelfReport(event)) return 'pli';
  return 'tasking';
}

/** First letters of the prefixes above: most types (atoms) start with none of them. */
const TABLE_FIRST_LETTERS = new Set(TYPE_TABLE.map(([prefix]) => prefix.charCodeAt(0)));

export function classifyLane(event: CotEvent): LaneOrControl {
  const type = event.type;
  if (TABLE_FIRST_LETTERS.has(type.charCodeAt(0))) return typeTableLane(type) ?? 'tasking';
  if (type.startsWith('a-')) return atomLane(event);
  return 'tasking';
}

function typeTableLane(type: string): LaneOrControl | undefined {
  for (const [prefix, lane] of TYPE_TABLE) {
    if (type.startsWith(prefix) && (type.length === prefix.length || prefix.endsWith('-') || type[prefix.length] === '-')) return lane;
  }
  return undefined;
}
