// Golden comparison of the AIS decoder with gpsd's expected reports (corpus/ais/*.ais.jsonl),
// following the corpus README: gpsd's repeats (empty `lines`) are skipped; every other
// expected report must come out of our decoder from the same sentences, and every field both
// decode (including the unscaled integers under `raw`) must be equal.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createAisPipeline } from '../../hal/drivers/ais/pipeline.js';
import type { AisReport } from '../../hal/drivers/ais/report.js';
import { aisCorpusDir } from './paths.js';

interface ExpectedReport {
  seq: number;
  line: number;
  lines: number[];
  sentences: string[];
  [field: string]: unknown;
}

export interface AisCaptureResult {
  name: string;
  /** Expected reports to compare (gpsd repeats excluded). */
  expected: number;
  /** Of those, how many we decoded with every shared field equal. */
  matching: number;
  /** Fields compared across all matched reports. */
  fieldsCompared: number;
  /** Our reports that gpsd did not emit. */
  extra: number;
  mismatches: string[];
}

/** Fields of the expected files that describe the capture rather than the message. */
const BOOKKEEPING = new Set(['seq', 'line', 'lines', 'sentences', 'gpsd_repeat_of_seq']);

export function aisCaptureLogs(): string[] {
  return readdirSync(aisCorpusDir)
    .filter((f) => f.endsWith('.ais.jsonl'))
    .map((f) => f.slice(0, -'.ais.jsonl'.length))
    .sort();
}

/** The log file for an expected file: `NAME.ais.jsonl` → `NAME.log`, or `NAME` itself (sample.aivdm). */
function logPath(name: string): string {
  const candidates = readdirSync(aisCorpusDir);
  return join(aisCorpusDir, candidates.includes(`${name}.log`) ? `${name}.log` : name);
}

function sameValue(ours: unknown, theirs: unknown): boolean {
  if (typeof ours === 'number' && typeof theirs === 'number') return Math.abs(ours - theirs) < 1e-9;
  return ours === theirs;
}

export function compareAisCapture(name: string): AisCaptureResult {
  const expectedLines = readFileSync(join(aisCorpusDir, `${name}.ais.jsonl`), 'utf8').split('\n').filter((l) => l.trim() !== '');
  const expected = expectedLines.map((l) => JSON.parse(l) as ExpectedReport).filter((r) => r.lines.length > 0);
  // Our reports, queued by the sentences that made them.
  const ours = new Map<string, AisReport[]>();
  const pipeline = createAisPipeline({ clock: () => 0 });
  let produced = 0;
  pipeline.push(readFileSync(logPath(name)), (message) => {
    produced++;
    const key = message.sentences.join('\n');
    const queue = ours.get(key) ?? [];
    queue.push(message.report);
    ours.set(key, queue);
  });
  pipeline.push(Buffer.from('\n'), () => undefined);
  const result: AisCaptureResult = { name, expected: expected.length, matching: 0, fieldsCompared: 0, extra: 0, mismatches: [] };
  let matched = 0;
  for (const want of expected) {
    const got = ours.get(want.sentences.join('\n'))?.shift();
    if (got === undefined) {
      result.mismatches.push(`line ${want.line} (type ${String(want.type)}): not decoded`);
      continue;
    }
    matched++;
    const differences: string[] = [];
    const compare = (path: string, ourValue: unknown, theirValue: unknown): void => {
      if (ourValue === undefined || theirValue === undefined) return; // only fields both decode
      result.fieldsCompared++;
      if (!sameValue(ourValue, theirValue)) differences.push(`${path}: ours ${JSON.stringify(ourValue)}, gpsd ${JSON.stringify(theirValue)}`);
    };
    const gotFields = got as unknown as Record<string, unknown>;
    for (const [field, value] of Object.entries(want)) {
      if (BOOKKEEPING.has(field)) continue;
      if (field === 'raw') {
        const rawOurs = (got.raw ?? {}) as Record<string, unknown>;
        for (const [rawField, rawValue] of Object.entries(value as Record<string, unknown>)) compare(`raw.${rawField}`, rawOurs[rawField], rawValue);
      } else {
        compare(field, gotFields[field], value);
      }
    }
    if (differences.length === 0) result.matching++;
    else result.mismatches.push(`line ${want.line} (type ${String(want.type)}): ${differences.join('; ')}`);
  }
  result.extra = produced - matched;
  return result;
}
