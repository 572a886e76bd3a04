// Sentence bodies built from the NMEA 0183 field definitions, for tests: each builder lays its
// fields out in the standard's order; the sim's `sentence()` adds `$`, the XOR checksum and CR LF.

/** 59°54.9149' N, 10°43.2914' E (Oslo), as NMEA writes it; '' fields for "no position". */
const POSITION = ['5954.91494', 'N', '01043.29140', 'E'];
const NO_POSITION = ['', '', '', ''];

const position = (has: boolean): string[] => (has ? POSITION : NO_POSITION);

export interface GgaFields {
  time?: string;
  hasPosition?: boolean;
  /** Field 6: 0 invalid, 1 GPS, 2 DGPS, 4 RTK fixed, 5 RTK float, 6 DR … */
  quality: number;
  /** Field 7: satellites used, as the receiver writes it ('00', '12', ''). */
  satellites?: string;
  /** Field 9: altitude above MSL, metres; '' for none. */
  altitude?: string;
  talker?: string;
}

/** GGA: time, lat, N/S, lon, E/W, quality, satellites, HDOP, altitude, M, geoid separation, M, age, station. */
export function gga(f: GgaFields): string {
  const altitude = f.altitude ?? '12.3';
  return [
    `${f.talker ?? 'GP'}GGA`, f.time ?? '120000.00', ...position(f.hasPosition ?? true), String(f.quality),
    f.satellites ?? '08', '1.0', altitude, 'M', altitude === '' ? '' : '18.4', 'M', '', '',
  ].join(',');
}

export interface GnsFields {
  time?: string;
  hasPosition?: boolean;
  /** Field 6: one mode character per constellation (GPS, GLONASS, Galileo, BeiDou, QZSS, NavIC). */
  modes: string;
  satellites?: string;
  altitude?: string;
  /** Field 13 (NMEA 4.10): S safe, C caution, U unsafe, V not valid. */
  navigationStatus?: string;
  talker?: string;
}

/** GNS: time, lat, N/S, lon, E/W, modes, satellites, HDOP, altitude, geoid separation, age, station, nav status. */
export function gns(f: GnsFields): string {
  return [
    `${f.talker ?? 'GN'}GNS`, f.time ?? '120000.00', ...position(f.hasPosition ?? true), f.modes,
    f.satellites ?? '14', '0.9', f.altitude ?? '12.3', '18.4', '', '', f.navigationStatus ?? '',
  ].join(',');
}

export interface RmcFields {
  time?: string;
  hasPosition?: boolean;
  /** Field 2: A valid, V not valid (D: differential on some receivers). */
  status: string;
  /** Field 12 (NMEA 2.3): A, D, E, F, R, M, S, N; undefined for an NMEA 2.2 sentence without it. */
  modeIndicator?: string;
  /** Field 13 (NMEA 4.10): navigation status. */
  navigationStatus?: string;
  talker?: string;
}

/** RMC: time, status, lat, N/S, lon, E/W, speed kn, course, ddmmyy, variation, E/W[, mode[, nav status]]. */
export function rmc(f: RmcFields): string {
  const fields = [
    `${f.talker ?? 'GP'}RMC`, f.time ?? '120000.00', f.status, ...position(f.hasPosition ?? true),
    '2.72', '84.5', '061226', '', '',
  ];
  if (f.modeIndicator !== undefined) fields.push(f.modeIndicator);
  if (f.navigationStatus !== undefined) fields.push(f.navigationStatus);
  return fields.join(',');
}

export interface GsaFields {
  /** Field 2: 1 no fix, 2 2D, 3 3D (or anything a receiver writes there, such as E). */
  mode: string;
  /** Satellite ids used, up to 12 (fields 3-14). */
  used?: string[];
  /** Field 18 (NMEA 4.10): 1 GPS, 2 GLONASS, 3 Galileo, 4 BeiDou, 5 QZSS, 6 NavIC. */
  systemId?: number;
  talker?: string;
}

/** GSA: selection mode, fix mode, 12 satellite ids, PDOP, HDOP, VDOP[, system id]. */
export function gsa(f: GsaFields): string {
  const ids = f.used ?? [];
  const slots = Array.from({ length: 12 }, (_, i) => ids[i] ?? '');
  const fields = [`${f.talker ?? 'GP'}GSA`, 'A', f.mode, ...slots, '1.6', '0.9', '1.3'];
  if (f.systemId !== undefined) fields.push(String(f.systemId));
  return fields.join(',');
}

export interface GllFields {
  time?: string;
  hasPosition?: boolean;
  /** Field 6: A valid, V not valid. */
  status: string;
  /** Field 7 (NMEA 2.3): mode indicator. */
  modeIndicator?: string;
}

/** GLL: lat, N/S, lon, E/W, time, status[, mode]. */
export function gll(f: GllFields): string {
  const fields = ['GPGLL', ...position(f.hasPosition ?? true), f.time ?? '120000.00', f.status];
  if (f.modeIndicator !== undefined) fields.push(f.modeIndicator);
  return fields.join(',');
}
