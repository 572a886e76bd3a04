// Scenario: the durable store-and-forward queue. Append is the real path of an output that
// is down (encode the event as a TAK v1 TakMessage, one CRC-checked record, one write(2)) under each fsync
// policy; replay is the real path after a reconnect or restart (open and recover the
// segment files, then read, decode and mark delivered, lane by lane).
// No peer: PyTAK and the other gateways keep no durable queue.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CotEvent } from '../../daemon/codec/event.js';
import { decodeTakMessage, encodeTakMessage } from '../../daemon/codec/proto/index.js';
import { XmlEventDecoder } from '../../daemon/codec/xml/decode.js';
import { DurableQueue, type FsyncPolicy } from '../../daemon/routing/store/durable-queue.js';
import { atakPliCorpus } from '../support/generators.js';
import { formatRate, machine, median, race, table } from './support/measure.js';

const EVENTS = 20_000;
const ROUNDS = 5;

function corpusEvents(): CotEvent[] {
  const decoder = new XmlEventDecoder();
  return atakPliCorpus(EVENTS, 13).map((xml) => decoder.decode(xml));
}

/** One pass appends `count` events to a fresh queue and closes it (a final sync if the policy syncs). */
function appendPass(events: CotEvent[], count: number, fsync: FsyncPolicy, root: string): () => number {
  let run = 0;
  return () => {
    const dir = join(root, `${fsync.mode}-${run++}`);
    const queue = DurableQueue.open({ dir, fsync });
    for (let i = 0; i < count; i++) {
      const event = events[i % events.length];
      queue.append(i % 3, event.stale, encodeTakMessage(event));
    }
    queue.close();
    rmSync(dir, { recursive: true, force: true });
    return count;
  };
}

/** The queue's own cost: bodies encoded beforehand. */
function appendEncodedPass(events: CotEvent[], root: string): () => number {
  const bodies = events.map((event) => encodeTakMessage(event));
  let run = 0;
  return () => {
    const dir = join(root, `encoded-${run++}`);
    const queue = DurableQueue.open({ dir, fsync: { mode: 'interval', intervalMs: 1_000 } });
    for (let i = 0; i < bodies.length; i++) queue.append(i % 3, events[i].stale, bodies[i]);
    queue.close();
    rmSync(dir, { recursive: true, force: true });
    return bodies.length;
  };
}

/** Fills a queue (not timed), then times recovery plus delivery of everything in it. */
function replayRates(events: CotEvent[], root: string): number[] {
  const rates: number[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const dir = join(root, `replay-${round}`);
    const filling = DurableQueue.open({ dir, fsync: { mode: 'never' } });
    for (let i = 0; i < events.length; i++) filling.append(i % 3, events[i].stale, encodeTakMessage(events[i]));
    filling.close();
    const started = process.hrtime.bigint();
    const queue = DurableQueue.open({ dir, fsync: { mode: 'interval', intervalMs: 1_000 } });
    let delivered = 0;
    for (let lane = 0; lane < 3; lane++) {
      for (let entry = queue.peek(lane); entry; entry = queue.peek(lane)) {
        decodeTakMessage(queue.read(entry));
        queue.markDelivered(entry);
        delivered += 1;
      }
    }
    queue.close();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (delivered !== events.length) throw new Error(`replayed ${delivered} of ${events.length}`);
    if (round > 0) rates.push(delivered / seconds);
    rmSync(dir, { recursive: true, force: true });
  }
  return rates;
}

export default async function (): Promise<string> {
  const events = corpusEvents();
  const root = mkdtempSync(join(tmpdir(), 'takd-bench-queue-'));
  try {
    const appends = race(
      [
        { name: 'append, fsync every 1 s (default)', pass: appendPass(events, EVENTS, { mode: 'interval', intervalMs: 1_000 }, root) },
        { name: 'append, fsync every 100 ms', pass: appendPass(events, EVENTS, { mode: 'interval', intervalMs: 100 }, root) },
        { name: 'append, fsync never (page cache only)', pass: appendPass(events, EVENTS, { mode: 'never' }, root) },
        { name: 'append, fsync after every event', pass: appendPass(events, 300, { mode: 'always' }, root) },
        { name: 'append pre-encoded bytes, fsync every 1 s (the queue alone)', pass: appendEncodedPass(events, root) },
      ],
      ROUNDS,
    );
    const replay = replayRates(events, root);
    const reference = appends[0].perSecond;
    const rows = appends.map((r) => [r.name, formatRate(r.perSecond), r.runs.length, (r.perSecond / reference).toFixed(2)]);
    rows.push(['replay: open and recover, read, decode, mark delivered', formatRate(median(replay)), replay.length, (median(replay) / reference).toFixed(2)]);
    return [
      '## Store-and-forward: durable queue append and replay',
      '',
      `Machine: ${machine()}; queue files in ${tmpdir()}. ${EVENTS.toLocaleString('en-US')} ATAK-style events per pass (300 with an fsync per event), stored as TAK v1 (about 300 bytes each, against about 650 as XML), in 3 lanes. Append includes encoding the event. Target: append >= 20,000 events/s with batched fsync.`,
      '',
      table(['operation', 'events/s (median)', 'runs', 'ratio to default append'], rows),
      '',
    ].join('\n');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
