import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, rmdirSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DurableQueue, type DurableQueueOptions } from './durable-queue.js';
import { parseSegment } from './record.js';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'takd-queue-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function body(seq: number): Buffer {
  return Buffer.from(`<event uid="E-${seq}"/>`.padEnd(80 + (seq % 50), ' '));
}

/** Everything still queued, lane by lane, delivered as the router would. */
function drain(queue: DurableQueue): { lane: number; text: string }[] {
  const out: { lane: number; text: string }[] = [];
  for (let lane = 0; lane < 4; lane++) {
    for (let entry = queue.peek(lane); entry; entry = queue.peek(lane)) {
      out.push({ lane, text: queue.read(entry).toString().trimEnd() });
      queue.markDelivered(entry);
    }
  }
  return out;
}

function open(dir: string, extra: Partial<DurableQueueOptions> = {}): DurableQueue {
  return DurableQueue.open({ dir, fsync: { mode: 'never' }, ...extra });
}

test('append, reopen, deliver in lane order, and delivered entries do not come back', (t) => {
  const dir = tempDir(t);
  let queue = open(dir);
  for (let seq = 0; seq < 30; seq++) queue.append(3 - (seq % 3), Date.UTC(2030, 0, 1), body(seq));
  assert.equal(queue.length, 30);
  const first = queue.peek(1);
  assert.ok(first);
  assert.match(queue.read(first).toString(), /E-2"/);
  queue.markDelivered(first);
  queue.close();

  queue = open(dir);
  assert.equal(queue.counters.recovered, 29);
  const delivered = drain(queue);
  assert.deepEqual(
    delivered.map((d) => d.lane),
    [...Array(9).fill(1), ...Array(10).fill(2), ...Array(10).fill(3)],
  );
  assert.equal(delivered[0].text, '<event uid="E-5"/>', 'oldest first within a lane, E-2 already delivered');
  assert.equal(queue.length, 0);
  assert.deepEqual(readdirSync(dir), [], 'nothing left on disk once all is delivered');
  queue.close();
  assert.equal(open(dir).length, 0);
});

test('a torn last record is detected by length or checksum, dropped, and the rest delivered', (t) => {
  const dir = tempDir(t);
  const queue = open(dir);
  for (let seq = 0; seq < 10; seq++) queue.append(1, Date.UTC(2030, 0, 1), body(seq));
  queue.close();
  const [segment] = readdirSync(dir);
  const path = join(dir, segment);
  const whole = statSync(path).size;

  // A record cut off mid-payload, as a power loss leaves it.
  const torn = readFileSync(path).subarray(0, 60);
  appendFileSync(path, torn);
  let reopened = open(dir);
  assert.equal(reopened.length, 10);
  assert.equal(reopened.counters.tornBytes, 60);
  assert.equal(statSync(path).size, whole, 'the torn tail is cut off on disk');
  reopened.append(1, Date.UTC(2030, 0, 1), body(10));
  reopened.close();

  // A last record whose bytes are all there but wrong (checksum mismatch).
  const bytes = readFileSync(path);
  bytes[bytes.length - 3] ^= 0xff;
  writeFileSync(path, bytes);
  reopened = open(dir);
  assert.ok(reopened.counters.tornBytes > 0);
  assert.deepEqual(
    drain(reopened).map((d) => d.text),
    Array.from({ length: 10 }, (_, seq) => `<event uid="E-${seq}"/>`),
  );
  reopened.close();
});

test('bounded in bytes: the oldest segment is evicted and counted', (t) => {
  const dir = tempDir(t);
  const queue = open(dir, { maxBytes: 256 * 1024, segmentBytes: 16 * 1024 });
  for (let seq = 0; seq < 10_000; seq++) queue.append(2, Date.UTC(2030, 0, 1), body(seq));
  assert.ok(queue.bytes <= 256 * 1024, `${queue.bytes} bytes`);
  assert.ok(queue.counters.evicted > 0);
  assert.equal(queue.counters.evicted + queue.length, 10_000);
  const first = queue.peek(2);
  assert.ok(first);
  assert.equal(queue.read(first).toString().trimEnd(), `<event uid="E-${queue.counters.evicted}"/>`, 'the newest are kept');
  queue.close();
});

test('segments are deleted only from the oldest, once fully delivered', (t) => {
  const dir = tempDir(t);
  const queue = open(dir, { segmentBytes: 4 * 1024 });
  for (let seq = 0; seq < 200; seq++) queue.append(seq < 100 ? 2 : 1, Date.UTC(2030, 0, 1), body(seq));
  const before = readdirSync(dir).length;
  // Lane 1 holds the newer half: delivering it frees no segment while lane 2's older ones wait.
  for (let entry = queue.peek(1); entry; entry = queue.peek(1)) queue.markDelivered(entry);
  assert.ok(readdirSync(dir).length >= before);
  queue.close();
  const reopened = open(dir, { segmentBytes: 4 * 1024 });
  assert.equal(reopened.length, 100);
  const beforeSecondHalf = readdirSync(dir).length;
  for (let entry = reopened.peek(2); entry && entry.seq < 90; entry = reopened.peek(2)) reopened.markDelivered(entry);
  assert.ok(readdirSync(dir).length < beforeSecondHalf, 'the oldest segments went');
  reopened.close();
});

test('fsync policy: always syncs per write, interval batches, never does not', (t) => {
  const always = open(tempDir(t), { fsync: { mode: 'always' } });
  const never = open(tempDir(t), { fsync: { mode: 'never' } });
  const interval = open(tempDir(t), { fsync: { mode: 'interval', intervalMs: 3_600_000 } });
  for (let seq = 0; seq < 20; seq++) for (const queue of [always, never, interval]) queue.append(1, 0, body(seq));
  assert.equal(always.counters.syncs, 20);
  assert.equal(never.counters.syncs, 0);
  assert.equal(interval.counters.syncs, 0);
  interval.close();
  assert.equal(interval.counters.syncs, 1, 'close syncs what is pending');
  always.close();
  never.close();
});

test('a process killed with SIGKILL while appending leaves a queue that opens with every acknowledged event', async (t) => {
  const dir = tempDir(t);
  const moduleUrl = new URL('./durable-queue.js', import.meta.url).href;
  // The child appends as fast as it can and reports every 500th sequence number it wrote.
  const script = `
    import { DurableQueue } from ${JSON.stringify(moduleUrl)};
    const queue = DurableQueue.open({ dir: ${JSON.stringify(dir)}, fsync: { mode: 'never' }, segmentBytes: 256 * 1024 });
    for (let seq = 0; ; seq++) {
      queue.append(1 + (seq % 3), 4102444800000, Buffer.from('<event uid="E-' + seq + '"/>'.padEnd(80 + (seq % 50), ' ')));
      if (seq % 500 === 499) process.stdout.write(seq + '\\n');
    }`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => child.kill('SIGKILL'));
  const acknowledged = await new Promise<number>((resolve, reject) => {
    let text = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      text += chunk;
      const lines = text.split('\n').filter((l) => l !== '');
      const last = Number(lines.at(-1));
      if (last >= 20_000) {
        child.kill('SIGKILL');
        resolve(last);
      }
    });
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child exited early: ${code}`));
    });
  });
  await new Promise((resolve) => child.once('close', resolve));

  const queue = open(dir);
  assert.ok(queue.length > acknowledged, `recovered ${queue.length}, acknowledged up to seq ${acknowledged}`);
  const seen = drain(queue).map((d) => Number(/E-(\d+)/.exec(d.text)?.[1]));
  seen.sort((a, b) => a - b);
  seen.forEach((seq, index) => assert.equal(seq, index, 'no gap and no duplicate'));
  for (const name of readdirSync(dir)) assert.equal(parseSegment(readFileSync(join(dir, name))).validBytes, statSync(join(dir, name)).size);
  queue.close();
});

test('take: a taken event is skipped and not counted, stays on disk until markDelivered, and a crash brings it back', (t) => {
  const dir = tempDir(t);
  const queue = open(dir);
  for (let seq = 0; seq < 3; seq++) queue.append(1, 0, body(seq));
  const first = queue.peek(1);
  assert.ok(first);
  queue.take(first);
  assert.equal(queue.length, 2);
  assert.notEqual(queue.peek(1), first, 'peek skips it');
  // A crash now (the queue is never closed): the files still hold it as undelivered.
  const crashed = open(dir);
  assert.equal(crashed.length, 3);
  crashed.close();
  for (let entry = queue.peek(1); entry; entry = queue.peek(1)) queue.markDelivered(entry);
  assert.equal(queue.length, 0);
  assert.ok(readdirSync(dir).length > 0, 'not deleted while a taken event is not yet delivered');
  queue.markDelivered(first);
  assert.deepEqual(readdirSync(dir), [], 'then everything goes');
  queue.close();
});

test('markDelivered after close does nothing: the event comes back when the queue opens again', (t) => {
  const dir = tempDir(t);
  const queue = open(dir);
  for (let seq = 0; seq < 2; seq++) queue.append(1, 0, body(seq));
  const first = queue.peek(1);
  assert.ok(first);
  queue.take(first);
  queue.close();
  queue.markDelivered(first);
  const reopened = open(dir);
  assert.equal(reopened.length, 2);
  reopened.close();
});

test('a segment file that cannot be created (disk full) does not break the queue: the next deliveries and the clean-up work', (t) => {
  const dir = tempDir(t);
  // Two events fill the first segment (110 + 111 bytes): the next record needs a new file.
  const queue = open(dir, { segmentBytes: 230 });
  queue.append(1, 0, body(0));
  queue.append(1, 0, body(1));
  // Stands in for ENOSPC when the next segment file is created: a directory in its place.
  mkdirSync(join(dir, '0000000001.seg'));
  const first = queue.peek(1);
  assert.ok(first);
  assert.throws(() => queue.markDelivered(first), 'its delivered record cannot be written');
  rmdirSync(join(dir, '0000000001.seg'));
  const second = queue.peek(1);
  assert.ok(second);
  queue.markDelivered(second);
  assert.deepEqual(readdirSync(dir), [], 'everything delivered: the files are gone');
  queue.append(1, 0, body(100));
  queue.close();
  const reopened = open(dir);
  assert.deepEqual(drain(reopened).map((d) => d.text), ['<event uid="E-100"/>']);
  reopened.close();
});

test('a write cut short whose clean-up also fails: later appends go to a new segment, none is hidden behind the torn bytes', (t) => {
  const dir = tempDir(t);
  const queue = open(dir);
  queue.append(1, 0, body(0));
  const writeSync = fs.writeSync;
  const ftruncateSync = fs.ftruncateSync;
  let calls = 0;
  // The disk fills mid-record: 10 bytes go, then ENOSPC; cutting the partial record off fails too.
  fs.writeSync = ((fd: number, buffer: Buffer, offset?: number) => {
    calls += 1;
    if (calls === 1) return writeSync(fd, buffer, offset ?? 0, 10);
    throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
  }) as typeof fs.writeSync;
  fs.ftruncateSync = (() => {
    throw Object.assign(new Error('EIO'), { code: 'EIO' });
  }) as typeof fs.ftruncateSync;
  syncBuiltinESMExports();
  try {
    assert.throws(() => queue.append(1, 0, body(1)));
  } finally {
    fs.writeSync = writeSync;
    fs.ftruncateSync = ftruncateSync;
    syncBuiltinESMExports();
  }
  for (let seq = 2; seq < 5; seq++) queue.append(1, 0, body(seq));
  const reopened = open(dir);
  assert.deepEqual(
    drain(reopened).map((d) => d.text),
    [0, 2, 3, 4].map((seq) => `<event uid="E-${seq}"/>`),
    'every append that returned is there (E-1 failed)',
  );
  reopened.close();
  queue.close();
});
