import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FragmentAssembler } from './reassembly.js';
import { parseAisSentence, type AisFragment } from './sentence.js';

const part1 = '!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C';
const part2 = '!AIVDM,2,2,1,A,88888888880,2*25';
const fragment = (line: string): AisFragment => parseAisSentence(line) as AisFragment;

test('ais reassembly: two fragments make one 424-bit message', () => {
  const assembler = new FragmentAssembler();
  assert.equal(assembler.add(fragment(part1), 0), undefined);
  const message = assembler.add(fragment(part2), 10);
  assert.ok(message);
  assert.equal(message.bits.length, 424);
  assert.deepEqual(message.sentences, [part1, part2]);
  assert.equal(assembler.pendingCount, 0);
});

test('ais reassembly: a second fragment without its first, or a duplicate, is discarded', () => {
  const assembler = new FragmentAssembler();
  assert.equal(assembler.add(fragment(part2), 0), undefined);
  assert.equal(assembler.counters.fragmentsDiscarded, 1);
  assembler.add(fragment(part1), 0);
  assembler.add(fragment(part1), 0); // restart: the first buffer is dropped as incomplete
  assert.equal(assembler.counters.incompleteDropped, 1);
  assert.ok(assembler.add(fragment(part2), 0));
});

test('ais reassembly: incomplete messages time out', () => {
  const assembler = new FragmentAssembler(2000);
  assembler.add(fragment(part1), 0);
  assembler.add(fragment(part1.replace(',1,A,', ',2,A,').replace('*1C', '*1F')), 2500); // another key; expires the first
  assert.equal(assembler.counters.incompleteDropped, 1);
  assert.equal(assembler.add(fragment(part2), 2600), undefined, 'the expired first part is gone');
});

test('ais reassembly: the pending table is bounded', () => {
  const assembler = new FragmentAssembler(60_000, 4);
  for (let id = 0; id < 10; id++) {
    const body = `AIVDM,2,1,${id},A,55?MbV02,0`;
    let sum = 0;
    for (const c of body) sum ^= c.charCodeAt(0);
    assembler.add(fragment(`!${body}*${sum.toString(16).toUpperCase().padStart(2, '0')}`), 0);
  }
  assert.equal(assembler.pendingCount, 4);
  assert.equal(assembler.counters.incompleteDropped, 6);
});
