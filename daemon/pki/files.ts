/**
 * Writing the PKI's files: whole or not at all (temporary file, fsync, rename), with the
 * mode set at creation so a private key is never readable by others, not even briefly,
 * and owned by the service user when the command runs as root.
 */
import { chownSync, closeSync, existsSync, fchownSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { makeDirSync } from '../../util/make-dir.js';

/** The user the packaged service runs as (packaging/systemd/takd.service). */
export const SERVICE_USER = 'takd';

let owner: { uid: number; gid: number } | null | undefined;

/**
 * Run as root (`sudo takd ca init`), files are handed to the service user when it exists,
 * so the daemon can read its keys and spend tokens; otherwise they stay the caller's.
 */
function serviceOwner(): { uid: number; gid: number } | undefined {
  if (owner === undefined) {
    owner = null;
    if (process.getuid?.() === 0 && existsSync('/etc/passwd')) {
      const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${SERVICE_USER}:`));
      const [, , uid, gid] = line?.split(':') ?? [];
      if (uid !== undefined && gid !== undefined) owner = { uid: Number(uid), gid: Number(gid) };
    }
  }
  return owner ?? undefined;
}

/** Makes a directory of the PKI (0750, the service user's when run as root). */
export function makePkiDir(dir: string): void {
  if (existsSync(dir)) return;
  makeDirSync(dir, 0o750);
  const who = serviceOwner();
  if (who !== undefined) chownSync(dir, who.uid, who.gid);
}

/** Private keys, the user database, packages holding keys. */
export const PRIVATE_MODE = 0o600;
/** Certificates and the revocation list (every listener must read it). */
export const PUBLIC_MODE = 0o644;

export function writeFileAtomic(path: string, data: string | Uint8Array, mode: number): void {
  makePkiDir(dirname(path));
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', mode);
  try {
    const who = serviceOwner();
    if (who !== undefined) fchownSync(fd, who.uid, who.gid);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let at = 0;
    while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(temporary);
    throw error;
  }
  closeSync(fd);
  renameSync(temporary, path);
}

/** A lock older than this was left by a process killed while it held it. */
const STALE_LOCK_MS = 30_000;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Runs `change` holding `lockPath` (created exclusively, removed after): the CLI and the
 * running daemon both read, change and rewrite users.json, and without it one's change
 * could be lost to the other's. Holders keep it for a few milliseconds; a lock whose holder
 * is gone, or older than 30 s, is taken over.
 */
export function withFileLock<T>(lockPath: string, change: () => T, timeoutMs = 5_000): T {
  makePkiDir(dirname(lockPath));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(lockPath, 'wx', PRIVATE_MODE);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (lockAbandoned(lockPath)) {
        unlinkQuietly(lockPath);
        continue;
      }
      if (Date.now() > deadline) throw new Error(`${lockPath}: another takd command holds it (over ${timeoutMs / 1000} s); if none is running, delete the file`, { cause: error });
      Atomics.wait(sleeper, 0, 0, 5);
    }
  }
  try {
    return change();
  } finally {
    unlinkQuietly(lockPath);
  }
}

function lockAbandoned(lockPath: string): boolean {
  try {
    const pid = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid) {
      try {
        process.kill(pid, 0);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ESRCH') return true;
      }
    }
    return Date.now() - statSync(lockPath).mtimeMs > STALE_LOCK_MS;
  } catch {
    // Gone meanwhile (released), or not yet written by its maker: try again.
    return false;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone (taken over as abandoned).
  }
}
