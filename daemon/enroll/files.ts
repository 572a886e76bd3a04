/**
 * Writing key material: each file under a temporary name in its own directory (never /tmp),
 * mode 0600 from the moment it exists, synced, then renamed into place; directories 0700.
 * A set of files is written only after everything in it was checked, so a failure leaves
 * the old files (or none) — never half a set.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { makeDirSync } from '../../util/make-dir.js';

/** `$STATE_DIRECTORY` (systemd's StateDirectory=), else /var/lib/takd. */
export function stateDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return env.STATE_DIRECTORY?.split(':')[0] || '/var/lib/takd';
}

export function writePrivateFile(path: string, data: string | Buffer, mode = 0o600): void {
  makeDirSync(dirname(path), 0o700);
  const temporary = join(dirname(path), `.${randomBytes(6).toString('hex')}.partial`);
  const fd = openSync(temporary, 'wx', mode);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}

/** Writes every file of the set (path → content), each atomically. */
export function writePrivateFiles(files: Record<string, string | Buffer>): void {
  for (const [path, data] of Object.entries(files)) writePrivateFile(path, data);
}
