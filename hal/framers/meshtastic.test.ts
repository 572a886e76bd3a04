import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MeshtasticFramer, meshtasticFrame } from './meshtastic.js';

import { EXAMPLE_A1, EXAMPLE_B, EXAMPLE_C, EXAMPLE_D, SPEC_STREAM as SPEC_FIXTURE } from '../drivers/meshtastic/fixtures.js';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

function run(framer: MeshtasticFramer, ...chunks: Buffer[]): Buffer[] {
  const frames: Buffer[] = [];
  for (const chunk of chunks) framer.push(chunk, (f) => frames.push(Buffer.from(f)));
  return frames;
}

test('meshtastic framer: the spec fixture gives 4 frames and one log line', () => {
  const lines: string[] = [];
  const framer = new MeshtasticFramer((l) => lines.push(l));
  const frames = run(framer, SPEC_FIXTURE);
  assert.deepEqual(frames.map((f) => f.length), [6, 83, 116, 30]);
  assert.deepEqual(lines, ['boot log line']);
  assert.equal(framer.counters.bytesDropped, 0);
  assert.deepEqual(frames.map((f) => f.length + 4), [EXAMPLE_A1, EXAMPLE_B, EXAMPLE_C, EXAMPLE_D].map((e) => e.length));
});

test('meshtastic framer: byte-at-a-time gives the same frames', () => {
  const framer = new MeshtasticFramer();
  const frames = run(framer, ...[...SPEC_FIXTURE].map((b) => Buffer.from([b])));
  assert.deepEqual(frames, run(new MeshtasticFramer(), SPEC_FIXTURE));
});

test('meshtastic framer: 0x94 not followed by 0xC3, and 0x94 0x94 0xC3', () => {
  const framer = new MeshtasticFramer();
  const frames = run(framer, hex('94 A5 00 02 01 02'), hex('94 94 C3 00 01 7F'));
  assert.deepEqual(frames.map((f) => f.toString('hex')), ['7f']);
  assert.equal(framer.counters.bytesDropped, 2);
});

test('meshtastic framer: a length over 512 is dropped and the hunt restarts; 0 is a legal empty frame', () => {
  const framer = new MeshtasticFramer();
  const frames = run(framer, hex('94 C3 02 01'), hex('94 C3 00 00'), meshtasticFrame(Buffer.alloc(512, 1)));
  assert.deepEqual(frames.map((f) => f.length), [0, 512]);
  assert.equal(framer.counters.oversize, 1);
  assert.throws(() => meshtasticFrame(Buffer.alloc(513)));
});

test('meshtastic framer: long console lines are split, reset drops a partial frame', () => {
  const lines: string[] = [];
  const framer = new MeshtasticFramer((l) => lines.push(l));
  run(framer, Buffer.alloc(300, 0x41), Buffer.from('\n'));
  assert.deepEqual(lines.map((l) => l.length), [256, 44]);
  run(framer, hex('94 C3 00 05 01 02'));
  framer.reset();
  assert.equal(framer.counters.bytesDropped, 6);
  assert.deepEqual(run(framer, hex('94 C3 00 01 09')).map((f) => f.toString('hex')), ['09']);
});
