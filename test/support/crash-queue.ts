// The kill -9 crash test of the durable queue (issue 16, "Power cuts and crashes"): a child
// process (crash-queue-child.ts) works on a real DurableQueue and is killed with SIGKILL at
// a random moment, again and again, on the same directory. Before each restart the parent
// reads the segment files itself (parseSegment: every record's CRC) and checks:
//
// - nothing acknowledged as written (append returned) and not acknowledged as delivered is
//   missing from disk, and every body is the one appended (byte for byte);
// - nothing acknowledged as delivered (markDelivered returned) is on disk as undelivered;
// - the restarted child's queue opens and holds exactly what the files hold;
// - a record is handed on twice only inside the at-least-once window: it was handed on
//   (read, or taken) but the kill came before its markDelivered returned. At most 8 per
//   kill here: the child takes up to 8 before marking them delivered.
// - within a lane, records are handed on in the order appended.
//
// At the end the parent opens the queue in-process and drains it: every outstanding record
// comes out once.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DurableQueue } from '../../daemon/routing/store/durable-queue.js';
import { KIND_EVENT, parseSegment } from '../../daemon/routing/store/record.js';
import { segmentIdOf } from '../../daemon/routing/store/segment.js';
import { seededRandom } from './generators.js';

/** The body of record `id`: the id, then 0..1500 bytes that follow from it. */
export function crashBody(id: number): Buffer {
  const random = seededRandom(id * 7 + 1);
  // Mostly small, now and then up to 64 KiB (a kill can tear a large write).
  const size = random() < 0.02 ? 65_536 : 1500;
  const body = Buffer.allocUnsafe(8 + Math.floor(random() * size));
  body.writeDoubleLE(id, 0);
  for (let i = 8; i < body.length; i++) body[i] = Math.floor(random() * 256);
  return body;
}

export function idOfBody(body: Buffer): number {
  return body.length >= 8 ? body.readDoubleLE(0) : -1;
}

export interface CrashTestOptions {
  iterations: number;
  /** Stop after this long even if fewer iterations ran (0: no limit). */
  budgetMs?: number;
  seed?: number;
  /** Progress lines (the npm script prints them). */
  progress?: (line: string) => void;
}

export interface CrashTestSummary {
  iterations: number;
  elapsedMs: number;
  /** Kills that landed before the child said its queue was open (during start-up or recovery). */
  killsBeforeOpen: number;
  /** Children that exited on their own (a failure: they should run until killed). */
  unexpectedExits: number;
  acknowledgedWritten: number;
  acknowledgedDelivered: number;
  handedOn: number;
  /** Records checked on disk (CRC and body) before a restart, summed over restarts. */
  recordsChecked: number;
  /** Acknowledged as written, never delivered, and missing: must be 0. */
  lost: number;
  /** Handed on again after being acknowledged as delivered: must be 0. */
  duplicatesBeyondWindow: number;
  /** Handed on again after a kill that came between the read and markDelivered returning. */
  duplicatesInWindow: number;
  /** Largest number of records in the window at one kill (at most 8 here). */
  maxWindow: number;
  badBodies: number;
  /** Bytes cut off at open (records torn by a kill mid-write), summed over restarts. */
  tornBytes: number;
  /** The restarted queue's length differed from what the files hold: must be 0. */
  openMismatches: number;
  /** Outstanding records drained at the end. */
  drainedAtEnd: number;
  /** What went wrong, first few. */
  violations: string[];
}

const childScript = fileURLToPath(new URL('./crash-queue-child.js', import.meta.url));
const ID_SPAN = 1e7;

interface OnDisk {
  /** Undelivered events by id: their lane. */
  present: Map<number, number>;
  checked: number;
  bad: number[];
}

/** What the segment files hold, read independently of DurableQueue. */
function readDisk(dir: string): OnDisk {
  const ids = readdirSync(dir)
    .map((name) => ({ name, id: segmentIdOf(name) }))
    .filter((s) => s.id !== undefined)
    .sort((a, b) => (a.id as number) - (b.id as number));
  const events = new Map<number, { id: number; lane: number }>();
  const delivered = new Set<number>();
  const bad: number[] = [];
  let checked = 0;
  for (const { name } of ids) {
    const bytes = readFileSync(join(dir, name));
    for (const record of parseSegment(bytes).records) {
      if (record.kind !== KIND_EVENT) {
        delivered.add(record.seq);
        continue;
      }
      const body = bytes.subarray(record.bodyOffset, record.bodyOffset + record.bodyLength);
      const id = idOfBody(body);
      checked += 1;
      if (!crashBody(id).equals(body)) bad.push(id);
      events.set(record.seq, { id, lane: record.lane });
    }
  }
  const present = new Map<number, number>();
  for (const [seq, { id, lane }] of events) if (!delivered.has(seq)) present.set(id, lane);
  return { present, checked, bad };
}

interface Run {
  exit: { code: number | null; signal: NodeJS.Signals | null };
  ready: boolean;
  stderr: string;
}

/** Starts the child, kills it with SIGKILL at a random moment, and waits for it to be gone. */
async function runChild(args: string[], logPath: string, random: () => number): Promise<Run> {
  const child = spawn(process.execPath, [childScript, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let ready = false;
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // Never leave a child running (it loops until killed) if this process goes first.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const exited = new Promise<Run['exit']>((resolve) =>
    child.once('close', (code, signal) => {
      process.removeListener('exit', killOnExit);
      resolve({ code, signal });
    }),
  );
  const kill = (): void => {
    child.kill('SIGKILL');
  };
  if (random() < 0.15) {
    // Sometimes during start-up and recovery: node takes tens of ms to load the modules.
    setTimeout(kill, Math.floor(random() * 150));
  } else if (random() < 0.5) {
    const delay = Math.floor(random() * 120);
    child.stdout.once('data', () => {
      ready = true;
      setTimeout(kill, delay);
    });
  } else {
    // Or once the child has done a random amount of work (its log has grown so far), so a
    // loaded machine still sees the queue grow over many segments between kills.
    const logBytes = Math.floor(random() * 60_000);
    child.stdout.once('data', () => {
      ready = true;
      const started = Date.now();
      const poll = setInterval(() => {
        if (!existsSync(logPath) || (statSync(logPath).size < logBytes && Date.now() - started < 1_000)) return;
        clearInterval(poll);
        kill();
      }, 2);
    });
  }
  child.stdout.resume();
  const exit = await exited;
  return { exit, ready, stderr };
}

export async function runCrashTest(options: CrashTestOptions): Promise<CrashTestSummary> {
  const seed = options.seed ?? 16;
  const random = seededRandom(seed);
  const dir = mkdtempSync(join(tmpdir(), 'takd-crash-'));
  const queueDir = join(dir, 'queue');
  const summary: CrashTestSummary = {
    iterations: 0,
    elapsedMs: 0,
    killsBeforeOpen: 0,
    unexpectedExits: 0,
    acknowledgedWritten: 0,
    acknowledgedDelivered: 0,
    handedOn: 0,
    recordsChecked: 0,
    lost: 0,
    duplicatesBeyondWindow: 0,
    duplicatesInWindow: 0,
    maxWindow: 0,
    badBodies: 0,
    tornBytes: 0,
    openMismatches: 0,
    drainedAtEnd: 0,
    violations: [],
  };
  const violation = (text: string): void => {
    if (summary.violations.length < 20) summary.violations.push(text);
  };
  /** Acknowledged as written (or found on disk) and not acknowledged as delivered: id -> lane. */
  const outstanding = new Map<number, number>();
  /** Of those, handed on but not acknowledged before the last kill: the at-least-once window. */
  let window = new Set<number>();
  const lastHanded = [-1, -1, -1, -1];
  let lastRunWritten = -1;
  let lastRunBase = -1;
  const started = Date.now();
  try {
    for (let iteration = 0; iteration < options.iterations; iteration++) {
      if (options.budgetMs && Date.now() - started >= options.budgetMs) break;
      // 1. What the files hold now, checked against what the last child was told.
      let expectedLength: number | undefined;
      if (existsSync(queueDir)) {
        const disk = readDisk(queueDir);
        summary.recordsChecked += disk.checked;
        summary.badBodies += disk.bad.length;
        for (const id of disk.bad) violation(`iteration ${iteration}: body of ${id} changed on disk`);
        for (const [id, lane] of outstanding) {
          if (disk.present.has(id)) continue;
          if (window.has(id)) outstanding.delete(id); // its delivered record made it, its "A" did not
          else {
            summary.lost += 1;
            outstanding.delete(id);
            violation(`iteration ${iteration}: ${id} (lane ${lane}) acknowledged as written, not delivered, missing`);
          }
        }
        for (const [id, lane] of disk.present) {
          if (outstanding.has(id)) continue;
          // Only the last child's very last append can be on disk without its "W".
          const unlogged = lastRunWritten >= 0 ? lastRunWritten + 1 : lastRunBase;
          if (id === unlogged) outstanding.set(id, lane);
          else {
            summary.duplicatesBeyondWindow += 1;
            violation(`iteration ${iteration}: ${id} (lane ${lane}) on disk as undelivered but acknowledged as delivered (or never appended)`);
          }
        }
        expectedLength = disk.present.size;
      }

      // 2. Run a child until the kill, then read what it was told.
      const idBase = (iteration + 1) * ID_SPAN;
      const logPath = join(dir, `log-${iteration}.txt`);
      // (fsync costs a disk flush per record with 'always': a sixth of the runs use it.)
      const fsync = ['never', 'never', 'interval', 'interval', 'interval', 'always'][Math.floor(random() * 6)];
      const segmentBytes = 2048 + Math.floor(random() * 14_000);
      // Some children append faster than they deliver (the queue grows over many segments), some slower.
      const appendShare = [0.35, 0.5, 0.62][Math.floor(random() * 3)];
      const run = await runChild([queueDir, logPath, String(seed * 100_003 + iteration), String(idBase), fsync, String(segmentBytes), String(appendShare)], logPath, random);
      summary.iterations += 1;
      if (!run.ready) summary.killsBeforeOpen += 1;
      if (run.exit.signal !== 'SIGKILL') {
        summary.unexpectedExits += 1;
        violation(`iteration ${iteration}: child exited ${run.exit.code ?? run.exit.signal}: ${run.stderr.slice(0, 500)}`);
      }
      const text = existsSync(logPath) ? readFileSync(logPath, 'utf8') : '';
      rmSync(logPath, { force: true });
      const lines = text.split('\n');
      lines.pop(); // the last is empty, or a line cut short by the kill
      lastRunBase = idBase;
      lastRunWritten = -1;
      const handedNow = new Set<number>();
      for (const line of lines) {
        const [what, idText, extra, extra2] = line.split(' ');
        const id = Number(idText);
        if (what === 'O') {
          summary.tornBytes += Number(extra2);
          if (expectedLength !== undefined && id !== expectedLength) {
            summary.openMismatches += 1;
            violation(`iteration ${iteration}: queue opened with ${id} events, the files hold ${expectedLength}`);
          }
        } else if (what === 'W') {
          outstanding.set(id, Number(extra));
          lastRunWritten = id;
          summary.acknowledgedWritten += 1;
        } else if (what === 'H') {
          summary.handedOn += 1;
          const lane = Number(extra);
          if (!outstanding.has(id)) {
            summary.duplicatesBeyondWindow += 1;
            violation(`iteration ${iteration}: ${id} handed on but not outstanding (delivered before, or never written)`);
          } else if (window.has(id)) summary.duplicatesInWindow += 1;
          if (id <= lastHanded[lane] && !window.has(id)) violation(`iteration ${iteration}: lane ${lane} handed ${id} after ${lastHanded[lane]}`);
          lastHanded[lane] = id;
          handedNow.add(id);
        } else if (what === 'A') {
          outstanding.delete(id);
          handedNow.delete(id);
          window.delete(id);
          summary.acknowledgedDelivered += 1;
        } else if (what === 'BAD') {
          summary.badBodies += 1;
          violation(`iteration ${iteration}: child read a wrong body for ${id}`);
        }
      }
      summary.maxWindow = Math.max(summary.maxWindow, handedNow.size);
      for (const id of window) if (!handedNow.has(id) && outstanding.has(id)) handedNow.add(id);
      window = handedNow;
      if (options.progress && summary.iterations % 100 === 0) {
        options.progress(`${summary.iterations} kills, ${summary.acknowledgedWritten} written, ${summary.acknowledgedDelivered} delivered, ${outstanding.size} outstanding, ${Math.round((Date.now() - started) / 1000)} s`);
      }
    }

    // 3. The last state: the queue opens in-process and everything outstanding comes out once.
    const disk = readDisk(queueDir);
    summary.recordsChecked += disk.checked;
    const queue = DurableQueue.open({ dir: queueDir, fsync: { mode: 'never' } });
    try {
      if (queue.length !== disk.present.size) {
        summary.openMismatches += 1;
        violation(`end: queue opened with ${queue.length} events, the files hold ${disk.present.size}`);
      }
      for (let lane = 0; lane < 4; lane++) {
        for (let entry = queue.peek(lane); entry; entry = queue.peek(lane)) {
          const body = queue.read(entry);
          const id = idOfBody(body);
          if (!crashBody(id).equals(body)) {
            summary.badBodies += 1;
            violation(`end: wrong body for ${id}`);
          }
          if (outstanding.delete(id)) summary.drainedAtEnd += 1;
          else if (id === (lastRunWritten >= 0 ? lastRunWritten + 1 : lastRunBase)) summary.drainedAtEnd += 1;
          else {
            summary.duplicatesBeyondWindow += 1;
            violation(`end: ${id} drained but not outstanding`);
          }
          if (window.has(id)) summary.duplicatesInWindow += 1;
          queue.markDelivered(entry);
        }
      }
    } finally {
      queue.close();
    }
    for (const id of outstanding) {
      if (window.has(id[0])) continue;
      summary.lost += 1;
      violation(`end: ${id[0]} acknowledged as written, never delivered, not drained`);
    }
  } finally {
    summary.elapsedMs = Date.now() - started;
    rmSync(dir, { recursive: true, force: true });
  }
  return summary;
}
