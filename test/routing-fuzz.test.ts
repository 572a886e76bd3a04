// Fuzz: random events (every field, awkward strings, marti dest, flow tags spliced into the
// detail at random places) from random sources through a router whose outputs go up and
// down and are rate-limited. Nothing may throw and every wait list stays bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../daemon/routing/clock.js';
import type { EventSource } from '../daemon/routing/filter.js';
import { Router } from '../daemon/routing/router.js';
import { RecordingTarget } from './support/routing.js';
import { randomCotEvent, seededRandom } from './support/generators.js';

const SOURCES: EventSource[] = [
  { id: 'mesh', role: 'mesh' },
  { id: 'server', role: 'server' },
  { id: 'phones', role: 'peers' },
  { id: 'pli', role: 'self' },
  { id: 'ais', role: 'device' },
];
const FLOW_BITS = ['<_flow-tags_ a="1"/>', '<_flow-tags_>', '</_flow-tags_>', '<_flow-tags_ q=">"', '"', '<marti><dest callsign="X"/></marti>'];

test('random events through a router with flapping, rate-limited outputs never throw and stay bounded', () => {
  const random = seededRandom(2024);
  const clock = new ManualClock();
  const targets = ['mesh', 'server', 'phones'].map((name) => new RecordingTarget(name));
  const router = new Router({
    clock,
    dedupe: { maxEntries: 500 },
    outputs: [
      { target: targets[0], role: 'mesh', rate: { bytesPerSecond: 2_000, eventsPerMinute: 120 }, maxPending: 50, maxPliUids: 50 },
      { target: targets[1], role: 'server', filter: { bbox: { south: -45, west: -90, north: 45, east: 90 } }, maxPending: 50, maxPliUids: 50 },
      { target: targets[2], role: 'peers', filter: { types: ['a-', 'b-t-f'], radius: { lat: 0, lon: 0, meters: 5e6 } }, maxPending: 50, maxPliUids: 50 },
    ],
  });
  const started = Date.now();
  for (let i = 0; i < 20_000 && Date.now() - started < 20_000; i++) {
    const event = randomCotEvent(random);
    // Fresh enough to be routed most of the time.
    event.time = clock.now() - Math.floor(random() * 10_000);
    event.stale = event.time + Math.floor(random() * 120_000);
    if (random() < 0.2) {
      const bit = FLOW_BITS[Math.floor(random() * FLOW_BITS.length)];
      const detail = event.xmlDetail ?? '';
      const at = Math.floor(random() * (detail.length + 1));
      event.xmlDetail = detail.slice(0, at) + bit + detail.slice(at);
    }
    if (random() < 0.05) targets[Math.floor(random() * 3)].up = random() < 0.5;
    router.publish(event, SOURCES[Math.floor(random() * SOURCES.length)]);
    if (i % 10 === 0) {
      clock.advance(Math.floor(random() * 500));
      router.pump();
    }
  }
  const status = router.status();
  assert.ok(status.counters.received > 1_000);
  for (const output of status.outputs) assert.ok(output.pending <= 100, `${output.name}: ${output.pending} waiting`);
  const sent = status.outputs.reduce((sum, output) => sum + output.counters.sent, 0);
  assert.equal(sent, targets.reduce((sum, target) => sum + target.sent.length, 0));
  for (const target of targets) for (const event of target.sent) assert.equal(event.xmlDetail?.includes('<_flow-tags_ ') ?? false, false);
});
