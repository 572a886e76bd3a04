// Parsers for NMEA 0183 field formats. Each returns undefined for an empty or malformed field
// rather than throwing: a sentence with one bad field still contributes its good ones.

const KNOTS_TO_MPS = 1852 / 3600;
const KMH_TO_MPS = 1000 / 3600;

/** A decimal number, or undefined when empty/not a number. */
export function decimal(field: string | undefined): number | undefined {
  if (field === undefined || field.length === 0) return undefined;
  const value = Number(field);
  return Number.isFinite(value) ? value : undefined;
}

/** An integer, or undefined. */
export function integer(field: string | undefined): number | undefined {
  const value = decimal(field);
  return value !== undefined && Number.isInteger(value) ? value : undefined;
}

/**
 * `ddmm.mmmm` / `dddmm.mmmm` plus hemisphere → signed decimal degrees.
 * The degrees are everything before the last two digits left of the point.
 */
export function latLon(field: string | undefined, hemisphere: string | undefined, maxDegrees: number): number | undefined {
  const value = decimal(field);
  if (value === undefined || value < 0) return undefined;
  const degrees = Math.trunc(value / 100);
  const minutes = value - degrees * 100;
  if (minutes >= 60 || degrees > maxDegrees) return undefined;
  const result = degrees + minutes / 60;
  if (result > maxDegrees) return undefined;
  switch (hemisphere) {
    case 'N':
    case 'E':
      return result;
    case 'S':
    case 'W':
      return -result;
    default:
      return undefined;
  }
}

/** Digits after the decimal point in a field as the receiver wrote it (0 when none). */
export function decimalPlaces(field: string | undefined): number {
  if (field === undefined) return 0;
  const dot = field.indexOf('.');
  return dot === -1 ? 0 : field.length - dot - 1;
}

/** Decimal places of degrees that a `ddmm.mmmm` lat/lon pair resolves: minutes' decimals + 2 (1′/100 < 0.001°). */
export function degreeDecimals(lat: string | undefined, lon: string | undefined): number {
  return Math.max(decimalPlaces(lat), decimalPlaces(lon)) + 2;
}

/** `hhmmss.sss` → milliseconds since midnight UTC. */
export function timeOfDay(field: string | undefined): number | undefined {
  if (field === undefined || field.length < 6) return undefined;
  const hours = Number(field.slice(0, 2));
  const minutes = Number(field.slice(2, 4));
  const seconds = Number(field.slice(4));
  if (!Number.isInteger(hours) || !Number.isInteger(minutes) || !Number.isFinite(seconds)) return undefined;
  if (hours > 23 || minutes > 59 || seconds < 0 || seconds >= 61) return undefined;
  return (hours * 3600 + minutes * 60) * 1000 + Math.round(seconds * 1000);
}

/** Days since 1970-01-01 for a calendar date, or undefined when it is not a real date. */
export function dayNumber(year: number, month: number, day: number): number | undefined {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const ms = Date.UTC(year, month - 1, day);
  if (new Date(ms).getUTCDate() !== day) return undefined;
  return ms / 86_400_000;
}

/**
 * Two-digit NMEA year → full year. GPS began in 1980, so 80–99 are 19xx and 00–79 are 20xx;
 * a receiver still alive in 2080 will need a new rule.
 */
export function fullYear(twoDigits: number): number {
  return twoDigits >= 80 ? 1900 + twoDigits : 2000 + twoDigits;
}

/** RMC's `ddmmyy` → day number. */
export function rmcDate(field: string | undefined): number | undefined {
  if (field === undefined || field.length !== 6) return undefined;
  const day = Number(field.slice(0, 2));
  const month = Number(field.slice(2, 4));
  const year = Number(field.slice(4, 6));
  if (!Number.isInteger(year)) return undefined;
  return dayNumber(fullYear(year), month, day);
}

export function knotsToMps(knots: number | undefined): number | undefined {
  return knots === undefined ? undefined : knots * KNOTS_TO_MPS;
}

export function kmhToMps(kmh: number | undefined): number | undefined {
  return kmh === undefined ? undefined : kmh * KMH_TO_MPS;
}

/** Course in degrees true, normalised to [0, 360). */
export function course(field: string | undefined): number | undefined {
  const value = decimal(field);
  if (value === undefined || value < 0 || value > 360) return undefined;
  return value === 360 ? 0 : value;
}
