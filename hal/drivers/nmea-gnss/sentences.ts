// The sentence table: NMEA sentence type (without talker) → which field holds the UTC time, and a
// small function that records what the sentence says into the epoch. Adding a sentence is
// one row and one function.
import type { EpochData } from './epoch.js';
import { course, decimal, decimalPlaces, dayNumber, degreeDecimals, integer, kmhToMps, knotsToMps, latLon, rmcDate } from './fields.js';

export interface SentenceHandler {
  /** Index of the `hhmmss.ss` field, when the sentence carries the epoch's time. */
  timeField?: number;
  /**
   * Whose time names the epoch when two sentences of one epoch differ by a few ms
   * (Magellan stamps GLL 5 ms before GGA/RMC): the higher rank wins.
   */
  timeRank?: number;
  /** Split only this many fields (GSV: the header is all we use). */
  fieldLimit?: number;
  /** Records the sentence into the epoch; returns false when the sentence is unusable. */
  apply(fields: string[], epoch: EpochData): boolean;
}

/** GGA and GNS carry the position, satellites, HDOP and altitudes in the same fields; the geoid separation differs (11 vs 10). */
function positionFields(f: string[], geoidField: number) {
  const altMSL = decimal(f[9]);
  return {
    lat: latLon(f[2], f[3], 90),
    lon: latLon(f[4], f[5], 180),
    degreeDecimals: degreeDecimals(f[2], f[4]),
    satellitesUsed: integer(f[7]),
    hdop: decimal(f[8]),
    altMSL,
    geoidSep: altMSL === undefined ? undefined : decimal(f[geoidField]),
    altitudeDecimals: Math.max(decimalPlaces(f[9]), decimalPlaces(f[geoidField])),
  };
}

function applyGga(f: string[], epoch: EpochData): boolean {
  const quality = integer(f[6]);
  if (quality === undefined) return false;
  epoch.gga = { quality, valid: quality > 0, ...positionFields(f, 11) };
  epoch.evidence.push({ sentence: 'GGA', report: epoch.gga });
  return true;
}

function applyRmc(f: string[], epoch: EpochData): boolean {
  const status = f[2];
  // A valid, D valid and differential (some receivers), V not valid.
  if (status !== 'A' && status !== 'D' && status !== 'V') return false;
  const modeIndicator = f[12] ?? '';
  epoch.rmc = {
    valid: status !== 'V' && modeIndicator !== 'N',
    differential: status === 'D',
    lat: latLon(f[3], f[4], 90),
    lon: latLon(f[5], f[6], 180),
    degreeDecimals: degreeDecimals(f[3], f[5]),
    speed: knotsToMps(decimal(f[7])),
    track: course(f[8]),
    modeIndicator,
  };
  epoch.evidence.push({ sentence: 'RMC', report: epoch.rmc });
  const day = rmcDate(f[9]);
  if (day !== undefined) epoch.day = day;
  return true;
}

/** Fields of a well-formed GSA (address, 2 modes, 12 PRNs, 3 DOPs); NMEA 4.10 adds the system id. */
const GSA_FIELDS = 18;

function applyGsa(f: string[], epoch: EpochData): boolean {
  // A GSA shorter than the standard's (i.Trek M3: `$GPGSA,A,1,,,,`) says nothing about the mode.
  const mode = f.length >= GSA_FIELDS ? integer(f[2]) : undefined;
  let satellitesUsed = 0;
  for (let i = 3; i <= 14; i++) if (f[i] !== undefined && f[i].length > 0) satellitesUsed++;
  const systemId = f.length > GSA_FIELDS ? integer(f[GSA_FIELDS]) : undefined;
  epoch.addGsa({
    mode: mode !== undefined && mode >= 1 && mode <= 3 ? mode : undefined,
    systemId: systemId !== undefined && systemId > 0 ? systemId : undefined,
    satellitesUsed,
    pdop: positiveDop(f[15]),
    hdop: positiveDop(f[16]),
    vdop: positiveDop(f[17]),
  });
  return true;
}

/** A DOP of 0 or 99.x means "not computed" on most receivers. */
function positiveDop(field: string | undefined): number | undefined {
  const value = decimal(field);
  return value !== undefined && value > 0 && value < 99 ? value : undefined;
}

function applyGsv(f: string[], epoch: EpochData): boolean {
  const messageNumber = integer(f[2]);
  const inView = integer(f[3]);
  if (messageNumber === undefined || inView === undefined) return false;
  if (messageNumber === 1) epoch.satellitesVisible = (epoch.satellitesVisible ?? 0) + inView;
  return true;
}

function applyVtg(f: string[], epoch: EpochData): boolean {
  // NMEA 2.x: track,T,magtrack,M,knots,N,kmh,K[,mode]; NMEA 1.5: track,magtrack,knots,kmh.
  const modern = f[2] === 'T';
  const knots = decimal(modern ? f[5] : f[3]);
  const speed = knots !== undefined ? knotsToMps(knots) : kmhToMps(decimal(modern ? f[7] : f[4]));
  if (modern && f[9] === 'N') return true;
  epoch.vtg = { track: course(f[1]), speed };
  return true;
}

function applyGll(f: string[], epoch: EpochData): boolean {
  const status = f[6];
  if (status !== 'A' && status !== 'V') return false;
  epoch.gll = {
    valid: status === 'A' && f[7] !== 'N',
    lat: latLon(f[1], f[2], 90),
    lon: latLon(f[3], f[4], 180),
    degreeDecimals: degreeDecimals(f[1], f[3]),
    modeIndicator: f[7] ?? '',
  };
  epoch.evidence.push({ sentence: 'GLL', report: epoch.gll });
  return true;
}

function applyGst(f: string[], epoch: EpochData): boolean {
  epoch.gst = { latSigma: decimal(f[6]), lonSigma: decimal(f[7]), altSigma: decimal(f[8]) };
  return true;
}

function applyZda(f: string[], epoch: EpochData): boolean {
  const day = dayNumber(Number(f[4]), Number(f[3]), Number(f[2]));
  if (day === undefined) return false;
  epoch.day = day;
  return true;
}

function applyGns(f: string[], epoch: EpochData): boolean {
  const modes = f[6] ?? '';
  epoch.gns = {
    modes,
    // One character per constellation: a fix when any of them has one.
    valid: /[^N]/.test(modes),
    navigationStatus: f[13] ?? '',
    ...positionFields(f, 10),
  };
  epoch.evidence.push({ sentence: 'GNS', report: epoch.gns });
  return true;
}

const FEET_TO_METRES = 0.3048;

function applyPgrmz(f: string[], epoch: EpochData): boolean {
  const altitude = decimal(f[1]);
  const unit = f[2];
  const mode = integer(f[3]);
  epoch.pgrmz = {
    altMSL: altitude === undefined ? undefined : unit === 'f' ? altitude * FEET_TO_METRES : altitude,
    mode: mode === 2 || mode === 3 ? mode : undefined,
  };
  epoch.evidence.push({ sentence: 'PGRMZ', report: epoch.pgrmz });
  return true;
}

/** Keyed by sentence type without talker (`GGA`), or by the whole address for proprietary ones (`PGRMZ`). */
export const sentenceTable: Readonly<Record<string, SentenceHandler>> = {
  GGA: { timeField: 1, timeRank: 2, apply: applyGga },
  RMC: { timeField: 1, timeRank: 2, apply: applyRmc },
  GSA: { apply: applyGsa },
  GSV: { fieldLimit: 4, apply: applyGsv },
  VTG: { apply: applyVtg },
  GLL: { timeField: 5, apply: applyGll },
  GST: { timeField: 1, apply: applyGst },
  ZDA: { timeField: 1, timeRank: 2, apply: applyZda },
  GNS: { timeField: 1, timeRank: 2, apply: applyGns },
  PGRMZ: { apply: applyPgrmz },
};
