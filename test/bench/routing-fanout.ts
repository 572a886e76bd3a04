// Scenario: the router with three outputs (mesh, server, phones) and per-output policy.
// ATAK-style PLI from the corpus generator, decoded once up front, published from rotating
// sources (mesh, server, phones) so every event goes to two outputs (never echoed). The
// outputs are counters: this measures the router, not the transports.
// No other CoT router runs in Node; the reference row is the stop-gap fan-out this router
// replaced (support/fanout.ts: every output but the source, no policy at all).
import type { CotEvent } from '../../daemon/codec/event.js';
import { XmlEventDecoder } from '../../daemon/codec/xml/decode.js';
import { ManualClock } from '../../daemon/routing/clock.js';
import type { EventSource } from '../../daemon/routing/filter.js';
import type { OutputTarget } from '../../daemon/routing/output-link.js';
import { Router, type RouterOutput } from '../../daemon/routing/router.js';
import { atakPliCorpus } from '../support/generators.js';
import { Fanout } from './support/fanout.js';
import { formatRate, machine, race, table } from './support/measure.js';

const EVENTS = 10_000;
const DAY = 86_400_000;
const SOURCES: EventSource[] = [
  { id: 'mesh', role: 'mesh' },
  { id: 'server', role: 'server' },
  { id: 'phones', role: 'peers' },
];

class CountingTarget implements OutputTarget {
  sent = 0;
  up = true;
  constructor(readonly name: string) {}
  isUp(): boolean {
    return this.up;
  }
  send(_event: CotEvent): boolean {
    this.sent += 1;
    return true;
  }
  flush(): Promise<void> {
    return Promise.resolve();
  }
}

function corpusEvents(): CotEvent[] {
  const decoder = new XmlEventDecoder();
  // Fresh for a week, so nothing goes stale while the clock steps between passes.
  return atakPliCorpus(EVENTS, 11).map((xml) => {
    const event = decoder.decode(xml);
    return { ...event, stale: event.time + 7 * DAY };
  });
}

function outputs(targets: CountingTarget[], limited: boolean): RouterOutput[] {
  const [mesh, server, phones] = targets;
  const rate = limited ? { bytesPerSecond: 1e9, eventsPerMinute: 1e9 } : undefined;
  return [
    { target: mesh, role: 'mesh', filter: { types: ['a-f-', 'a-n-', 'b-'] }, rate },
    { target: server, role: 'server', filter: { excludeTypes: ['a-h-'], excludeFrom: ['ais'] }, rate },
    { target: phones, role: 'peers', filter: { bbox: { south: 37, west: -107, north: 41, east: -103 } }, rate, maxEventBytes: limited ? 60_000 : undefined },
  ];
}

function routerPass(events: CotEvent[], limited: boolean): () => number {
  const clock = new ManualClock(events[0].time);
  const targets = ['mesh', 'server', 'phones'].map((name) => new CountingTarget(name));
  const router = new Router({ clock, outputs: outputs(targets, limited) });
  return () => {
    // Past the de-duplication window: the same corpus counts as new events each pass.
    clock.advance(31_000);
    for (let i = 0; i < events.length; i++) router.publish(events[i], SOURCES[i % 3]);
    return events.length;
  };
}

function fanoutPass(events: CotEvent[]): () => number {
  const fanout = new Fanout();
  for (const name of ['mesh', 'server', 'phones']) fanout.setOutput(name, new CountingTarget(name));
  return () => {
    for (let i = 0; i < events.length; i++) fanout.publish(events[i], SOURCES[i % 3].id);
    return events.length;
  };
}

export default async function (): Promise<string> {
  const events = corpusEvents();
  const results = race([
    { name: 'router: 3 outputs, filters by type, source and bounding box', pass: routerPass(events, false) },
    { name: 'router: the same plus byte and event budgets per output (XML size per event)', pass: routerPass(events, true) },
    { name: 'reference: stop-gap fan-out (no policy, no de-dup)', pass: fanoutPass(events) },
  ]);
  const [policy, budgets, fanout] = results;
  const rows = results.map((r) => [r.name, formatRate(r.perSecond), r.runs.length, (r.perSecond / policy.perSecond).toFixed(2)]);
  return [
    '## Router fan-out: three outputs with per-output policy',
    '',
    `Machine: ${machine()}. ${EVENTS.toLocaleString('en-US')} ATAK-style PLI per pass from three sources in turn, each routed to the two other outputs; de-duplication, lane classification, flow-tag check, destination check and filters on every event. Target: >= 30,000 events/s.`,
    '',
    table(['contender', 'events/s (median)', 'runs', 'ratio to router with filters'], rows),
    '',
    `Budgets cost ${(policy.perSecond / budgets.perSecond).toFixed(2)}× (the XML size is computed once per event for the byte budget); the policy-free fan-out is ${(fanout.perSecond / policy.perSecond).toFixed(1)}× faster and does none of it.`,
    '',
  ].join('\n');
}
