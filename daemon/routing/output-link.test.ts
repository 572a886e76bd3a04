import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeXml } from '../codec/xml/encode.js';
import { ManualClock } from './clock.js';
import { classifyLane, type Lane } from './lane.js';
import { OutputLink } from './output-link.js';
import { DurableQueue } from './store/durable-queue.js';
import { makeEvent, RecordingTarget } from '../../test/support/routing.js';
import type { CotEvent } from '../codec/event.js';
import type { OutputListener } from '../transports/types.js';

function offer(link: OutputLink, event: CotEvent): void {
  link.offer(event, classifyLane(event) as Lane, encodeXml(event).length);
}

function tempStore(t: { after(fn: () => void): void }): { dir: string; open: () => DurableQueue } {
  const dir = mkdtempSync(join(tmpdir(), 'takd-link-'));
  const opened: DurableQueue[] = [];
  t.after(() => {
    for (const queue of opened) queue.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir,
    open: () => {
      const queue = DurableQueue.open({ dir, fsync: { mode: 'never' } });
      opened.push(queue);
      return queue;
    },
  };
}

test('an up, unlimited link sends at once; stale and too-big events are dropped and counted', () => {
  const clock = new ManualClock();
  const target = new RecordingTarget('server');
  const link = new OutputLink(target, clock, { maxEventBytes: 400 });
  const now = clock.now();
  offer(link, makeEvent('A', 'a-f-G-U-C', now));
  offer(link, makeEvent('B', 'a-f-G-U-C', now - 120_000));
  offer(link, makeEvent('C', 'b-t-f', now, { xmlDetail: `<remarks>${'x'.repeat(500)}</remarks>` }));
  assert.deepEqual(target.uids(), ['A']);
  assert.equal(link.counters.sent, 1);
  assert.equal(link.counters.stale, 1);
  assert.equal(link.counters.tooBig, 1);
});

test('a 1,200 bytes/s link flooded with PLI from 50 uids: chat overtakes PLI, only the newest position per uid goes', () => {
  const clock = new ManualClock();
  const target = new RecordingTarget('radio');
  const link = new OutputLink(target, clock, { rate: { bytesPerSecond: 1_200 } });
  const start = clock.now();
  const newest = new Map<string, number>();
  for (let tick = 0; tick < 600; tick++) {
    // Every 100 ms each of 5 uids reports (50 uids in turn): far more than the link carries.
    for (let k = 0; k < 5; k++) {
      const uid = `PLI-${(tick * 5 + k) % 50}`;
      const time = clock.now();
      newest.set(uid, time);
      offer(link, makeEvent(uid, 'a-f-G-U-C', time, { stale: time + 600_000 }));
    }
    if (tick === 300) offer(link, makeEvent('CHAT-1', 'b-t-f', clock.now()));
    clock.advance(100);
    link.pump();
  }
  const chatIndex = target.uids().indexOf('CHAT-1');
  assert.ok(chatIndex >= 0, 'the chat was sent');
  const sentBeforeChat = target.sent.slice(0, chatIndex).filter((e) => e.time > start + 30_000).length;
  assert.ok(sentBeforeChat <= 1, `the chat waited behind at most one position report (${sentBeforeChat})`);
  const bytes = target.sent.reduce((sum, e) => sum + encodeXml(e).length, 0);
  assert.ok(bytes <= 1_200 * 61, `${bytes} bytes in 60 s`);
  assert.ok(link.counters.coalesced > 2_000, `coalesced ${link.counters.coalesced}`);
  // Drain what is left and check that every uid's last sent report is its newest.
  for (let i = 0; i < 200; i++) {
    clock.advance(100);
    link.pump();
  }
  assert.equal(link.pending, 0);
  const lastSent = new Map<string, number>();
  for (const event of target.sent) {
    const previous = lastSent.get(event.uid);
    assert.ok(previous === undefined || event.time > previous, 'never an older position after a newer one');
    lastSent.set(event.uid, event.time);
  }
  for (const [uid, time] of newest) assert.equal(lastSent.get(uid), time, `${uid} ends at its newest position`);
});

test('during an outage non-PLI goes to the durable queue and comes back in priority order, nothing stale', (t) => {
  const clock = new ManualClock();
  const target = new RecordingTarget('server');
  const { open } = tempStore(t);
  const link = new OutputLink(target, clock, { store: open() });
  target.up = false;
  const t0 = clock.now();
  offer(link, makeEvent('MARKER-1', 'a-h-G', t0, { how: 'h-g-i-g-o' }));
  offer(link, makeEvent('CHAT-1', 'b-t-f', t0));
  offer(link, makeEvent('PLI-1', 'a-f-G-U-C', t0));
  offer(link, makeEvent('SOS-1', 'b-a-o-tbl', t0));
  offer(link, makeEvent('CHAT-SHORT', 'b-t-f', t0, { stale: t0 + 5_000 }));
  offer(link, makeEvent('PLI-1', 'a-f-G-U-C', t0 + 1_000));
  offer(link, makeEvent('PLI-2', 'a-f-G-U-C', t0 + 1_000, { stale: t0 + 8_000 }));
  offer(link, makeEvent('CHAT-2', 'b-t-f', t0 + 2_000));
  clock.advance(10_000);
  link.pump();
  assert.equal(target.sent.length, 0, 'nothing goes while down');
  assert.equal(link.counters.stored, 5);
  target.up = true;
  link.pump();
  assert.deepEqual(target.uids(), ['SOS-1', 'CHAT-1', 'CHAT-2', 'MARKER-1', 'PLI-1']);
  assert.equal(target.sent[4].time, t0 + 1_000, 'the newest PLI-1');
  assert.equal(link.counters.stale, 2, 'CHAT-SHORT and PLI-2 went stale');
  assert.equal(link.counters.replayed, 4);
  assert.equal(link.counters.coalesced, 1);
  assert.equal(link.pending, 0);
});

test('what the durable queue held survives a restart of the link', (t) => {
  const clock = new ManualClock();
  const { open } = tempStore(t);
  const first = open();
  const down = new RecordingTarget('server');
  down.up = false;
  const before = new OutputLink(down, clock, { store: first });
  for (let i = 0; i < 20; i++) offer(before, makeEvent(`CHAT-${i}`, 'b-t-f', clock.now() + i));
  first.close();

  const target = new RecordingTarget('server');
  const after = new OutputLink(target, clock, { store: open() });
  assert.equal(after.pending, 20);
  after.pump();
  assert.deepEqual(
    target.uids(),
    Array.from({ length: 20 }, (_, i) => `CHAT-${i}`),
  );
  assert.equal(target.sent[3].type, 'b-t-f');
});

test('kill -9 before the transport wrote them: stored events already handed to it come back; once written, they do not', async (t) => {
  const clock = new ManualClock();
  const { open } = tempStore(t);
  const store = open();
  const down = new RecordingTarget('server');
  down.up = false;
  for (let i = 0; i < 5; i++) offer(new OutputLink(down, clock, { store }), makeEvent(`CHAT-${i}`, 'b-t-f', clock.now() + i));

  // A transport that takes events into its own queue and has not written them to the socket yet.
  const target = new RecordingTarget('server');
  let written: () => void = () => undefined;
  target.flush = () => new Promise<void>((resolve) => (written = resolve));
  const link = new OutputLink(target, clock, { store });
  link.pump();
  assert.equal(target.sent.length, 5);
  assert.equal(link.pending, 0, 'handed on: no longer waiting');
  // A kill now: the files are what a restarted daemon finds (the old queue is never closed).
  const afterKill = open();
  assert.equal(afterKill.length, 5, 'the events in the transport queue were not marked delivered');
  afterKill.close();

  written();
  await new Promise((resolve) => setImmediate(resolve));
  const afterWrite = open();
  assert.equal(afterWrite.length, 0, 'written by the transport: delivered');
});

test('without a durable queue the wait list is bounded; the least urgent oldest go first', () => {
  const clock = new ManualClock();
  const target = new RecordingTarget('mesh');
  target.up = false;
  const link = new OutputLink(target, clock, { maxPending: 10, maxPliUids: 5 });
  for (let i = 0; i < 20; i++) offer(link, makeEvent(`MARKER-${i}`, 'u-d-p', clock.now()));
  for (let i = 0; i < 3; i++) offer(link, makeEvent(`CHAT-${i}`, 'b-t-f', clock.now()));
  for (let i = 0; i < 8; i++) offer(link, makeEvent(`PLI-${i}`, 'a-f-G-U-C', clock.now()));
  assert.equal(link.pending, 15);
  assert.equal(link.counters.overflow, 13 + 3);
  target.up = true;
  link.pump();
  assert.deepEqual(target.uids().slice(0, 4), ['CHAT-0', 'CHAT-1', 'CHAT-2', 'MARKER-13']);
  assert.deepEqual(target.uids().slice(-5), ['PLI-3', 'PLI-4', 'PLI-5', 'PLI-6', 'PLI-7']);
});

test('while the transport is not writable (its socket backed up) events wait here, in lanes, PLI coalesced', () => {
  const clock = new ManualClock();
  const target = new RecordingTarget('server');
  let busy = true;
  const link = new OutputLink({ name: 'server', isUp: () => true, writable: () => !busy, send: (event) => target.send(event) }, clock);
  offer(link, makeEvent('PLI-1', 'a-f-G-U-C', clock.now()));
  offer(link, makeEvent('PLI-1', 'a-f-G-U-C', clock.now() + 1));
  offer(link, makeEvent('CHAT-1', 'b-t-f', clock.now()));
  link.pump();
  assert.equal(target.sent.length, 0);
  busy = false;
  link.pump();
  assert.deepEqual(target.uids(), ['CHAT-1', 'PLI-1']);
  assert.equal(target.sent[1].time, clock.now() + 1);
});

test('events a dead connection gives back go to the front of their lanes, in order; a newer PLI of the uid wins', () => {
  const clock = new ManualClock();
  const target = new RecordingTarget('server');
  let writable = false;
  let listener: OutputListener | undefined;
  const link = new OutputLink(
    { name: 'server', isUp: () => true, writable: () => writable, send: (event) => target.send(event), setListener: (l) => (listener = l) },
    clock,
  );
  assert.equal(listener, link);
  offer(link, makeEvent('CHAT-3', 'b-t-f', clock.now()));
  offer(link, makeEvent('PLI-1', 'a-f-G-U-C', clock.now() + 5));
  link.onReturned([
    makeEvent('CHAT-1', 'b-t-f', clock.now()),
    makeEvent('PLI-1', 'a-f-G-U-C', clock.now()),
    makeEvent('MARKER-1', 'a-h-G', clock.now(), { how: 'h-g-i-g-o' }),
    makeEvent('CHAT-2', 'b-t-f', clock.now()),
  ]);
  assert.equal(link.counters.returned, 4);
  assert.equal(link.pending, 5);
  writable = true;
  link.onWritable();
  assert.deepEqual(target.uids(), ['CHAT-1', 'CHAT-2', 'CHAT-3', 'MARKER-1', 'PLI-1']);
  assert.equal(target.sent[4].time, clock.now() + 5, 'the newer report of PLI-1 went, not the returned one');
});
