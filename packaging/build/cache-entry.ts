// Entries of the packaging cache, safe for builders running at the same time (two test files,
// two CI jobs on one cache). An entry is a directory named by what it holds (a content hash,
// or a version pinned by its sha256). Guarantees:
// - An entry appears only by renaming a complete temporary directory to its name, so a path
//   that exists is complete; a builder that dies leaves only a temporary name, never used.
// - Builders never share scratch files: each works in its own temporary directory.
// - One builder per entry: the others wait on an exclusive lock file and then use its result.
// The lock only saves duplicated work. Correctness rests on the rename: should two builders
// ever both build (a lock taken over from a holder that died, raced), both publish the same
// content and the second rename is dropped.
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface LockOptions {
  /** Give up waiting for another builder after this long (default 15 minutes). */
  timeoutMs?: number;
  /** Said once while waiting for another builder. */
  log?: (line: string) => void;
}

const POLL_MS = 100;

/** True when `pid` is a live process on this machine (EPERM: alive, not ours). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockHolder(lockPath: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined; // released meanwhile
  }
}

/**
 * Takes the exclusive lock file `lockPath` (its text: "<pid> <token>"), waiting while a live
 * process holds it; a lock whose holder has died is taken over. Returns the release function.
 */
export async function acquireLock(lockPath: string, options: LockOptions = {}): Promise<() => void> {
  const token = `${process.pid} ${randomBytes(8).toString('hex')}\n`;
  // Written complete under a private name, then hard-linked to the lock name: link() fails
  // if the lock exists, and a lock that exists always says who holds it.
  const mine = `${lockPath}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(mine, token);
  const deadline = Date.now() + (options.timeoutMs ?? 15 * 60_000);
  let said = false;
  try {
    for (;;) {
      try {
        linkSync(mine, lockPath);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = lockHolder(lockPath);
      if (holder !== undefined && !processAlive(holder)) {
        // Moved aside before removal, so that only one waiter removes this stale lock.
        const aside = `${lockPath}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
        try {
          renameSync(lockPath, aside);
          rmSync(aside, { force: true });
          options.log?.(`took over ${lockPath} from process ${holder}, which is gone`);
        } catch {
          // another waiter moved it first
        }
        continue;
      }
      if (Date.now() > deadline) throw new Error(`gave up waiting for ${lockPath} (held by process ${holder ?? '?'})`);
      if (!said) options.log?.(`waiting for process ${holder ?? '?'} building ${lockPath.replace(/\.lock$/, '')}`);
      said = true;
      await sleep(POLL_MS);
    }
  } finally {
    rmSync(mine, { force: true });
  }
  return () => {
    // Removed only while it is still ours (a waiter may have judged us gone and taken it).
    try {
      if (readFileSync(lockPath, 'utf8') === token) rmSync(lockPath, { force: true });
    } catch {
      // already gone
    }
  };
}

/** Runs `work` holding the lock file `lockPath`. */
export async function withLock<T>(lockPath: string, work: () => Promise<T> | T, options: LockOptions = {}): Promise<T> {
  const release = await acquireLock(lockPath, options);
  try {
    return await work();
  } finally {
    release();
  }
}

export interface CacheEntry<T> {
  /** The complete entry directory. */
  path: string;
  /** False when the entry was already there (made earlier or by another builder). */
  made: boolean;
  /** What `use` returned. */
  value: T;
}

/**
 * The entry `dir/name`, made by `make(tempDir)` when absent: `make` fills a private temporary
 * directory, which becomes the entry by rename once `make` returns. `use(path)` runs under the
 * entry's lock, so that the entry is not pruned while it is read.
 */
export async function cacheEntry<T>(
  dir: string,
  name: string,
  make: (tempDir: string) => Promise<void> | void,
  use: (path: string) => Promise<T> | T,
  options: LockOptions = {},
): Promise<CacheEntry<T>> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  return withLock(
    `${path}.lock`,
    async () => {
      let made = false;
      if (!existsSync(path)) {
        const temp = `${path}.tmp.${process.pid}.${randomBytes(4).toString('hex')}`;
        mkdirSync(temp);
        try {
          await make(temp);
          try {
            renameSync(temp, path);
            made = true;
          } catch (error) {
            // ENOTEMPTY/EEXIST: another builder published the same content first.
            if (!existsSync(path)) throw error;
          }
        } finally {
          rmSync(temp, { recursive: true, force: true });
        }
      }
      return { path, made, value: await use(path) };
    },
    options,
  );
}

/** A builder's scratch or lock-file name in a cache directory: `<entry>.tmp.<pid>.<hex>`, `<entry>.lock…`. */
const NOT_AN_ENTRY = /\.(?:lock|tmp)(?:\.|$)/;
const SCRATCH_OWNER = /\.(?:tmp|lock)\.(\d+)\.[0-9a-f]+$/;

/**
 * Removes all but the `keep` most recently used entries of `dir` (by mtime), skipping any
 * entry whose lock is held; the scratch of builders that died goes too.
 */
export async function pruneEntries(dir: string, keep: number): Promise<void> {
  const names = readdirSync(dir);
  const entries = names
    .filter((name) => !NOT_AN_ENTRY.test(name))
    .map((name) => ({ name, mtime: statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const stale of entries.slice(keep)) {
    const path = join(dir, stale.name);
    if (existsSync(`${path}.lock`)) continue; // in use: next time
    await withLock(`${path}.lock`, () => {
      if (!existsSync(path)) return;
      const aside = `${path}.tmp.prune`;
      renameSync(path, aside);
      rmSync(aside, { recursive: true, force: true });
    });
  }
  for (const name of names) {
    const owner = SCRATCH_OWNER.exec(name)?.[1];
    if (owner !== undefined && !processAlive(Number(owner))) rmSync(join(dir, name), { recursive: true, force: true });
  }
}
