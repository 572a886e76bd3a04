// Builds the own-position report (PLI) as ATAK sends it: point with ce/le from the GPS
// error estimates, contact, __group, takv, status battery, track, precisionlocation and
// the legacy <uid Droid>, optionally health remarks.
import type { CotEvent } from '../codec/event.js';
import { UNKNOWN_VALUE, builtPoint, builtTrack } from '../codec/event.js';
import { xmlElement } from '../codec/xml/encode.js';
import type { GnssFix } from '../../hal/contract.js';
import type { PliIdentity } from './identity.js';

/** A fix with a position: what a PLI can be built from. */
export type PositionFix = GnssFix & { lat: number; lon: number };

export function hasPosition(fix: GnssFix): fix is PositionFix {
  return fix.mode >= 2 && fix.lat !== undefined && fix.lon !== undefined;
}

/** Speed assumed for the growth of ce with age when the last fix had none (a walk). */
const ASSUMED_DRIFT_SPEED = 1.4;

export interface PliInput {
  fix: PositionFix;
  identity: PliIdentity;
  /** CoT time of the report (system or GPS time, see CotClock), epoch ms. */
  time: number;
  staleMs: number;
  /** How old the fix is, ms: > 0 when re-sending the last known position without a new fix. */
  ageMs?: number;
  /** Battery percent, when the machine has one. */
  battery?: number;
  /** Free text for <remarks> (health telemetry). */
  remarks?: string;
}

/** gpsd status → precisionlocation@geopointsrc (the names NMEA-fed ATAK uses). */
function positionSource(fix: GnssFix): string {
  switch (fix.status) {
    case 2:
      return 'DGPS';
    case 3:
    case 4:
      return 'RTK';
    default:
      return 'GPS';
  }
}

/** ce: the horizontal error, grown by how far the box may have moved since the fix. */
function circularError(fix: GnssFix, ageMs: number): number {
  if (fix.eph === undefined) return UNKNOWN_VALUE;
  const drift = ageMs > 0 ? (ageMs / 1000) * Math.max(fix.speed ?? 0, ASSUMED_DRIFT_SPEED) : 0;
  return Math.min(UNKNOWN_VALUE, fix.eph + drift);
}

export function buildPliEvent(input: PliInput): CotEvent {
  const { fix, identity, time } = input;
  const ageMs = input.ageMs ?? 0;
  const event: CotEvent = {
    uid: identity.uid,
    type: identity.type,
    how: 'm-g',
    time,
    start: time,
    stale: time + input.staleMs,
    // At the receiver's resolution: converting NMEA minutes and knots leaves binary noise.
    point: builtPoint({
      lat: fix.lat,
      lon: fix.lon,
      hae: fix.altHAE ?? UNKNOWN_VALUE,
      ce: circularError(fix, ageMs),
      le: fix.epv === undefined || fix.altHAE === undefined ? UNKNOWN_VALUE : fix.epv,
    }, { degrees: fix.latLonDecimals, metres: fix.altitudeDecimals }),
    contact: identity.endpoint === undefined ? { callsign: identity.callsign } : { callsign: identity.callsign, endpoint: identity.endpoint },
    group: { name: identity.team, role: identity.role },
    takv: identity.takv,
    precisionLocation: { geopointsrc: positionSource(fix), altsrc: fix.altHAE === undefined ? '???' : positionSource(fix) },
  };
  if (fix.speed !== undefined || fix.track !== undefined) event.track = builtTrack(fix.speed ?? 0, fix.track ?? 0);
  if (input.battery !== undefined) event.status = { battery: input.battery };
  let detail = xmlElement('uid', { Droid: identity.callsign });
  if (input.remarks) detail += xmlElement('remarks', {}, input.remarks);
  event.xmlDetail = detail;
  return event;
}
