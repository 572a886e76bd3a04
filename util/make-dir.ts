/**
 * Creates a directory and its missing parents, one level at a time.
 *
 * Node's own `mkdirSync(dir, { recursive: true })` never returns on a file system that
 * answers ENOENT for a child of a directory that exists (procfs: `[status] dir = /proc/x/y`
 * spun at 100 % of a core, 62,745 failing mkdir calls in 3 s). This walks up to the first
 * ancestor that exists, then creates each level once: every call ends, with the error of
 * the level that failed.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export function makeDirSync(dir: string, mode?: number): void {
  const missing: string[] = [];
  let current = resolve(dir);
  for (;;) {
    const kind = kindOf(current);
    if (kind === 'directory') break;
    if (kind === 'other') throw notADirectory(current);
    missing.push(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const level of missing.reverse()) {
    try {
      mkdirSync(level, mode === undefined ? undefined : { mode });
    } catch (error) {
      // Another process (or a second opener) made it between the look and the mkdir.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && kindOf(level) === 'directory') continue;
      throw error;
    }
  }
}

function kindOf(path: string): 'directory' | 'other' | 'missing' {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (stats === undefined) return 'missing';
  return stats.isDirectory() ? 'directory' : 'other';
}

function notADirectory(path: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`ENOTDIR: not a directory, mkdir '${path}'`);
  error.code = 'ENOTDIR';
  error.path = path;
  error.syscall = 'mkdir';
  return error;
}
