// Torn and corrupted segment files (issue 16): every segment cut at every record boundary
// and at random offsets, and random bit flips (seeded). Each time the queue opens, counts
// what it cut (tornBytes, tornSegments), and delivers exactly the records before the cut,
// lane by lane in the order appended, bodies intact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '../../../test/support/generators.js';
import { DurableQueue } from './durable-queue.js';
import { KIND_EVENT, parseSegment, type QueueRecord } from './record.js';

const LANES = 4;

function bodyOf(seq: number): Buffer {
  return Buffer.from(`event ${seq} `.padEnd(40 + ((seq * 37) % 300), String.fromCharCode(97 + (seq % 26))));
}

interface Pristine {
  files: { name: string; bytes: Buffer; records: QueueRecord[]; starts: number[] }[];
}

/** A queue over several segments with some events delivered, as files. */
function buildPristine(root: string): Pristine {
  const dir = join(root, 'pristine');
  const queue = DurableQueue.open({ dir, fsync: { mode: 'never' }, segmentBytes: 4096 });
  const random = seededRandom(1616);
  for (let i = 0; i < 160; i++) {
    queue.append(Math.floor(random() * LANES), 1e13, bodyOf(i));
    // Deliver now and then, so delivered records sit in the middle of segments too.
    if (random() < 0.3) {
      const lane = Math.floor(random() * LANES);
      const entry = queue.peek(lane);
      if (entry) queue.markDelivered(entry);
    }
  }
  queue.close();
  const files = readdirSync(dir)
    .sort()
    .map((name) => {
      const bytes = readFileSync(join(dir, name));
      const { records, validBytes } = parseSegment(bytes);
      assert.equal(validBytes, bytes.length);
      const starts: number[] = [];
      let offset = 0;
      for (const record of records) {
        starts.push(offset);
        offset += record.size;
      }
      starts.push(offset);
      return { name, bytes, records, starts };
    });
  assert.ok(files.length >= 6, `${files.length} segments`);
  return { files };
}

/** What the queue must deliver when segment i keeps only its records before `keep[i]`, by lane, in order. */
function expected(pristine: Pristine, keep: number[]): string[][] {
  const events: { seq: number; lane: number }[] = [];
  const delivered = new Set<number>();
  pristine.files.forEach((file, i) => {
    file.records.forEach((record, r) => {
      if (r >= keep[i]) return;
      if (record.kind === KIND_EVENT) events.push({ seq: record.seq, lane: record.lane });
      else delivered.add(record.seq);
    });
  });
  const lanes: string[][] = Array.from({ length: LANES }, () => []);
  for (const { seq, lane } of events) if (!delivered.has(seq)) lanes[lane].push(bodyOf(seq).toString());
  return lanes;
}

function deliverAll(queue: DurableQueue): string[][] {
  const lanes: string[][] = Array.from({ length: LANES }, () => []);
  for (let lane = 0; lane < LANES; lane++) {
    for (let entry = queue.peek(lane); entry; entry = queue.peek(lane)) {
      lanes[lane].push(queue.read(entry).toString());
      queue.markDelivered(entry);
    }
  }
  return lanes;
}

/** Lays the files down (as changed by `change`), opens the queue, and checks it against the model. */
function check(root: string, pristine: Pristine, name: string, change: (bytes: Buffer, index: number) => { bytes: Buffer; keep: number }): void {
  const dir = join(root, 'case');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  const keep: number[] = [];
  let cutBytes = 0;
  let cutSegments = 0;
  pristine.files.forEach((file, i) => {
    const { bytes, keep: kept } = change(Buffer.from(file.bytes), i);
    keep.push(kept);
    const validBytes = file.starts[kept];
    if (bytes.length > validBytes) {
      cutBytes += bytes.length - validBytes;
      cutSegments += 1;
    }
    writeFileSync(join(dir, file.name), bytes, { flag: 'w' });
  });
  const queue = DurableQueue.open({ dir, fsync: { mode: 'never' }, segmentBytes: 4096 });
  try {
    assert.equal(queue.counters.tornBytes, cutBytes, `${name}: tornBytes`);
    assert.equal(queue.counters.tornSegments, cutSegments, `${name}: tornSegments`);
    const want = expected(pristine, keep);
    assert.equal(queue.length, want.flat().length, `${name}: length`);
    assert.deepEqual(deliverAll(queue), want, `${name}: delivered`);
    // The queue goes on working over the repaired files.
    queue.append(1, 1e13, bodyOf(9999));
    assert.deepEqual(deliverAll(queue)[1], [bodyOf(9999).toString()], `${name}: append after repair`);
  } finally {
    queue.close();
  }
}

function withRoot(t: { after(fn: () => void): void }): string {
  const root = mkdtempSync(join(tmpdir(), 'takd-torn-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  return root;
}

/** How many whole records of a file end at or before `offset`. */
function recordsBefore(starts: number[], offset: number): number {
  let n = 0;
  while (n + 1 < starts.length && starts[n + 1] <= offset) n += 1;
  return n;
}

test('every segment cut at every record boundary and at random offsets: the queue opens, counts the cut, delivers the rest in order', (t) => {
  const root = withRoot(t);
  const pristine = buildPristine(root);
  const random = seededRandom(16);
  let cases = 0;
  pristine.files.forEach((file, target) => {
    const offsets = new Set<number>(file.starts);
    for (let r = 0; r < 12; r++) offsets.add(Math.floor(random() * file.bytes.length));
    for (const offset of offsets) {
      check(root, pristine, `${file.name} cut at ${offset}`, (bytes, i) =>
        i === target ? { bytes: bytes.subarray(0, offset), keep: recordsBefore(file.starts, offset) } : { bytes, keep: pristine.files[i].records.length },
      );
      cases += 1;
    }
  });
  assert.ok(cases > 200, `${cases} cases`);
});

test('random bit flips (seeded): each touched segment is cut at the first damaged record, counted, and the rest delivered in order', (t) => {
  const root = withRoot(t);
  const pristine = buildPristine(root);
  const random = seededRandom(1_000_016);
  for (let trial = 0; trial < 150; trial++) {
    const flips = new Map<number, number[]>();
    for (let f = 1 + Math.floor(random() * 3); f > 0; f--) {
      const target = Math.floor(random() * pristine.files.length);
      const list = flips.get(target) ?? [];
      // (distinct bits: flipping one twice would leave it intact)
      list.push(Math.floor(random() * pristine.files[target].bytes.length * 8));
      flips.set(target, [...new Set(list)]);
    }
    check(root, pristine, `trial ${trial}: flips ${JSON.stringify([...flips])}`, (bytes, i) => {
      const file = pristine.files[i];
      const bits = flips.get(i) ?? [];
      for (const bit of bits) bytes[bit >> 3] ^= 1 << (bit & 7);
      const firstDamaged = Math.min(file.records.length, ...bits.map((bit) => recordsBefore(file.starts, bit >> 3)));
      return { bytes, keep: firstDamaged };
    });
  }
});
