// Golden comparison of the NMEA decoder with gpsd's expected TPVs (corpus/gnss/*.tpv.jsonl),
// following the corpus README: for every `epoch_last` TPV with a time, the decoder must have a
// fix with that time and the same mode, lat/lon, altitudes, speed, track and DGPS/RTK status.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { GnssFix } from '../../hal/contract.js';
import { LineFramer } from '../../hal/framers/lines.js';
import { NmeaGnssDecoder } from '../../hal/drivers/nmea-gnss/decoder.js';
import { gnssCorpusDir } from './paths.js';

export interface ExpectedTpv {
  line: number;
  mode: number;
  status?: number;
  time?: string;
  lat?: number;
  lon?: number;
  altMSL?: number;
  altHAE?: number;
  geoidSep?: number;
  speed?: number;
  track?: number;
  epoch_last?: boolean;
}

export interface CaptureResult {
  name: string;
  epochs: number;
  agree: number;
  /** One line per disagreement: time and what differs. */
  mismatches: string[];
  /** Values gpsd modelled itself (README: not expected from a plain decoder), counted by field. */
  gpsdModelled: Record<string, number>;
}

export function captureNames(): string[] {
  return readdirSync(gnssCorpusDir)
    .filter((f) => f.endsWith('.tpv.jsonl'))
    .map((f) => f.slice(0, -'.tpv.jsonl'.length))
    .sort();
}

export function decodeCapture(bytes: Buffer): GnssFix[] {
  const framer = new LineFramer({ commentChar: '#' });
  const decoder = new NmeaGnssDecoder();
  const fixes: GnssFix[] = [];
  const emitFix = (fix: GnssFix): void => {
    fixes.push(fix);
  };
  framer.push(bytes, (sentence) => decoder.decode(sentence, emitFix));
  decoder.flush(emitFix);
  return fixes;
}

export function readExpected(name: string): ExpectedTpv[] {
  return readFileSync(join(gnssCorpusDir, `${name}.tpv.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as ExpectedTpv);
}

function near(a: number | undefined, b: number | undefined, tolerance: number): boolean {
  return a !== undefined && b !== undefined && Math.abs(a - b) <= tolerance + 1e-12;
}

/** What differs between gpsd's final TPV of an epoch and our fix for it ('' when they agree). */
function compare(expected: ExpectedTpv, fix: GnssFix, modelled: Record<string, number>): string {
  const problems: string[] = [];
  if (fix.mode !== expected.mode) problems.push(`mode ${fix.mode}≠${expected.mode}`);
  if (expected.mode >= 2) {
    if (!near(fix.lat, expected.lat, 1e-6) || !near(fix.lon, expected.lon, 1e-6)) {
      problems.push(`pos ${fix.lat},${fix.lon}≠${expected.lat},${expected.lon}`);
    }
    if (expected.altMSL !== undefined && !near(fix.altMSL, expected.altMSL, 0.05)) {
      problems.push(`altMSL ${fix.altMSL}≠${expected.altMSL}`);
    }
    if (expected.altHAE !== undefined) {
      if (fix.geoidSep === undefined) modelled.altHAE = (modelled.altHAE ?? 0) + 1;
      else if (!near(fix.altHAE, expected.altHAE, 0.1)) problems.push(`altHAE ${fix.altHAE}≠${expected.altHAE}`);
    }
    for (const [key, tolerance] of [['speed', 0.01], ['track', 0.01]] as const) {
      const want = expected[key];
      if (want === undefined) continue;
      // No RMC/VTG in the epoch: gpsd computed the value from successive positions.
      if (fix[key] === undefined) modelled[key] = (modelled[key] ?? 0) + 1;
      else if (!near(fix[key], want, tolerance)) problems.push(`${key} ${fix[key]}≠${want}`);
    }
    const wantStatus = expected.status ?? 1;
    if (wantStatus >= 2 && wantStatus <= 4 && fix.status !== wantStatus) problems.push(`status ${fix.status}≠${wantStatus}`);
  }
  return problems.join(', ');
}

export function compareCapture(name: string): CaptureResult {
  const fixes = decodeCapture(readFileSync(join(gnssCorpusDir, `${name}.log`)));
  const byTime = new Map<string, GnssFix>();
  for (const fix of fixes) if (fix.time !== undefined) byTime.set(new Date(fix.time).toISOString(), fix);
  const result: CaptureResult = { name, epochs: 0, agree: 0, mismatches: [], gpsdModelled: {} };
  for (const expected of readExpected(name)) {
    if (!expected.epoch_last || expected.time === undefined) continue;
    result.epochs++;
    const fix = byTime.get(expected.time);
    const problem = fix === undefined ? 'no fix with this time' : compare(expected, fix, result.gpsdModelled);
    if (problem === '') result.agree++;
    else result.mismatches.push(`${expected.time} (line ${expected.line}): ${problem}`);
  }
  return result;
}
