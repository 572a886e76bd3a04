// The process the crash test kills: it opens the real DurableQueue on a directory, then
// appends, delivers (peek, read, markDelivered) and rolls segments until it is killed.
// Every acknowledgement goes to a side log with one write(2) each, after the queue call
// returns: the parent reads it to know what the child was told.
//
//   O length recovered tornBytes cuts   the queue opened (after recovery)
//   W id lane                           append() returned: acknowledged as written
//   H id lane                           read back and handed on (the delivery happened)
//   A id                                markDelivered() returned: delivery acknowledged
//
// Deliveries go one at a time (peek, read, markDelivered), or as the output link does with
// a transport: take() up to 8, then markDelivered() them all (as when its flush resolves).
//   BAD id                              a body read back was not the one appended
//
// The log needs no fsync: a SIGKILL loses nothing already written to the page cache, for
// the log as for the queue. (Power loss is a different fault: see the README.)
//
// argv: dir logPath seed idBase fsync(never|interval|always) segmentBytes appendShare
import { openSync, writeSync } from 'node:fs';
import { DurableQueue, type FsyncPolicy } from '../../daemon/routing/store/durable-queue.js';
import { crashBody, idOfBody } from './crash-queue.js';
import { seededRandom } from './generators.js';

const [dir, logPath, seedText, idBaseText, fsyncText, segmentText, appendShareText] = process.argv.slice(2);
const log = openSync(logPath, 'a');
const say = (line: string): void => {
  writeSync(log, line + '\n');
};

const fsync: FsyncPolicy = fsyncText === 'always' ? { mode: 'always' } : fsyncText === 'interval' ? { mode: 'interval', intervalMs: 20 } : { mode: 'never' };
const queue = DurableQueue.open({ dir, fsync, segmentBytes: Number(segmentText) });
say(`O ${queue.length} ${queue.counters.recovered} ${queue.counters.tornBytes} ${queue.counters.tornSegments}`);

const random = seededRandom(Number(seedText));
const appendShare = Number(appendShareText);
let nextId = Number(idBaseText);

function deliverOne(): boolean {
  for (let lane = 0; lane < 4; lane++) {
    const entry = queue.peek(lane);
    if (!entry) continue;
    const body = queue.read(entry);
    const id = idOfBody(body);
    if (!crashBody(id).equals(body)) say(`BAD ${id}`);
    say(`H ${id} ${entry.lane}`);
    queue.markDelivered(entry);
    say(`A ${id}`);
    return true;
  }
  return false;
}

function takeThenDeliver(count: number): void {
  const taken = [];
  for (let n = 0; n < count; n++) {
    let entry;
    for (let lane = 0; lane < 4 && !entry; lane++) entry = queue.peek(lane);
    if (!entry) break;
    const body = queue.read(entry);
    const id = idOfBody(body);
    if (!crashBody(id).equals(body)) say(`BAD ${id}`);
    queue.take(entry);
    say(`H ${id} ${entry.lane}`);
    taken.push({ entry, id });
  }
  for (const { entry, id } of taken) {
    queue.markDelivered(entry);
    say(`A ${id}`);
  }
}

function run(): void {
  for (;;) {
    const r = random();
    if (r < appendShare) {
      for (let n = 1 + Math.floor(random() * 6); n > 0; n--) {
        const lane = Math.floor(random() * 4);
        const id = nextId++;
        queue.append(lane, id, crashBody(id));
        say(`W ${id} ${lane}`);
      }
    } else if (r < 0.8) {
      for (let n = 1 + Math.floor(random() * 8); n > 0 && deliverOne(); n--);
    } else if (r < 0.995) {
      takeThenDeliver(1 + Math.floor(random() * 8));
    } else {
      // Now and then deliver everything: the queue then deletes all its segments at once.
      while (deliverOne());
    }
  }
}

// Tell the parent the queue is open, then work until killed.
process.stdout.write('ready\n', run);
