/**
 * Mic-E (DTI `` ` `` or `'`): latitude, N/S, E/W, the longitude offset and the message bits
 * are in the destination address; longitude, speed, course and symbol in the first 9 info
 * bytes; then an optional type byte, base-91 altitude `xyz}`, status text and a
 * manufacturer suffix. Spec §2.8. Returns undefined on anything invalid.
 */
import { base91, type PositionFields } from './position.js';
import { KNOTS_TO_KMH } from './packet.js';

export interface MicEFields extends PositionFields {
  mtype: string;
  device?: string;
}

interface DestinationChar {
  digit: string;
  /** Message bit: 0, 1 standard, 2 custom. */
  bit: 0 | 1 | 2;
  /** North / +100 / West when in positions 4, 5, 6. */
  high: boolean;
}

function destinationChar(c: string): DestinationChar | undefined {
  if (c >= '0' && c <= '9') return { digit: c, bit: 0, high: false };
  if (c >= 'A' && c <= 'J') return { digit: String(c.charCodeAt(0) - 65), bit: 2, high: false };
  if (c === 'K') return { digit: ' ', bit: 2, high: false };
  if (c === 'L') return { digit: ' ', bit: 0, high: false };
  if (c >= 'P' && c <= 'Y') return { digit: String(c.charCodeAt(0) - 80), bit: 1, high: true };
  if (c === 'Z') return { digit: ' ', bit: 1, high: true };
  return undefined;
}

const STANDARD_MESSAGES = ['Emergency', 'M6: Priority', 'M5: Special', 'M4: Committed', 'M3: Returning', 'M2: In Service', 'M1: En Route', 'M0: Off Duty'];

function messageType(bits: (0 | 1 | 2)[]): string {
  const custom = bits.some((b) => b === 2);
  const standard = bits.some((b) => b === 1);
  if (custom && standard) return 'Unknown';
  const value = bits.reduce<number>((v, b) => v * 2 + (b === 0 ? 0 : 1), 0);
  if (value === 0) return 'Emergency';
  return custom ? `C${7 - value}: Custom-${7 - value}` : STANDARD_MESSAGES[value];
}

/** Manufacturer suffixes (type byte + trailing characters) that name a radio. */
function takeDevice(typeByte: string, text: string): { device?: string; text: string } {
  if ((typeByte === '>' || typeByte === ']') && text.endsWith('=')) return { device: typeByte === '>' ? 'Kenwood TH-D72' : 'Kenwood TM-D710', text: text.slice(0, -1) };
  if (typeByte === '>' && text.endsWith('^')) return { device: 'Kenwood TH-D74', text: text.slice(0, -1) };
  if (typeByte === '>') return { device: 'Kenwood TH-D7A', text };
  if (typeByte === ']') return { device: 'Kenwood TM-D700', text };
  if ((typeByte === '`' || typeByte === "'") && text.length >= 2) {
    const suffix = text.slice(-2);
    const known: Record<string, string> = { '_ ': 'Yaesu VX-8', '_"': 'Yaesu FTM-350', '_#': 'Yaesu VX-8G', '_$': 'Yaesu FT1D', '_%': 'Yaesu FTM-400DR', '_)': 'Yaesu FTM-100D', '_(': 'Yaesu FT2D', '|3': 'Byonics TinyTrack3', '|4': 'Byonics TinyTrack4' };
    if (known[suffix] !== undefined) return { device: known[suffix], text: text.slice(0, -2) };
  }
  return { text };
}

export function parseMicE(destination: string, info: string): MicEFields | undefined {
  const call = destination.split('-')[0];
  if (call.length !== 6 || info.length < 9) return undefined;
  const chars: DestinationChar[] = [];
  for (const c of call) {
    const decoded = destinationChar(c);
    if (decoded === undefined) return undefined;
    chars.push(decoded);
  }
  const digits = chars.map((c) => c.digit).join('');
  // Ambiguity: blanks from the right; the centre of the box as for uncompressed positions.
  let blanks = 0;
  while (blanks < 4 && digits[5 - blanks] === ' ') blanks++;
  if (digits.slice(0, 6 - blanks).includes(' ')) return undefined;
  const filled = [...digits.slice(0, 6 - blanks)].concat(Array.from({ length: blanks }, (_, i) => (i === 0 && blanks < 4 ? '5' : '0'))).join('');
  const latDegrees = Number(filled.slice(0, 2));
  const latMinutes = blanks === 4 ? 30 : Number(`${filled.slice(2, 4)}.${filled.slice(4, 6)}`);
  if (latDegrees > 89 && latMinutes > 0) return undefined;
  const north = chars[3].high;
  const offset = chars[4].high ? 100 : 0;
  const west = chars[5].high;

  const b = (i: number): number => info.charCodeAt(i) - 28;
  let lonDegrees = b(1) + offset;
  if (lonDegrees >= 180 && lonDegrees <= 189) lonDegrees -= 80;
  else if (lonDegrees >= 190 && lonDegrees <= 199) lonDegrees -= 190;
  let lonMinutes = b(2);
  if (lonMinutes >= 60) lonMinutes -= 60;
  const lonHundredths = b(3);
  if (lonDegrees < 0 || lonDegrees > 179 || lonMinutes < 0 || lonHundredths < 0 || lonHundredths > 99) return undefined;
  let speed = b(4) * 10 + Math.floor(b(5) / 10);
  if (speed >= 800) speed -= 800;
  let course = (b(5) % 10) * 100 + b(6);
  if (course >= 400) course -= 400;
  if (b(4) < 0 || b(5) < 0 || b(6) < 0) return undefined;
  const symbol = info[7];
  const table = info[8];
  if (!/^[/\\A-Z0-9]$/.test(table) || symbol < '!' || symbol > '~') return undefined;

  const latitude = latDegrees + latMinutes / 60;
  const longitude = lonDegrees + (lonMinutes + lonHundredths / 100) / 60;
  const fields: MicEFields = {
    format: 'mic-e',
    latitude: north ? latitude : -latitude,
    longitude: west ? -longitude : longitude,
    symbol_table: table,
    symbol,
    mtype: messageType(chars.slice(0, 3).map((c) => c.bit)),
  };
  if (blanks > 0) fields.posambiguity = blanks;
  if (course >= 1 && course <= 360) fields.course = course;
  fields.speed = speed * KNOTS_TO_KMH;

  let rest = info.slice(9).replace(/\r$/, '');
  let typeByte = '';
  if (rest.length > 0 && ' >]`\''.includes(rest[0])) {
    typeByte = rest[0];
    rest = rest.slice(1);
  }
  if (rest.length >= 4 && rest[3] === '}') {
    const altitude = base91(rest.slice(0, 3));
    if (altitude >= 0) {
      fields.altitude = altitude - 10000;
      rest = rest.slice(4);
    }
  }
  const device = takeDevice(typeByte, rest);
  if (device.device !== undefined) fields.device = device.device;
  const comment = Buffer.from(device.text, 'latin1').toString('utf8').trim();
  if (comment !== '') fields.comment = comment;
  return fields;
}
