import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CotEvent } from '../codec/event.js';
import { slowSink } from '../../test/support/slow-sink.js';
import { StreamWriter } from './stream-writer.js';
import { silentLogger } from '../../util/logger.js';
import type { OutputListener } from './types.js';

function event(n: number): CotEvent {
  return { uid: `u${n}`, type: 'a-f-G', how: 'm-g', time: 0, start: 0, stale: 1, point: { lat: 0, lon: 0, hae: 0, ce: 0, le: 0 } };
}

const encode = (e: CotEvent): string => `${e.uid}\n`;

function recordingListener(): OutputListener & { writable: number; returned: string[] } {
  const listener = {
    writable: 0,
    returned: [] as string[],
    onWritable: () => (listener.writable += 1),
    onReturned: (events: CotEvent[]) => listener.returned.push(...events.map((e) => e.uid)),
  };
  return listener;
}

test('not writable past its bytes in flight; says so when the stream has taken them', async () => {
  const { sink, release, written } = slowSink();
  const writer = new StreamWriter(encode, { maxInFlightBytes: 6, logger: silentLogger });
  const listener = recordingListener();
  writer.setListener(listener);
  assert.equal(writer.writable(), false, 'no stream yet');
  writer.attach(sink);
  assert.equal(listener.writable, 1, 'told on attach');
  writer.send(event(1));
  writer.send(event(2));
  assert.equal(writer.writable(), false, 'six bytes in flight');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(written, ['u1', 'u2'], 'one write for the tick');
  release();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(writer.writable(), true);
  assert.equal(listener.writable, 2, 'told once it was taken');
  assert.equal(writer.counters.written, 2);
  await writer.whenIdle();
});

test('what the stream had not taken when it went away is given back, oldest first', async () => {
  const { sink, release } = slowSink();
  const writer = new StreamWriter(encode, { logger: silentLogger });
  const listener = recordingListener();
  writer.setListener(listener);
  writer.attach(sink);
  writer.send(event(1));
  await new Promise((resolve) => setImmediate(resolve));
  release(); // u1 taken
  writer.send(event(2));
  await new Promise((resolve) => setImmediate(resolve)); // u2 handed over, not taken
  writer.send(event(3)); // u3 still in this tick's batch
  const idle = writer.whenIdle();
  writer.detach();
  await idle;
  assert.deepEqual(listener.returned, ['u2', 'u3']);
  assert.deepEqual(writer.counters, { queued: 3, written: 1, dropped: 0, returned: 2 });
  assert.equal(writer.inFlight, 0);
  assert.equal(writer.taken, 1);
  release(); // a late callback of the old stream changes nothing
  assert.equal(writer.counters.written, 1);
});
