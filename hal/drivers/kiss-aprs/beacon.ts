/**
 * Transmit: the box's own position as an APRS position report through the KISS TNC. Only
 * with a configured amateur callsign (a licence is needed to transmit; `N0CALL` and
 * `NOCALL` placeholders are refused) and at most once per configured interval.
 * Format: uncompressed `=DDMM.hhN/DDDMM.hhW>ccc/sss/A=aaaaaa comment` (messaging-capable
 * DTI `=`, course/speed extension when moving, altitude in feet when known).
 */
import type { GnssFix } from '../../contract.js';
import { kissEncode } from '../../framers/kiss.js';
import { encodeAx25, isAx25Call } from './ax25.js';

export interface BeaconOptions {
  /** The operator's callsign with SSID, e.g. `N0CALL-9` (placeholders are refused). */
  callsign: string;
  /** Seconds between beacons. Default 600 (APRS etiquette for a fixed station). */
  intervalSeconds?: number;
  /** Default ['WIDE1-1', 'WIDE2-1']. */
  path?: string[];
  /** APRS tocall naming the software. Default `APZTKD` (APZ = experimental). */
  destination?: string;
  symbolTable?: string;
  /** Default `>` (car); `-` is a house. */
  symbol?: string;
  comment?: string;
  /** KISS port (TNC radio channel). Default 0. */
  port?: number;
}

const PLACEHOLDERS = new Set(['N0CALL', 'NOCALL', 'MYCALL']);
const MS_TO_KNOTS = 1 / 0.514444;
const M_TO_FT = 1 / 0.3048;

/** Why a beacon cannot be configured, or undefined when it can. */
export function beaconConfigProblem(options: BeaconOptions): string | undefined {
  if (!isAx25Call(options.callsign)) return `callsign '${options.callsign}' is not an AX.25 callsign (1–6 letters/digits, optional -SSID 0–15)`;
  if (PLACEHOLDERS.has(options.callsign.split('-')[0].toUpperCase())) return `callsign '${options.callsign}' is a placeholder: transmitting needs your own amateur callsign`;
  for (const hop of options.path ?? []) if (!isAx25Call(hop)) return `path entry '${hop}' is not an AX.25 address`;
  return undefined;
}

function coordinate(value: number, degreeDigits: number, positive: string, negative: string): string {
  const absolute = Math.abs(value);
  let degrees = Math.floor(absolute);
  let hundredths = Math.round((absolute - degrees) * 6000); // minutes × 100
  if (hundredths === 6000) {
    degrees++;
    hundredths = 0;
  }
  const minutes = `${String(Math.floor(hundredths / 100)).padStart(2, '0')}.${String(hundredths % 100).padStart(2, '0')}`;
  return `${String(degrees).padStart(degreeDigits, '0')}${minutes}${value < 0 ? negative : positive}`;
}

/** The APRS information field for a fix. */
export function positionReport(fix: GnssFix, options: Pick<BeaconOptions, 'symbolTable' | 'symbol' | 'comment'> = {}): string | undefined {
  if (fix.lat === undefined || fix.lon === undefined || fix.mode < 2) return undefined;
  let info = `=${coordinate(fix.lat, 2, 'N', 'S')}${options.symbolTable ?? '/'}${coordinate(fix.lon, 3, 'E', 'W')}${options.symbol ?? '>'}`;
  if (fix.speed !== undefined && fix.track !== undefined && fix.speed > 0.5) {
    const course = Math.round(fix.track) % 360 || 360; // 000 means unknown; north is 360
    const knots = Math.min(999, Math.round(fix.speed * MS_TO_KNOTS));
    info += `${String(course).padStart(3, '0')}/${String(knots).padStart(3, '0')}`;
  }
  const altitude = fix.altMSL ?? fix.altHAE;
  if (altitude !== undefined) {
    const feet = Math.round(altitude * M_TO_FT);
    info += `/A=${feet < 0 ? `-${String(-feet).padStart(5, '0')}` : String(Math.min(feet, 999999)).padStart(6, '0')}`;
  }
  if (options.comment) info += ` ${options.comment}`;
  return info;
}

/** Decides when to beacon and builds the KISS frame. */
export class AprsBeacon {
  private lastSentAt = -Infinity;
  private readonly intervalMs: number;

  constructor(private readonly options: BeaconOptions) {
    const problem = beaconConfigProblem(options);
    if (problem !== undefined) throw new Error(problem);
    this.intervalMs = (options.intervalSeconds ?? 600) * 1000;
  }

  /** The KISS frame to write now, or undefined (too soon, or no usable fix). */
  next(fix: GnssFix, now: number): Buffer | undefined {
    if (now - this.lastSentAt < this.intervalMs) return undefined;
    const info = positionReport(fix, this.options);
    if (info === undefined) return undefined;
    this.lastSentAt = now;
    const frame = encodeAx25(this.options.destination ?? 'APZTKD', this.options.callsign, this.options.path ?? ['WIDE1-1', 'WIDE2-1'], Buffer.from(info, 'utf8'));
    return kissEncode(frame, this.options.port ?? 0, 0);
  }
}
