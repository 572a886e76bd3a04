/**
 * One decoded APRS packet with a position, with aprslib's JSON names and units (the APRS
 * world's common JSON): latitude/longitude degrees, course degrees, speed km/h, altitude
 * metres. `takd aprs decode` prints these; toCot maps them.
 */
export type AprsFormat = 'uncompressed' | 'compressed' | 'mic-e';

export interface AprsPacket {
  /** The packet in TNC2 form, `SRC>DEST,PATH:info`. */
  raw: string;
  from: string;
  to: string;
  /** Digipeater path as TNC2 writes it (`WIDE1*`, `qAR`, …). */
  path: string[];
  /** The digipeater we heard it from (last with H set), if any. */
  via?: string;
  format: AprsFormat;
  /** `!` `=` `/` `@` position, `;` object, `)` item, Mic-E. */
  kind: 'position' | 'object' | 'item' | 'mic-e';
  messagecapable?: boolean;
  latitude: number;
  longitude: number;
  /** 0 = exact; 1–4 digits blanked (0.1′, 1′, 10′, 1° boxes). */
  posambiguity?: number;
  symbol_table: string;
  symbol: string;
  course?: number;
  /** km/h. */
  speed?: number;
  /** metres. */
  altitude?: number;
  comment?: string;
  /** The 7-character APRS timestamp as sent (`092345z`, `234517h`, `092345/`). */
  timestamp?: string;
  object_name?: string;
  /** Objects/items: false when killed. */
  alive?: boolean;
  /** Mic-E message: `M0: Off Duty` … `Emergency`, custom `C0`…, or `Unknown`. */
  mtype?: string;
  /** PHG: power W, height ft, gain dB, directivity (0 omni, else degrees). */
  phg?: { power: number; height: number; gain: number; directivity: number };
  /** Radio range, miles (RNG extension or compressed `{`). */
  rng?: number;
  /** Mic-E device, when the suffix identifies it (e.g. `Kenwood TH-D72`). */
  device?: string;
}

export const KNOTS_TO_KMH = 1.852;
export const FEET_TO_M = 0.3048;
