// Writes NMEA 0183 sentences (with checksum and CR LF) from a simulated receiver state.
// The simulator's output goes through the real line framer and decoder, like a receiver's.

/** `$` + body + `*hh` + CR LF, hh being the XOR of the body's bytes. */
export function sentence(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum ^= body.charCodeAt(i);
  return `$${body}*${sum.toString(16).toUpperCase().padStart(2, '0')}\r\n`;
}

export interface SimulatedFix {
  /** UTC epoch ms. */
  time: number;
  lat: number;
  lon: number;
  altMSL: number;
  geoidSep: number;
  /** m/s */
  speed: number;
  /** degrees true */
  track: number;
  /** false while the simulated receiver has lost its fix. */
  valid: boolean;
  satellites: SimulatedSatellite[];
  hdop: number;
  vdop: number;
  pdop: number;
}

export interface SimulatedSatellite {
  prn: number;
  elevation: number;
  azimuth: number;
  snr: number;
  used: boolean;
}

function hhmmss(time: number): string {
  const d = new Date(time);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, '0').slice(0, 2)}`;
}

function ddmmyy(time: number): string {
  const d = new Date(time);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}${two(d.getUTCMonth() + 1)}${two(d.getUTCFullYear() % 100)}`;
}

/** Degrees → `ddmm.mmmmm,H` (latitude) or `dddmm.mmmmm,H` (longitude). */
function angle(value: number, degreeDigits: 2 | 3, positive: string, negative: string): string {
  const abs = Math.abs(value);
  let degrees = Math.floor(abs);
  let minutes = Number(((abs - degrees) * 60).toFixed(5));
  if (minutes >= 60) {
    degrees++;
    minutes -= 60;
  }
  return `${String(degrees).padStart(degreeDigits, '0')}${minutes.toFixed(5).padStart(8, '0')},${value < 0 ? negative : positive}`;
}

const KNOTS_PER_MPS = 3600 / 1852;

export function gga(fix: SimulatedFix): string {
  const used = fix.satellites.filter((s) => s.used).length;
  if (!fix.valid) return sentence(`GPGGA,${hhmmss(fix.time)},,,,,0,00,99.99,,M,,M,,`);
  return sentence(
    `GPGGA,${hhmmss(fix.time)},${angle(fix.lat, 2, 'N', 'S')},${angle(fix.lon, 3, 'E', 'W')},1,` +
      `${String(used).padStart(2, '0')},${fix.hdop.toFixed(2)},${fix.altMSL.toFixed(1)},M,${fix.geoidSep.toFixed(1)},M,,`,
  );
}

export function rmc(fix: SimulatedFix): string {
  if (!fix.valid) return sentence(`GPRMC,${hhmmss(fix.time)},V,,,,,,,${ddmmyy(fix.time)},,,N`);
  return sentence(
    `GPRMC,${hhmmss(fix.time)},A,${angle(fix.lat, 2, 'N', 'S')},${angle(fix.lon, 3, 'E', 'W')},` +
      `${(fix.speed * KNOTS_PER_MPS).toFixed(3)},${fix.track.toFixed(2)},${ddmmyy(fix.time)},,,A`,
  );
}

export function gsa(fix: SimulatedFix): string {
  const prns = fix.satellites.filter((s) => s.used && fix.valid).map((s) => String(s.prn).padStart(2, '0')).slice(0, 12);
  while (prns.length < 12) prns.push('');
  const dops = fix.valid ? `${fix.pdop.toFixed(2)},${fix.hdop.toFixed(2)},${fix.vdop.toFixed(2)}` : '99.99,99.99,99.99';
  return sentence(`GPGSA,A,${fix.valid ? 3 : 1},${prns.join(',')},${dops}`);
}

/** GSV: four satellites per sentence. */
export function gsv(fix: SimulatedFix): string {
  const sats = fix.satellites;
  const total = Math.max(1, Math.ceil(sats.length / 4));
  let out = '';
  for (let part = 0; part < total; part++) {
    const group = sats.slice(part * 4, part * 4 + 4).map(
      (s) => `${String(s.prn).padStart(2, '0')},${Math.round(s.elevation)},${String(Math.round(s.azimuth)).padStart(3, '0')},${s.snr > 0 ? Math.round(s.snr) : ''}`,
    );
    out += sentence(`GPGSV,${total},${part + 1},${String(sats.length).padStart(2, '0')}${group.length > 0 ? ',' : ''}${group.join(',')}`);
  }
  return out;
}

/** One epoch as a u-blox-like receiver orders it: GGA, GSA, GSV…, RMC last. */
export function epochSentences(fix: SimulatedFix): string {
  return gga(fix) + gsa(fix) + gsv(fix) + rmc(fix);
}
