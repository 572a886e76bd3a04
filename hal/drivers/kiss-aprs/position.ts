/**
 * APRS position blocks: uncompressed (`4903.50N/07201.75W-`, with ambiguity) and compressed
 * (13 bytes of base-91), and what follows them in the comment: the 7-byte data extensions
 * (course/speed, PHG, RNG) and `/A=` altitude. Parsers return undefined on anything that is
 * not a valid block; they never throw.
 */
import { FEET_TO_M, KNOTS_TO_KMH, type AprsPacket } from './packet.js';

export type PositionFields = Pick<AprsPacket, 'format' | 'latitude' | 'longitude' | 'posambiguity' | 'symbol_table' | 'symbol' | 'course' | 'speed' | 'altitude' | 'comment' | 'phg' | 'rng'>;

const isDigit = (c: string): boolean => c >= '0' && c <= '9';

/**
 * `ddmm.hh` / `dddmm.hh` digits with `blanks` trailing minute digits blanked: the centre of
 * the ambiguity box (first blank → 5, the rest → 0; a whole-degree box → 30′).
 */
function degreesWithAmbiguity(digits: string, degreeDigits: number, blanks: number): number | undefined {
  // Minute digit positions, most significant first: tens, units, tenths, hundredths.
  const chars = [...digits];
  const positions = [degreeDigits, degreeDigits + 1, degreeDigits + 3, degreeDigits + 4];
  for (let i = 0; i < blanks; i++) chars[positions[3 - i]] = '0';
  if (blanks > 0 && blanks < 4) chars[positions[4 - blanks]] = '5';
  const text = chars.join('');
  if (text[degreeDigits + 2] !== '.') return undefined;
  for (let i = 0; i < text.length; i++) if (i !== degreeDigits + 2 && !isDigit(text[i])) return undefined;
  const degrees = Number(text.slice(0, degreeDigits));
  const minutes = blanks === 4 ? 30 : Number(text.slice(degreeDigits));
  return degrees + minutes / 60;
}

/** Blanked (space) minute digits at the end of a latitude `ddmm.hh`: 0–4, or -1 if not trailing. */
function countBlanks(latitude: string): number {
  const positions = [6, 5, 3, 2];
  let blanks = 0;
  while (blanks < 4 && latitude[positions[blanks]] === ' ') blanks++;
  for (let i = blanks; i < 4; i++) if (latitude[positions[i]] === ' ') return -1;
  return blanks;
}

/** `/A=001234` anywhere in the comment: altitude in metres, and the comment without it. */
function takeAltitude(comment: string): { altitude?: number; comment: string } {
  const match = /\/A=(-\d{5}|\d{6})/.exec(comment);
  if (match === null) return { comment };
  return { altitude: Number(match[1]) * FEET_TO_M, comment: comment.slice(0, match.index) + comment.slice(match.index + 9) };
}

/** `!DAO!` precision extension: dropped from the comment (its extra digits are below our ce anyway). */
function dropDao(comment: string): string {
  return comment.replace(/![WwA-Z][\x21-\x7b]{2}!/, '');
}

/** The 7-byte data extension at the start of an uncompressed position's comment. */
function takeExtension(fields: PositionFields, comment: string): string {
  const ext = comment.slice(0, 7);
  let match = /^(\d{3})\/(\d{3})/.exec(ext);
  if (match !== null) {
    // For the weather symbol `_` these are wind direction/speed, not the station's motion.
    if (fields.symbol !== '_') {
      const course = Number(match[1]);
      if (course >= 1 && course <= 360) fields.course = course;
      fields.speed = Number(match[2]) * KNOTS_TO_KMH;
    }
    return comment.slice(7);
  }
  match = /^PHG(\d)(\d)(\d)(\d)/.exec(ext);
  if (match !== null) {
    const [p, h, g, d] = match.slice(1, 5).map(Number);
    fields.phg = { power: p * p, height: 10 * 2 ** h, gain: g, directivity: d === 0 ? 0 : d * 45 };
    return comment.slice(7);
  }
  match = /^RNG(\d{4})/.exec(ext);
  if (match !== null) {
    fields.rng = Number(match[1]);
    return comment.slice(7);
  }
  return comment;
}

/** Comment text after the position: extensions taken out, UTF-8 decoded, trimmed. */
function finishComment(fields: PositionFields, rest: string, extensions: boolean): void {
  let comment = extensions ? takeExtension(fields, rest) : rest;
  const altitude = takeAltitude(comment);
  if (altitude.altitude !== undefined) fields.altitude = altitude.altitude;
  comment = dropDao(altitude.comment);
  const text = Buffer.from(comment, 'latin1').toString('utf8').trim();
  if (text !== '') fields.comment = text;
}

/** Uncompressed position at `start` of `info` (latin1): 19 bytes, then the comment. */
export function parseUncompressed(info: string, start: number): PositionFields | undefined {
  if (info.length < start + 19) return undefined;
  const lat = info.slice(start, start + 8);
  const table = info[start + 8];
  const lon = info.slice(start + 9, start + 18);
  const symbol = info[start + 18];
  const ns = lat[7].toUpperCase();
  const ew = lon[8].toUpperCase();
  if ((ns !== 'N' && ns !== 'S') || (ew !== 'E' && ew !== 'W')) return undefined;
  if (!/^[/\\0-9A-Z]$/.test(table) || symbol < '!' || symbol > '~') return undefined;
  const blanks = countBlanks(lat);
  if (blanks < 0) return undefined;
  const latitude = degreesWithAmbiguity(lat.slice(0, 7), 2, blanks);
  // Longitude carries the latitude's ambiguity whatever digits it has in those places.
  const longitude = degreesWithAmbiguity(lon.slice(0, 8).replace(/ /g, '0'), 3, blanks);
  if (latitude === undefined || longitude === undefined || latitude > 90 || longitude > 180) return undefined;
  const fields: PositionFields = {
    format: 'uncompressed',
    latitude: ns === 'S' ? -latitude : latitude,
    longitude: ew === 'W' ? -longitude : longitude,
    symbol_table: table,
    symbol,
  };
  if (blanks > 0) fields.posambiguity = blanks;
  finishComment(fields, info.slice(start + 19), true);
  return fields;
}

/** Base-91 digits (`!`…`{`) → integer, or -1. */
export function base91(text: string): number {
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 33;
    if (digit < 0 || digit > 90) return -1;
    value = value * 91 + digit;
  }
  return value;
}

/** Compressed position at `start`: table, YYYY, XXXX, symbol, c, s, T (13 bytes), then the comment. */
export function parseCompressed(info: string, start: number): PositionFields | undefined {
  if (info.length < start + 13) return undefined;
  let table = info[start];
  if (table >= 'a' && table <= 'j') table = String.fromCharCode(table.charCodeAt(0) - 49); // overlay digit 0–9
  if (!/^[/\\A-Z0-9]$/.test(table)) return undefined;
  const y = base91(info.slice(start + 1, start + 5));
  const x = base91(info.slice(start + 5, start + 9));
  const symbol = info[start + 9];
  if (y < 0 || x < 0 || symbol < '!' || symbol > '~') return undefined;
  const latitude = 90 - y / 380926;
  const longitude = -180 + x / 190463;
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return undefined;
  const fields: PositionFields = { format: 'compressed', latitude, longitude, symbol_table: table, symbol };
  const c = info.charCodeAt(start + 10) - 33;
  const s = info.charCodeAt(start + 11) - 33;
  const t = info.charCodeAt(start + 12) - 33;
  if (info[start + 10] !== ' ' && c >= 0 && c <= 90 && s >= 0 && s <= 90) {
    if (t >= 0 && ((t >> 3) & 3) === 2) fields.altitude = 1.002 ** (c * 91 + s) * FEET_TO_M; // GGA source: altitude
    else if (c === 90) fields.rng = 2 * 1.08 ** s; // `{`: radio range
    else if (c <= 89 && symbol !== '_') {
      // (for the weather symbol these are wind direction and speed)
      fields.course = c * 4;
      fields.speed = (1.08 ** s - 1) * KNOTS_TO_KMH;
    }
  }
  finishComment(fields, info.slice(start + 13), false);
  return fields;
}

/** Either form at `start`: a digit (or blank) begins an uncompressed latitude. */
export function parsePosition(info: string, start: number): PositionFields | undefined {
  const first = info[start];
  if (first === undefined) return undefined;
  return isDigit(first) || first === ' ' ? parseUncompressed(info, start) : parseCompressed(info, start);
}
