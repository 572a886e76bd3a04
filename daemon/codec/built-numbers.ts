// The numbers of events takd builds itself (own PLI, AIS/APRS/Meshtastic targets), cut to the
// resolution their sources have. Converting NMEA minutes, knots or 1e-7° integers to doubles
// leaves binary noise (59.915248999999996, 1.3998033333333335) that the encoder would print
// in full, in every event and over radio links where each byte costs airtime. Relayed events
// never pass through here: the codec keeps their sender's text.
import type { CotPoint, CotTrack } from './event.js';

/**
 * Decimal places by kind of number, unless the source says more: degrees 7 (NMEA
 * `ddmm.mmmmm` ≈ 1.7e-7°, AIS 1/10000′, Meshtastic 1e-7°), speed (m/s) and course (°) 2,
 * heights and errors (hae, ce, le; metres) 1.
 */
export const BUILT_DECIMALS = { degrees: 7, speed: 2, course: 2, metres: 1 } as const;

/** What is at or above this is CoT's "unknown" (9999999) and is kept as it is. */
const UNKNOWN_FROM = 999999;

/**
 * `value` rounded to `decimals` places. The result is the double nearest to a decimal with at
 * most that many places, so the encoder's shortest round-trip text has no more digits.
 */
export function roundTo(value: number, decimals: number): number {
  if (!Number.isFinite(value) || Math.abs(value) >= UNKNOWN_FROM) return value;
  const scale = 10 ** decimals;
  const rounded = Math.round(value * scale) / scale;
  return rounded === 0 ? 0 : rounded; // no "-0"
}

/** Finer resolution a source stated (an RTK receiver's 7-decimal minutes), if any. */
export interface SourceDecimals {
  degrees?: number;
  metres?: number;
}

/** A point for a built event: lat/lon, hae, ce and le at their sources' resolution. */
export function builtPoint(point: CotPoint, source: SourceDecimals = {}): CotPoint {
  const degrees = Math.max(BUILT_DECIMALS.degrees, source.degrees ?? 0);
  const metres = BUILT_DECIMALS.metres;
  return {
    lat: roundTo(point.lat, degrees),
    lon: roundTo(point.lon, degrees),
    hae: roundTo(point.hae, Math.max(metres, source.metres ?? 0)),
    ce: roundTo(point.ce, metres),
    le: roundTo(point.le, metres),
  };
}

/** A track for a built event: speed and course to 2 decimals. */
export function builtTrack(speed: number, course: number): CotTrack {
  return { speed: roundTo(speed, BUILT_DECIMALS.speed), course: roundTo(course, BUILT_DECIMALS.course) };
}
