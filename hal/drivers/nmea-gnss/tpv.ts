// GnssFix → a gpsd-style TPV report (gpsd's names and units), for `takd gps decode` and logs.
import type { GnssFix } from '../../contract.js';

export interface TpvReport {
  class: 'TPV';
  mode: number;
  status?: number;
  time?: string;
  lat?: number;
  lon?: number;
  altHAE?: number;
  altMSL?: number;
  geoidSep?: number;
  speed?: number;
  track?: number;
  eph?: number;
  epv?: number;
}

/** Rounds to a fixed number of decimals, keeping JSON short without losing NMEA's precision. */
function fixed(value: number | undefined, decimals: number): number | undefined {
  if (value === undefined) return undefined;
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}

export function toTpv(fix: GnssFix): TpvReport {
  const report: TpvReport = { class: 'TPV', mode: fix.mode };
  if (fix.status !== undefined && fix.status !== 1) report.status = fix.status;
  if (fix.time !== undefined) report.time = new Date(fix.time).toISOString();
  const optional: [keyof TpvReport, number | undefined][] = [
    ['lat', fixed(fix.lat, 9)],
    ['lon', fixed(fix.lon, 9)],
    ['altHAE', fixed(fix.altHAE, 3)],
    ['altMSL', fixed(fix.altMSL, 3)],
    ['geoidSep', fixed(fix.geoidSep, 3)],
    ['speed', fixed(fix.speed, 3)],
    ['track', fixed(fix.track, 4)],
    ['eph', fixed(fix.eph, 3)],
    ['epv', fixed(fix.epv, 3)],
  ];
  const target = report as unknown as Record<string, number>;
  for (const [key, value] of optional) if (value !== undefined) target[key] = value;
  return report;
}
