// One finished epoch → one GnssFix: picks each value from the best sentence that carried it,
// decides the fix mode, and estimates the horizontal/vertical error.
import type { FixMode, FixStatus, GnssFix } from '../../contract.js';
import type { EpochData, PositionReport } from './epoch.js';
import { epochFixMode } from './fix-mode.js';

/** GGA quality indicator → gpsd status. */
const STATUS_BY_GGA_QUALITY: Readonly<Record<number, FixStatus>> = {
  1: 1, 2: 2, 3: 9, 4: 3, 5: 4, 6: 5, 7: 7, 8: 8,
};

/** NMEA 2.3+ mode indicator (RMC, GLL, GNS) → gpsd status. */
const STATUS_BY_MODE_INDICATOR: Readonly<Record<string, FixStatus>> = {
  A: 1, D: 2, P: 2, R: 3, F: 4, E: 5, M: 7, S: 8,
};

/**
 * User equivalent range error (1 sigma, metres) by status, for errors estimated from DOP.
 * Conservative round figures for consumer receivers; DGPS and RTK are much better.
 */
const UERE_BY_STATUS: Readonly<Record<number, number>> = { 1: 4, 2: 1, 3: 0.02, 4: 0.2, 5: 10, 8: 4 };

/** Multiplier from 1 sigma to ~95 % (what gpsd's eph/epv and CoT's ce/le are read as). */
const SIGMA_TO_95 = 2;

function has(report: PositionReport | undefined): report is PositionReport & { lat: number; lon: number } {
  return report !== undefined && report.lat !== undefined && report.lon !== undefined;
}

/** Status from the most specific sentence: GGA's quality, else the first GNS indicator, else RMC's. */
function fixStatus(epoch: EpochData): FixStatus | undefined {
  if (epoch.gga !== undefined) return STATUS_BY_GGA_QUALITY[epoch.gga.quality];
  const rmc = epoch.rmc;
  const indicator = epoch.gns?.modes.charAt(0) || rmc?.modeIndicator || (rmc?.differential ? 'D' : undefined);
  return indicator === undefined ? undefined : STATUS_BY_MODE_INDICATOR[indicator];
}

/** @param previousMode the mode of the stream's previous epoch */
export function finishFix(epoch: EpochData, time: number | undefined, previousMode: FixMode): GnssFix {
  const fix: GnssFix = { mode: 0, sentences: epoch.sentences.slice() };
  if (time !== undefined) fix.time = time;
  const heightSource = epoch.gga?.altMSL !== undefined ? epoch.gga : epoch.gns?.altMSL !== undefined ? epoch.gns : epoch.pgrmz;
  fix.mode = epochFixMode(epoch, previousMode);
  const status = fixStatus(epoch);
  if (status !== undefined && fix.mode >= 2) fix.status = status;

  const hdop = epoch.gsa?.hdop ?? epoch.gga?.hdop ?? epoch.gns?.hdop;
  if (hdop !== undefined) fix.hdop = hdop;
  if (epoch.gsa?.vdop !== undefined) fix.vdop = epoch.gsa.vdop;
  if (epoch.gsa?.pdop !== undefined) fix.pdop = epoch.gsa.pdop;
  const used = epoch.gga?.satellitesUsed ?? epoch.gns?.satellitesUsed ?? epoch.gsa?.satellitesUsed;
  if (used !== undefined) fix.satellitesUsed = used;
  if (epoch.satellitesVisible !== undefined) fix.satellitesVisible = epoch.satellitesVisible;
  if (fix.mode < 2) return fix; // no position without a fix, even where a sentence repeats a stale one

  const position = [epoch.gga, epoch.gns, epoch.rmc, epoch.gll].find(has);
  if (position !== undefined) {
    fix.lat = position.lat;
    fix.lon = position.lon;
    if (position.degreeDecimals !== undefined) fix.latLonDecimals = position.degreeDecimals;
  }
  if (fix.mode === 3 && heightSource?.altMSL !== undefined) {
    fix.altMSL = heightSource.altMSL;
    if ('altitudeDecimals' in heightSource && heightSource.altitudeDecimals !== undefined) fix.altitudeDecimals = heightSource.altitudeDecimals;
    const geoidSep = 'geoidSep' in heightSource ? heightSource.geoidSep : undefined;
    if (geoidSep !== undefined) {
      fix.geoidSep = geoidSep;
      fix.altHAE = round(heightSource.altMSL + geoidSep, 4);
    }
  }
  const motion = epoch.rmc?.speed !== undefined || epoch.rmc?.track !== undefined ? epoch.rmc : epoch.vtg;
  if (motion?.speed !== undefined) fix.speed = motion.speed;
  if (motion?.track !== undefined) fix.track = motion.track;
  estimateErrors(fix, epoch, status ?? 1);
  return fix;
}

/** eph/epv from GST's measured deviations when the receiver sent them, else from DOP × UERE. */
function estimateErrors(fix: GnssFix, epoch: EpochData, status: number): void {
  const gst = epoch.gst;
  if (gst?.latSigma !== undefined && gst.lonSigma !== undefined) {
    fix.eph = round(SIGMA_TO_95 * Math.hypot(gst.latSigma, gst.lonSigma), 3);
  } else if (fix.hdop !== undefined) {
    fix.eph = round(SIGMA_TO_95 * fix.hdop * (UERE_BY_STATUS[status] ?? 4), 3);
  }
  if (fix.mode !== 3) return;
  if (gst?.altSigma !== undefined) {
    fix.epv = round(SIGMA_TO_95 * gst.altSigma, 3);
  } else if (fix.vdop !== undefined) {
    fix.epv = round(SIGMA_TO_95 * fix.vdop * (UERE_BY_STATUS[status] ?? 4), 3);
  }
}

function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}
