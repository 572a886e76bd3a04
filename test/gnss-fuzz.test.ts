// Fuzz: random bytes and mutated corpus captures through the line framer and NMEA decoder.
// Asserts that nothing throws, memory stays bounded and every fix is physically sane.
// Bounded by iteration count and a time cap; seeded, so a failure reproduces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GnssFix } from '../hal/contract.js';
import { createNmeaPipeline } from '../hal/drivers/nmea-gnss/pipeline.js';
import { captureNames } from './support/gnss-golden.js';
import { gnssCorpusDir } from './support/paths.js';

const ITERATIONS = 3000;
const TIME_CAP_MS = 15_000;

/** xorshift32: small, seeded, good enough to pick mutations. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
}

function checkFix(fix: GnssFix): void {
  assert.ok([0, 1, 2, 3].includes(fix.mode));
  if (fix.mode < 2) assert.equal(fix.lat, undefined, 'no position without a fix');
  if (fix.lat !== undefined) assert.ok(Math.abs(fix.lat) <= 90 && Number.isFinite(fix.lat));
  if (fix.lon !== undefined) assert.ok(Math.abs(fix.lon) <= 180 && Number.isFinite(fix.lon));
  if (fix.speed !== undefined) assert.ok(Number.isFinite(fix.speed));
  if (fix.time !== undefined) assert.ok(Number.isFinite(fix.time));
  assert.ok(fix.sentences.length <= 64, 'an epoch is bounded');
}

function mutate(input: Buffer, next: () => number): Buffer {
  const out = Buffer.from(input);
  const edits = 1 + Math.floor(next() * 20);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(next() * out.length);
    const choice = next();
    if (choice < 0.4) out[at] = Math.floor(next() * 256);
    else if (choice < 0.6) out[at] = ',*$\r\n.-9'.charCodeAt(Math.floor(next() * 9));
    else if (choice < 0.8) out.copyWithin(at, Math.floor(next() * out.length));
    else out.fill(0x39, at, Math.min(out.length, at + Math.floor(next() * 400)));
  }
  return out;
}

function runOnce(input: Buffer, next: () => number): void {
  const pipeline = createNmeaPipeline();
  let offset = 0;
  while (offset < input.length) {
    const size = 1 + Math.floor(next() * 300);
    pipeline.push(input.subarray(offset, offset + size), checkFix);
    offset += size;
  }
  pipeline.flush(checkFix);
  const c = pipeline.framer.counters;
  assert.ok(c.bytesDropped <= input.length, 'each byte is dropped at most once');
  assert.ok(c.frames <= input.length / 4);
}

test('fuzz: random bytes never throw and never produce an impossible fix', () => {
  const next = random(0x5eed);
  const started = Date.now();
  let iterations = 0;
  for (; iterations < ITERATIONS && Date.now() - started < TIME_CAP_MS; iterations++) {
    const input = Buffer.alloc(Math.floor(next() * 2000));
    for (let i = 0; i < input.length; i++) input[i] = next() < 0.3 ? '$GPGA,*0123456789.NSEW\r\n'.charCodeAt(Math.floor(next() * 24)) : Math.floor(next() * 256);
    runOnce(input, next);
  }
  assert.ok(iterations > 0);
});

test('fuzz: mutated corpus captures never throw and never produce an impossible fix', () => {
  const captures = captureNames().map((name) => readFileSync(join(gnssCorpusDir, `${name}.log`)));
  const next = random(0xc0ffee);
  const started = Date.now();
  let iterations = 0;
  for (; iterations < ITERATIONS && Date.now() - started < TIME_CAP_MS; iterations++) {
    const capture = captures[Math.floor(next() * captures.length)];
    runOnce(mutate(capture, next), next);
  }
  assert.ok(iterations > 0);
});

test('malformed: every line the corpus manifest says gpsd rejected is rejected by the framer too', () => {
  const manifest = JSON.parse(readFileSync(join(gnssCorpusDir, 'manifest.json'), 'utf8')) as {
    files: { log: string; non_comment_lines_not_echoed: number[] }[];
  };
  let checked = 0;
  for (const file of manifest.files) {
    const lines = readFileSync(join(gnssCorpusDir, file.log), 'latin1').split('\n');
    for (const lineNumber of file.non_comment_lines_not_echoed) {
      const pipeline = createNmeaPipeline();
      pipeline.push(Buffer.from(`${lines[lineNumber - 1]}\r\n`, 'latin1'), () => undefined);
      assert.equal(pipeline.framer.counters.frames, 0, `${file.log}:${lineNumber}`);
      checked++;
    }
  }
  assert.equal(checked, 3);
});
