// The packaging cache under concurrent builders: two processes racing into one cold cache
// directory build an entry once and both read it whole; a lock left by a builder that died is
// taken over; a half-made entry is never used; a failed build publishes nothing.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { acquireLock, cacheEntry, pruneEntries } from './cache-entry.js';

const moduleUrl = new URL('./cache-entry.js', import.meta.url).href;
const root = mkdtempSync(join(tmpdir(), 'takd-cache-entry-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** 4 MiB written in 16 slow chunks: long enough for the other builder to look meanwhile. */
const CHUNKS = 16;
const CHUNK = Buffer.alloc(256 * 1024, 0x5a);

/**
 * A builder in its own process: makes entry `name` in `dir` (appending its pid to `log` when
 * it is the one that builds), then prints the size of the file it read from the entry.
 */
const BUILDER = `
import { appendFileSync, openSync, writeSync, closeSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
const { cacheEntry } = await import(process.env.MODULE);
const [dir, name, log] = process.argv.slice(1);
const entry = await cacheEntry(dir, name, async (temp) => {
  appendFileSync(log, process.pid + '\\n');
  const fd = openSync(temp + '/payload', 'w');
  for (let i = 0; i < ${CHUNKS}; i++) { writeSync(fd, Buffer.alloc(${CHUNK.length}, 0x5a)); await sleep(20); }
  closeSync(fd);
}, (path) => statSync(path + '/payload').size);
process.stdout.write(JSON.stringify({ made: entry.made, bytes: entry.value }));
`;

function runBuilder(dir: string, name: string, log: string): Promise<{ made: boolean; bytes: number }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', BUILDER, dir, name, log], { env: { ...process.env, MODULE: moduleUrl } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('close', (status) => (status === 0 ? resolve(JSON.parse(stdout) as { made: boolean; bytes: number }) : reject(new Error(`builder exited ${status}: ${stderr}`))));
  });
}

/** What a cache directory holds besides its entries (locks, scratch): should be nothing. */
function leftovers(dir: string, entries: string[]): string[] {
  return readdirSync(dir).filter((name) => !entries.includes(name));
}

describe('packaging cache entries', () => {
  it('two processes into one cold cache: one builds, both read the whole entry, nothing left over', async () => {
    const dir = join(root, 'race');
    const log = join(root, 'race.log');
    writeFileSync(log, '');
    const results = await Promise.all([runBuilder(dir, 'entry', log), runBuilder(dir, 'entry', log)]);
    const builders = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    assert.equal(builders.length, 1, `one builder, got ${builders.join(', ')}`);
    assert.deepEqual(results.map((r) => r.made).sort(), [false, true]);
    for (const result of results) assert.equal(result.bytes, CHUNKS * CHUNK.length, 'the entry was read complete');
    assert.deepEqual(leftovers(dir, ['entry']), []);
  });

  it('concurrent calls in one process: one make, every caller gets the entry', async () => {
    const dir = join(root, 'async');
    let makes = 0;
    const make = async (temp: string) => {
      makes++;
      await new Promise((resolve) => setTimeout(resolve, 50));
      writeFileSync(join(temp, 'payload'), 'done');
    };
    const results = await Promise.all([1, 2, 3].map(() => cacheEntry(dir, 'entry', make, (path) => readFileSync(join(path, 'payload'), 'utf8'))));
    assert.equal(makes, 1);
    assert.deepEqual(results.map((r) => r.value), ['done', 'done', 'done']);
    assert.deepEqual(leftovers(dir, ['entry']), []);
  });

  it('a lock whose holder died is taken over; a live holder is waited for', async () => {
    const dir = join(root, 'stale');
    mkdirSync(dir);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    assert.ok(dead !== undefined);
    writeFileSync(join(dir, 'entry.lock'), `${dead} deadbeef\n`);
    const result = await cacheEntry(dir, 'entry', (temp) => writeFileSync(join(temp, 'payload'), 'rebuilt'), (path) => readFileSync(join(path, 'payload'), 'utf8'));
    assert.equal(result.value, 'rebuilt');
    assert.deepEqual(leftovers(dir, ['entry']), []);

    const release = await acquireLock(join(dir, 'other.lock'));
    let waited = true;
    const waiting = acquireLock(join(dir, 'other.lock')).then((releaseSecond) => {
      waited = false;
      releaseSecond();
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.ok(waited, 'the second lock waits while the first holder is alive');
    release();
    await waiting;
    assert.equal(waited, false);
  });

  it('a half-made entry from a builder that died is never used, and pruning clears it', async () => {
    const dir = join(root, 'half');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    mkdirSync(join(dir, `entry.tmp.${dead}.0abc`), { recursive: true });
    writeFileSync(join(dir, `entry.tmp.${dead}.0abc`, 'payload'), 'half');
    const result = await cacheEntry(dir, 'entry', (temp) => writeFileSync(join(temp, 'payload'), 'whole'), (path) => readFileSync(join(path, 'payload'), 'utf8'));
    assert.equal(result.value, 'whole');
    await pruneEntries(dir, 6);
    assert.deepEqual(readdirSync(dir), ['entry']);
  });

  it('a failed make publishes nothing and releases the lock; the next call builds', async () => {
    const dir = join(root, 'fail');
    await assert.rejects(
      cacheEntry(dir, 'entry', () => {
        throw new Error('download failed');
      }, () => undefined),
      /download failed/,
    );
    assert.deepEqual(readdirSync(dir), []);
    const result = await cacheEntry(dir, 'entry', (temp) => writeFileSync(join(temp, 'payload'), 'ok'), () => 'used');
    assert.equal(result.made, true);
  });

  it('pruning keeps the most recently used entries', async () => {
    const dir = join(root, 'prune');
    for (const [i, name] of ['a', 'b', 'c'].entries()) {
      await cacheEntry(dir, name, (temp) => writeFileSync(join(temp, 'payload'), name), () => undefined);
      const when = new Date(Date.now() - (3 - i) * 60_000);
      utimesSync(join(dir, name), when, when);
    }
    await pruneEntries(dir, 2);
    assert.deepEqual(readdirSync(dir).sort(), ['b', 'c']);
    assert.ok(!existsSync(join(dir, 'a.lock')));
  });
});
