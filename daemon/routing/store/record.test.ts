import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '../../../test/support/generators.js';
import { DurableQueue } from './durable-queue.js';
import { encodeDeliveredRecord, encodeEventRecord, KIND_EVENT, parseSegment } from './record.js';

function validSegment(count: number, random: () => number): Buffer {
  const records: Buffer[] = [];
  for (let seq = 0; seq < count; seq++) {
    if (random() < 0.2) records.push(encodeDeliveredRecord(Math.floor(random() * seq)));
    const body = Buffer.alloc(Math.floor(random() * 200), seq & 0xff);
    records.push(encodeEventRecord(Math.floor(random() * 3), seq, 1e12 + seq, body.length + 56, body));
  }
  return Buffer.concat(records);
}

test('records round-trip: event fields, body position, delivered markers', () => {
  const body = Buffer.from('<event/>');
  const bytes = Buffer.concat([encodeEventRecord(2, 7, 1234.5, 99, body), encodeDeliveredRecord(7)]);
  const { records, validBytes } = parseSegment(bytes);
  assert.equal(validBytes, bytes.length);
  const [event, delivered] = records;
  assert.equal(event.kind, KIND_EVENT);
  if (event.kind !== KIND_EVENT) return;
  assert.deepEqual({ lane: event.lane, seq: event.seq, stale: event.stale, wireBytes: event.wireBytes }, { lane: 2, seq: 7, stale: 1234.5, wireBytes: 99 });
  assert.equal(bytes.subarray(event.bodyOffset, event.bodyOffset + event.bodyLength).toString(), '<event/>');
  assert.deepEqual({ kind: delivered.kind, seq: delivered.seq }, { kind: 2, seq: 7 });
});

test('malformed segments: parsing stops at the first bad record and never throws', () => {
  const good = encodeEventRecord(1, 0, 1, 10, Buffer.from('abc'));
  const cases: [string, Buffer, number][] = [
    ['empty', Buffer.alloc(0), 0],
    ['a header cut short', good.subarray(0, 5), 0],
    ['length zero', Buffer.concat([good, Buffer.alloc(8)]), good.length],
    ['length past the end', Buffer.concat([good, Buffer.from([0xff, 0xff, 0, 0, 0, 0, 0, 0, 1])]), good.length],
    ['huge length', Buffer.concat([good, Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0])]), good.length],
    ['unknown kind', (() => { const b = Buffer.from(good); b[8] = 9; return b; })(), 0],
    ['checksum mismatch', (() => { const b = Buffer.from(good); b[b.length - 1] ^= 1; return b; })(), 0],
    ['zeros (a preallocated tail)', Buffer.concat([good, Buffer.alloc(4096)]), good.length],
  ];
  for (const [name, bytes, valid] of cases) assert.equal(parseSegment(bytes).validBytes, valid, name);
});

test('fuzz: random and mutated segments parse without throwing, and the queue opens over them', () => {
  const random = seededRandom(99);
  const dir = mkdtempSync(join(tmpdir(), 'takd-record-fuzz-'));
  const started = Date.now();
  try {
    for (let i = 0; i < 400 && Date.now() - started < 20_000; i++) {
      let bytes: Buffer;
      if (i % 4 === 0) {
        bytes = Buffer.alloc(Math.floor(random() * 600));
        for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(random() * 256);
      } else {
        bytes = validSegment(1 + Math.floor(random() * 30), random);
        const flips = 1 + Math.floor(random() * 4);
        for (let f = 0; f < flips; f++) bytes[Math.floor(random() * bytes.length)] ^= 1 << Math.floor(random() * 8);
        if (random() < 0.3) bytes = bytes.subarray(0, Math.floor(random() * bytes.length));
      }
      const parsed = parseSegment(bytes);
      assert.ok(parsed.validBytes <= bytes.length);
      for (const record of parsed.records) {
        if (record.kind === KIND_EVENT) assert.ok(record.bodyOffset + record.bodyLength <= parsed.validBytes);
      }
      // The same bytes as a segment file on disk: the queue recovers what is valid.
      const queueDir = join(dir, String(i));
      mkdirSync(queueDir);
      writeFileSync(join(queueDir, '0000000000.seg'), bytes);
      const queue = DurableQueue.open({ dir: queueDir, fsync: { mode: 'never' } });
      assert.ok(queue.length <= parsed.records.length);
      for (let lane = 0; lane < 4; lane++) {
        for (let entry = queue.peek(lane); entry; entry = queue.peek(lane)) {
          queue.read(entry);
          queue.markDelivered(entry);
        }
      }
      assert.equal(queue.length, 0);
      queue.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
