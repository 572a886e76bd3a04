/**
 * AIS message bodies → AisReport, one small function per message type in a table.
 * Bit offsets and scalings: ITU-R M.1371 as summarised in spec/radios.md §3.4. Each
 * function decodes what the bits hold; sentinels ("not available") leave the field out.
 */
import type { AisBits } from './bits.js';
import type { AisReport } from './report.js';

const LON_NOT_AVAILABLE = 108600000; // 181° in 1/10000 min
const LAT_NOT_AVAILABLE = 54600000; // 91°
const LON_NOT_AVAILABLE_COARSE = 108600; // 181° in 1/10 min (types 17, 27)
const LAT_NOT_AVAILABLE_COARSE = 54600;

function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}

/**
 * Puts lat/lon into the report. `divisor` turns the raw integer into degrees; `decimals`
 * is gpsd's printed precision (7 for 1/10000 min, 4 for 1/10 min).
 */
function setPosition(report: AisReport, rawLon: number, rawLat: number, divisor: number, decimals: number, lonNa: number, latNa: number): void {
  report.raw = { ...report.raw, lat: rawLat, lon: rawLon };
  if (rawLon === lonNa || rawLat === latNa) return;
  const lat = rawLat / divisor;
  const lon = rawLon / divisor;
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) {
    report.position_invalid = true;
    return;
  }
  report.lat = round(lat, decimals);
  report.lon = round(lon, decimals);
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Ship dimensions at `start`: bow 9, stern 9, port 6, starboard 6 bits. */
function setDimensions(report: AisReport, bits: AisBits, start: number): void {
  report.to_bow = bits.unsigned(start, 9);
  report.to_stern = bits.unsigned(start + 9, 9);
  report.to_port = bits.unsigned(start + 18, 6);
  report.to_starboard = bits.unsigned(start + 24, 6);
}

/** Types 1, 2, 3: Class A position report. */
function classAPosition(bits: AisBits, report: AisReport): void {
  report.status = bits.unsigned(38, 4);
  const turn = bits.signed(42, 8);
  const speed = bits.unsigned(50, 10);
  const course = bits.unsigned(116, 12);
  const heading = bits.unsigned(128, 9);
  report.accuracy = bits.unsigned(60, 1) === 1;
  setPosition(report, bits.signed(61, 28), bits.signed(89, 27), 600000, 7, LON_NOT_AVAILABLE, LAT_NOT_AVAILABLE);
  if (speed !== 1023) report.speed = speed / 10;
  if (course !== 3600) report.course = course / 10;
  if (heading !== 511) report.heading = heading;
  report.second = bits.unsigned(137, 6);
  report.raim = bits.unsigned(148, 1) === 1;
  report.raw = { ...report.raw, speed, course, heading, turn };
}

/** Types 4 and 11: base station report / UTC response. */
function baseStation(bits: AisBits, report: AisReport): void {
  const year = String(bits.unsigned(38, 14)).padStart(4, '0');
  report.timestamp = `${year}-${pad2(bits.unsigned(52, 4))}-${pad2(bits.unsigned(56, 5))}T${pad2(bits.unsigned(61, 5))}:${pad2(bits.unsigned(66, 6))}:${pad2(bits.unsigned(72, 6))}Z`;
  report.accuracy = bits.unsigned(78, 1) === 1;
  setPosition(report, bits.signed(79, 28), bits.signed(107, 27), 600000, 7, LON_NOT_AVAILABLE, LAT_NOT_AVAILABLE);
  report.epfd = bits.unsigned(134, 4);
  report.raim = bits.unsigned(148, 1) === 1;
}

/** Type 5: static and voyage data. */
function staticVoyage(bits: AisBits, report: AisReport): void {
  report.imo = bits.unsigned(40, 30);
  report.callsign = bits.text(70, 7);
  report.shipname = bits.text(112, 20);
  report.shiptype = bits.unsigned(232, 8);
  setDimensions(report, bits, 240);
  report.epfd = bits.unsigned(270, 4);
  report.eta = `${pad2(bits.unsigned(274, 4))}-${pad2(bits.unsigned(278, 5))}T${pad2(bits.unsigned(283, 5))}:${pad2(bits.unsigned(288, 6))}Z`;
  const draught = bits.unsigned(294, 8);
  report.draught = draught / 10;
  report.destination = bits.text(302, 20);
  report.raw = { draught };
}

/** Type 9: SAR aircraft position. */
function sarAircraft(bits: AisBits, report: AisReport): void {
  const alt = bits.unsigned(38, 12);
  const speed = bits.unsigned(50, 10);
  const course = bits.unsigned(116, 12);
  if (alt !== 4095) report.alt = alt;
  if (speed !== 1023) report.speed = speed;
  report.accuracy = bits.unsigned(60, 1) === 1;
  setPosition(report, bits.signed(61, 28), bits.signed(89, 27), 600000, 7, LON_NOT_AVAILABLE, LAT_NOT_AVAILABLE);
  if (course !== 3600) report.course = course / 10;
  report.second = bits.unsigned(128, 6);
  report.raim = bits.unsigned(147, 1) === 1;
  report.raw = { ...report.raw, alt, speed, course };
}

/** Type 12: addressed safety message (text from bit 72). */
function addressedSafety(bits: AisBits, report: AisReport): void {
  report.text = bits.text(72, Math.floor((bits.length - 72) / 6));
}

/** Type 14: broadcast safety message (text from bit 40). */
function broadcastSafety(bits: AisBits, report: AisReport): void {
  report.text = bits.text(40, Math.floor((bits.length - 40) / 6));
}

/** Type 17: DGNSS broadcast; only the reference position (1/10 minute). */
function dgnssBroadcast(bits: AisBits, report: AisReport): void {
  setPosition(report, bits.signed(40, 18), bits.signed(58, 17), 600, 4, LON_NOT_AVAILABLE_COARSE, LAT_NOT_AVAILABLE_COARSE);
}

/** The position block shared by types 18 and 19 (Class B). */
function classBPosition(bits: AisBits, report: AisReport): void {
  const speed = bits.unsigned(46, 10);
  const course = bits.unsigned(112, 12);
  const heading = bits.unsigned(124, 9);
  if (speed !== 1023) report.speed = speed / 10;
  report.accuracy = bits.unsigned(56, 1) === 1;
  setPosition(report, bits.signed(57, 28), bits.signed(85, 27), 600000, 7, LON_NOT_AVAILABLE, LAT_NOT_AVAILABLE);
  if (course !== 3600) report.course = course / 10;
  if (heading !== 511) report.heading = heading;
  report.second = bits.unsigned(133, 6);
  report.raw = { ...report.raw, speed, course, heading };
}

/** Type 18: standard Class B position. */
function classB(bits: AisBits, report: AisReport): void {
  classBPosition(bits, report);
  report.raim = bits.unsigned(147, 1) === 1;
}

/** Type 19: extended Class B position with name, type and dimensions. */
function classBExtended(bits: AisBits, report: AisReport): void {
  classBPosition(bits, report);
  report.shipname = bits.text(143, 20);
  report.shiptype = bits.unsigned(263, 8);
  setDimensions(report, bits, 271);
  report.epfd = bits.unsigned(301, 4);
  report.raim = bits.unsigned(305, 1) === 1;
}

/** Type 21: aid to navigation, with the name extension after bit 272. */
function aidToNavigation(bits: AisBits, report: AisReport): void {
  report.aid_type = bits.unsigned(38, 5);
  let name = bits.text(43, 20);
  if (bits.length > 272 && name.length === 20) name += bits.text(272, Math.floor((bits.length - 272) / 6));
  report.name = name;
  report.accuracy = bits.unsigned(163, 1) === 1;
  setPosition(report, bits.signed(164, 28), bits.signed(192, 27), 600000, 7, LON_NOT_AVAILABLE, LAT_NOT_AVAILABLE);
  setDimensions(report, bits, 219);
  report.epfd = bits.unsigned(249, 4);
  report.second = bits.unsigned(253, 6);
  report.off_position = bits.unsigned(259, 1) === 1;
  report.raim = bits.unsigned(268, 1) === 1;
  report.virtual_aid = bits.unsigned(269, 1) === 1;
}

/** Type 24: static data report. Part A (name) or part B (type, vendor, call sign, dimensions). */
function staticDataReport(bits: AisBits, report: AisReport): void {
  const part = bits.unsigned(38, 2);
  // Both parts are 160–168 bits; gpsd ignores longer ones (seen in the wild), and so do we.
  if (bits.length > 168 || part > 1) return;
  if (part === 0) {
    report.shipname = bits.text(40, 20);
    return;
  }
  report.shiptype = bits.unsigned(40, 8);
  report.vendorid = bits.text(48, 7); // the pre-M.1371-4 form: one 7-character string
  report.model = bits.unsigned(66, 4);
  report.serial = bits.unsigned(70, 20);
  report.callsign = bits.text(90, 7);
  if (Math.floor(report.mmsi / 10000000) === 98) report.mothership_mmsi = bits.unsigned(132, 30);
  else setDimensions(report, bits, 132);
}

/** Type 27: long-range position (satellite), 1/10 minute resolution. */
function longRange(bits: AisBits, report: AisReport): void {
  report.accuracy = bits.unsigned(38, 1) === 1;
  report.raim = bits.unsigned(39, 1) === 1;
  report.status = bits.unsigned(40, 4);
  setPosition(report, bits.signed(44, 18), bits.signed(62, 17), 600, 4, LON_NOT_AVAILABLE_COARSE, LAT_NOT_AVAILABLE_COARSE);
  const speed = bits.unsigned(79, 6);
  const course = bits.unsigned(85, 9);
  if (speed !== 63) report.speed = speed;
  if (course !== 511) report.course = course;
  // gpsd reports the raw flag under `gnss` (1 = the position is not from GNSS).
  report.gnss = bits.unsigned(94, 1) === 1;
  report.raw = { ...report.raw, speed, course };
}

interface BodyDecoder {
  /** Fewest bits for the body to be worth decoding. */
  minBits: number;
  decode(bits: AisBits, report: AisReport): void;
}

/** Message type → body decoder. Types without a row keep only the common header. */
export const BODY_DECODERS: Readonly<Record<number, BodyDecoder>> = {
  1: { minBits: 149, decode: classAPosition },
  2: { minBits: 149, decode: classAPosition },
  3: { minBits: 149, decode: classAPosition },
  4: { minBits: 149, decode: baseStation },
  5: { minBits: 420, decode: staticVoyage },
  9: { minBits: 148, decode: sarAircraft },
  11: { minBits: 149, decode: baseStation },
  12: { minBits: 72, decode: addressedSafety },
  14: { minBits: 40, decode: broadcastSafety },
  17: { minBits: 80, decode: dgnssBroadcast },
  18: { minBits: 148, decode: classB },
  19: { minBits: 306, decode: classBExtended },
  21: { minBits: 269, decode: aidToNavigation },
  24: { minBits: 160, decode: staticDataReport },
  27: { minBits: 95, decode: longRange },
};

/** Common header bits: type 6, repeat 2, MMSI 30. */
export const HEADER_BITS = 38;

export type BodyResult = AisReport | 'too-short';

/** Decodes one complete message. Too-short bodies are reported so the decoder can count them. */
export function decodeAisBody(bits: AisBits): BodyResult {
  if (bits.length < HEADER_BITS) return 'too-short';
  const report: AisReport = { type: bits.unsigned(0, 6), repeat: bits.unsigned(6, 2), mmsi: bits.unsigned(8, 30) };
  const body = BODY_DECODERS[report.type];
  if (body !== undefined) {
    if (bits.length < body.minBits) return 'too-short';
    body.decode(bits, report);
  }
  return report;
}
