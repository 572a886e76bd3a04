/**
 * AIS message → CoT, the way TAK users know AIS targets from aiscot, with the spec's
 * recommendations: uid `AIS.<mmsi>` (prefix configurable), a surface track type from the
 * ship-type category, callsign = ship name (else the MMSI), course over ground and speed in
 * `track`, remarks with MMSI, call sign, destination and navigation status.
 *
 * Only messages with a position make an event (1–3, 9, 18, 19, 21, 27); static reports
 * (5, 24) are joined in by the decoder's vessel cache. Own-ship (VDO) reports are not
 * published as targets unless asked: they are the box's own position (see ownShipFix).
 */
import type { CotEvent } from '../../../daemon/codec/event.js';
import { UNKNOWN_VALUE, builtPoint, builtTrack, xmlElement } from '../../../daemon/codec/event.js';
import type { CotContext, GnssFix } from '../../contract.js';
import type { AisMessage } from './decoder.js';
import { mmsiClass, navigationStatusText, shipTypeFunction, shipTypeText } from './tables.js';

export interface AisCotOptions {
  /** uid = prefix + MMSI. Default `AIS.` (aiscot uses `MMSI-`). */
  uidPrefix?: string;
  /** CoT type when the ship type says nothing more. Default `a-u-S-X-M`. */
  defaultType?: string;
  /** Seconds until a target goes stale. Default 3600. */
  staleSeconds?: number;
  /** Stale for long-range (type 27, satellite) reports, which are sparse. Default 21600. */
  longRangeStaleSeconds?: number;
  /** Publish VDO (own vessel) reports as a target too. Default false. */
  publishOwnShip?: boolean;
}

const KNOTS_TO_MS = 0.514444;
const POSITION_TYPES = new Set([1, 2, 3, 9, 18, 19, 21, 27]);

/** ce from the position accuracy flag: < 10 m with DGNSS, else ~30 m; 1/10′ reports ~200 m. */
function circularError(message: AisMessage): number {
  if (message.report.type === 27) return 200;
  return message.report.accuracy ? 10 : 30;
}

function cotType(message: AisMessage, defaultType: string): string {
  const { report, vessel } = message;
  const affiliation = defaultType.split('-')[1] ?? 'u';
  if (report.type === 9 || mmsiClass(report.mmsi) === 'sar-aircraft') return `a-${affiliation}-A`;
  if (report.type === 21 || mmsiClass(report.mmsi) === 'aid-to-navigation') return `a-n-S-X-M`;
  const shiptype = report.shiptype ?? vessel?.shiptype;
  const fn = shiptype === undefined ? undefined : shipTypeFunction(shiptype);
  return fn === undefined ? defaultType : `a-${affiliation}-${fn}`;
}

function remarks(message: AisMessage): string {
  const { report, vessel } = message;
  const parts = [`MMSI: ${String(report.mmsi).padStart(9, '0')}`];
  const callsign = report.callsign ?? vessel?.callsign;
  if (callsign) parts.push(`Call sign: ${callsign}`);
  const shiptype = report.shiptype ?? vessel?.shiptype;
  const typeText = shiptype === undefined ? undefined : shipTypeText(shiptype);
  if (typeText) parts.push(`Type: ${typeText}`);
  if (vessel?.destination) parts.push(`Destination: ${vessel.destination}`);
  if (report.status !== undefined) parts.push(`Status: ${navigationStatusText(report.status)}`);
  if (mmsiClass(report.mmsi) === 'distress') parts.push('DISTRESS beacon (SART/MOB/EPIRB)');
  if (report.type === 21 && report.virtual_aid) parts.push('virtual aid to navigation');
  return parts.join('; ');
}

/** Course and heading fields can carry 360–510 (invalid but not the "not available" value). */
function validBearing(degrees: number | undefined): number | undefined {
  return degrees !== undefined && degrees < 360 ? degrees : undefined;
}

export function createAisToCot(options: AisCotOptions = {}): (message: AisMessage, context: CotContext) => CotEvent | undefined {
  const uidPrefix = options.uidPrefix ?? 'AIS.';
  const defaultType = options.defaultType ?? 'a-u-S-X-M';
  const staleMs = (options.staleSeconds ?? 3600) * 1000;
  const longRangeStaleMs = (options.longRangeStaleSeconds ?? 21600) * 1000;
  const publishOwn = options.publishOwnShip ?? false;

  return (message, context) => {
    const { report } = message;
    if (!POSITION_TYPES.has(report.type) || report.lat === undefined || report.lon === undefined) return undefined;
    if (message.own && !publishOwn) return undefined;
    const name = report.type === 21 ? report.name : (report.shipname ?? message.vessel?.shipname);
    const event: CotEvent = {
      uid: `${uidPrefix}${report.mmsi}`,
      type: cotType(message, defaultType),
      how: 'm-g',
      time: context.now,
      start: context.now,
      stale: context.now + (report.type === 27 ? longRangeStaleMs : staleMs),
      point: builtPoint({
        lat: report.lat,
        lon: report.lon,
        hae: report.type === 9 && report.alt !== undefined ? report.alt : UNKNOWN_VALUE,
        ce: circularError(message),
        le: UNKNOWN_VALUE,
      }),
      contact: { callsign: name || String(report.mmsi) },
      xmlDetail: xmlElement('remarks', {}, remarks(message)),
    };
    const course = validBearing(report.course) ?? validBearing(report.heading);
    // 102.2 kn means "102.2 or more": not a speed to draw a vector from.
    if (report.speed !== undefined && course !== undefined && report.speed < 102.2) {
      event.track = builtTrack(report.speed * KNOTS_TO_MS, course);
    }
    return event;
  };
}

/** An own-ship (VDO) position report as a GNSS fix, so an AIS transponder can be the box's position source. */
export function ownShipFix(message: AisMessage, now: number): GnssFix | undefined {
  const { report } = message;
  if (!message.own || report.lat === undefined || report.lon === undefined) return undefined;
  const fix: GnssFix = { time: now, mode: 2, lat: report.lat, lon: report.lon, sentences: [`VDO type ${report.type}`] };
  if (report.speed !== undefined && report.speed < 102.2) fix.speed = report.speed * KNOTS_TO_MS;
  const track = validBearing(report.course);
  if (track !== undefined) fix.track = track;
  fix.eph = report.accuracy ? 10 : 30;
  return fix;
}
