// Fuzz: random bytes, mutated captures, and mutated sentences whose checksums are fixed up
// (so the damage reaches reassembly and the message decoders), through the AIS pipeline and
// toCot. Asserts nothing escapes, state stays bounded and every value is physically sane.
// Bounded by iteration count and a time cap; seeded, so a failure reproduces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createAisPipeline, type AisPipeline } from '../hal/drivers/ais/pipeline.js';
import type { AisMessage } from '../hal/drivers/ais/decoder.js';
import { createAisToCot } from '../hal/drivers/ais/to-cot.js';
import { mutate, randomBytes } from './support/mutate.js';
import { seededRandom } from './support/generators.js';
import { aisCorpusDir } from './support/paths.js';

const ITERATIONS = 2000;
const TIME_CAP_MS = 12_000;
const toCot = createAisToCot();
const ARMOUR = '0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVW`abcdefghijklmnopqrstuvw';

function check(message: AisMessage): void {
  const r = message.report;
  assert.ok(r.type >= 0 && r.type < 64);
  if (r.lat !== undefined) assert.ok(Math.abs(r.lat) <= 90 && Number.isFinite(r.lat));
  if (r.lon !== undefined) assert.ok(Math.abs(r.lon) <= 180 && Number.isFinite(r.lon));
  if (r.speed !== undefined) assert.ok(r.speed >= 0 && r.speed <= 1022);
  if (r.course !== undefined) assert.ok(r.course >= 0 && r.course < 511);
  if (r.heading !== undefined) assert.ok(r.heading >= 0 && r.heading < 511);
  const event = toCot(message, { sourceId: 'fuzz', now: 0 });
  if (event !== undefined) {
    if (event.track !== undefined) assert.ok(event.track.course >= 0 && event.track.course < 360 && event.track.speed >= 0);
    assert.ok(Number.isFinite(event.point.lat) && Number.isFinite(event.point.lon));
    assert.ok(event.uid.length > 4);
  }
}

function feed(pipeline: AisPipeline, input: Buffer, next: () => number): void {
  let offset = 0;
  while (offset < input.length) {
    const size = 1 + Math.floor(next() * 300);
    pipeline.push(input.subarray(offset, offset + size), check);
    offset += size;
  }
  const d = pipeline.decoder;
  assert.ok(pipeline.framer.counters.bytesDropped <= input.length + 1);
  assert.ok(d.vessels.size <= 4096);
}

function withChecksum(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum ^= body.charCodeAt(i);
  return `!${body}*${sum.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** Damages a sentence's fields (payload characters, fragment numbers, fill) and re-signs it. */
function mutateSentence(line: string, next: () => number): string {
  const star = line.lastIndexOf('*');
  if (!line.startsWith('!') || star < 0) return line;
  const fields = line.slice(1, star).split(',');
  if (fields.length < 7) return line;
  const edits = 1 + Math.floor(next() * 4);
  for (let i = 0; i < edits; i++) {
    const which = Math.floor(next() * 6);
    if (which === 0) fields[1] = String(Math.floor(next() * 10));
    else if (which === 1) fields[2] = String(Math.floor(next() * 10));
    else if (which === 2) fields[6] = String(Math.floor(next() * 7));
    else {
      const chars = fields[5].split('');
      const at = Math.floor(next() * (chars.length + 1));
      const c = ARMOUR[Math.floor(next() * ARMOUR.length)];
      if (which === 3) chars.splice(at, 0, c);
      else if (which === 4) chars.splice(at, 1 + Math.floor(next() * 30));
      else chars[at] = c;
      fields[5] = chars.join('');
    }
  }
  return withChecksum(fields.join(','));
}

const captures = readdirSync(aisCorpusDir)
  .filter((f) => f.endsWith('.log') || f === 'sample.aivdm')
  .map((f) => readFileSync(join(aisCorpusDir, f)));

test('ais fuzz: random bytes never throw', () => {
  const next = seededRandom(0xa15);
  const started = Date.now();
  let iterations = 0;
  for (; iterations < ITERATIONS && Date.now() - started < TIME_CAP_MS; iterations++) {
    const input = randomBytes(next, Math.floor(next() * 2000));
    for (let i = 0; i < input.length; i++) if (next() < 0.3) input[i] = '!AIVDM,1*0\r\n'.charCodeAt(Math.floor(next() * 12));
    feed(createAisPipeline(), input, next);
  }
  assert.ok(iterations > 0);
});

test('ais fuzz: mutated captures never throw', () => {
  const next = seededRandom(0xa16);
  const started = Date.now();
  let iterations = 0;
  for (; iterations < ITERATIONS / 4 && Date.now() - started < TIME_CAP_MS; iterations++) {
    feed(createAisPipeline(), mutate(next, captures[Math.floor(next() * captures.length)]), next);
  }
  assert.ok(iterations > 0);
});

test('ais fuzz: re-signed damaged sentences reach the message decoders and stay sane', () => {
  const next = seededRandom(0xa17);
  const lines = captures.flatMap((c) => c.toString('latin1').split('\n').filter((l) => l.startsWith('!')));
  const started = Date.now();
  const pipeline = createAisPipeline(); // one long-lived pipeline: state must stay bounded
  let decoded = 0;
  let iterations = 0;
  for (; iterations < ITERATIONS * 10 && Date.now() - started < TIME_CAP_MS; iterations++) {
    const line = mutateSentence(lines[Math.floor(next() * lines.length)].trim(), next);
    pipeline.push(Buffer.from(`${line}\r\n`, 'latin1'), (m) => {
      decoded++;
      check(m);
    });
  }
  assert.ok(decoded > 0, 'some damaged messages still decode');
  const c = pipeline.decoder.counters;
  assert.ok(c.sentences > 0);
  assert.ok(pipeline.decoder.vessels.size <= 4096);
});
