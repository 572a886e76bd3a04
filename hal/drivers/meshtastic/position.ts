// Meshtastic Position → MeshPosition: units (km/h, 1e-5 °, precision bits) per spec §1.5.
import { UNKNOWN_VALUE } from '../../../daemon/codec/event.js';
import type { MeshPosition } from './messages.js';
import type { WirePosition } from './wire.js';

const METRES_PER_DEGREE = 111_320;
const LOC_MANUAL = 1;

/** Half the side of the precision cell left by `bits` of the int32 coordinate, metres. */
export function precisionCellCe(bits: number): number {
  return (2 ** (32 - bits) * 1e-7 * METRES_PER_DEGREE) / 2;
}

export function toMeshPosition(position: WirePosition): MeshPosition | undefined {
  const { latitudeI, longitudeI } = position;
  if (latitudeI === undefined || longitudeI === undefined || (latitudeI === 0 && longitudeI === 0)) return undefined;
  const lat = latitudeI * 1e-7;
  const lon = longitudeI * 1e-7;
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return undefined;
  const result: MeshPosition = { lat, lon };
  if (position.altitudeHae !== undefined) result.altitude = position.altitudeHae;
  else if (position.altitude !== undefined) {
    result.altitude = position.altitude;
    result.altitudeIsMsl = true;
  }
  if (position.groundSpeed !== undefined) result.speed = position.groundSpeed / 3.6;
  // The firmware fills ground_track in 1e-5 degrees (the proto comment says 1/100).
  if (position.groundTrack !== undefined && position.groundTrack / 1e5 < 360) result.course = position.groundTrack / 1e5;
  const bits = position.precisionBits ?? 0;
  if (bits > 0 && bits < 32) result.ce = precisionCellCe(bits);
  else if (position.gpsAccuracy !== undefined && position.HDOP !== undefined) result.ce = (position.gpsAccuracy / 1000) * (position.HDOP / 100);
  else result.ce = UNKNOWN_VALUE;
  if (position.locationSource === LOC_MANUAL) result.manual = true;
  return result;
}
