import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CotEvent } from '../codec/event.js';
import type { ConnectionQueue } from '../transports/listener-hub.js';
import { ClientQueue } from './client-queue.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

function marker(uid: string): CotEvent {
  return { uid, type: 'a-h-G', how: 'h-g-i-g-o', time: NOW, start: NOW, stale: NOW + 600_000, point: { lat: 3, lon: 4, hae: 0, ce: 9, le: 9 } };
}

function pli(uid: string, time: number): CotEvent {
  return { uid, type: 'a-f-G-U-C', how: 'm-g', time, start: time, stale: time + 60_000, point: { lat: 1, lon: 2, hae: 0, ce: 9, le: 9 }, contact: { callsign: uid } };
}

function chatLike(uid: string): CotEvent {
  return { uid, type: 'b-t-f', how: 'h-g-i-g-o', time: NOW, start: NOW, stale: NOW + 60_000, point: { lat: 0, lon: 0, hae: 0, ce: 9, le: 9 } };
}

/** A connection whose own queue takes what it is given until drain() empties it (the socket took it). */
class Connection {
  readonly got: CotEvent[] = [];
  held = 0;
  readonly queue: ConnectionQueue;
  private waiter: (() => void) | undefined;
  constructor() {
    const held = (): number => this.held;
    this.queue = {
      get length(): number {
        return held();
      },
      push: (event: CotEvent): void => {
        this.got.push(event);
        this.held += 1;
      },
      whenBacklogBelow: (_depth: number, listener: () => void): void => {
        this.waiter = listener;
      },
    };
  }
  drain(): void {
    this.held = 0;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}

test('client queue: a client that reads as events come keeps a few slots, however many events passed (hundreds of clients each held one slot per event since)', () => {
  const connection = new Connection();
  const queue = new ClientQueue(connection.queue, { maxEvents: 1_000, maxBytes: 2 * 2 ** 20 });
  for (let i = 0; i < 5_000; i += 1) {
    queue.push(marker(`m-${i}`), NOW);
    connection.drain();
  }
  assert.equal(connection.got.length, 5_000);
  assert.equal(queue.depth, 0);
  assert.ok(queue.capacity <= 64, `capacity ${queue.capacity}`);
  assert.deepEqual([queue.counters.queued, queue.counters.handedOn, queue.counters.coalesced], [5_000, 5_000, 0]);
});

test('client queue: a backlog that drains gives its room back; order and coalescing hold', () => {
  const connection = new Connection();
  const queue = new ClientQueue(connection.queue, { maxEvents: 1_000, maxBytes: 2 * 2 ** 20 });
  for (let i = 0; i < 900; i += 1) queue.push(marker(`m-${i}`), NOW);
  queue.push(pli('p', NOW), NOW);
  queue.push(pli('p', NOW + 1), NOW);
  assert.ok(queue.capacity >= 800, `a backlog of 893 needs room: ${queue.capacity}`);
  assert.equal(queue.counters.coalesced, 1);
  while (queue.depth > 0) connection.drain();
  assert.deepEqual(connection.got.slice(0, 3).map((e) => e.uid), ['m-0', 'm-1', 'm-2']);
  assert.equal(connection.got.length, 901);
  assert.equal(connection.got.at(-1)?.time, NOW + 1);
  assert.ok(queue.capacity <= 64, `capacity after the drain ${queue.capacity}`);
});

test('client queue: full, it drops the oldest and counts them', () => {
  const connection = new Connection();
  const queue = new ClientQueue(connection.queue, { maxEvents: 10, maxBytes: 2 * 2 ** 20 });
  for (let i = 0; i < 30; i += 1) queue.push(marker(`m-${i}`), NOW);
  assert.equal(queue.counters.dropped, 12);
  assert.equal(queue.fullSince, NOW);
  while (queue.depth > 0) connection.drain();
  assert.deepEqual(connection.got.map((e) => e.uid), [...Array.from({ length: 8 }, (_, i) => `m-${i}`), ...Array.from({ length: 10 }, (_, i) => `m-${i + 20}`)]);
});

test('client queue: an SA replay larger than the live bound reaches a client that reads slowly whole, ahead of live events (5,000 tracks through a queue of 1,000 lost 4,000)', () => {
  const connection = new Connection();
  const queue = new ClientQueue(connection.queue, { maxEvents: 1_000, maxBytes: 2 * 2 ** 20 });
  const replay = Array.from({ length: 5_000 }, (_, i) => marker(`track-${i}`));
  queue.pushReplay(replay);
  assert.equal(queue.depth, 5_000);
  // Live traffic while the replay is on its way: it waits behind it, bounded as ever.
  queue.push(pli('live', NOW), NOW);
  queue.push(chatLike('chat-1'), NOW);
  assert.equal(queue.depth, 5_002);
  while (queue.depth > 0) connection.drain();
  assert.equal(queue.counters.dropped, 0);
  assert.equal(connection.got.length, 5_002);
  assert.deepEqual(connection.got.slice(0, 5_000).map((e) => e.uid), replay.map((e) => e.uid));
  assert.deepEqual(connection.got.slice(5_000).map((e) => e.uid), ['live', 'chat-1']);
});

test('client queue: a replay that arrives while another is pending is appended to it; shutdown hands both on', () => {
  const connection = new Connection();
  const queue = new ClientQueue(connection.queue, { maxEvents: 10, maxBytes: 2 * 2 ** 20 });
  queue.pushReplay([marker('a'), ...Array.from({ length: 20 }, (_, i) => marker(`x-${i}`))]);
  queue.pushReplay([marker('b')]);
  queue.pushReplay([]);
  queue.push(marker('live'), NOW);
  queue.handOnAll();
  assert.equal(connection.got.length, 23);
  assert.equal(connection.got[0]?.uid, 'a');
  assert.deepEqual(connection.got.slice(-2).map((e) => e.uid), ['b', 'live']);
  assert.equal(queue.depth, connection.held);
});
