/**
 * Reading the small files a configuration names (certificates, keys, CA bundles, password
 * files) without trusting the name: `cert = /dev/zero` or a directory must be a clear error,
 * not a read that never ends. Only a regular file under the size limit is read, and never
 * more than the limit even if it grows meanwhile.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** Certificates, keys and CA bundles are kilobytes; a system CA bundle is a few hundred. */
export const SMALL_FILE_MAX_BYTES = 4 * 1024 * 1024;

export class SmallFileError extends Error {
  constructor(
    readonly path: string,
    message: string,
    /** The errno code when the file could not be opened (ENOENT, EACCES, …). */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'SmallFileError';
  }
}

/** The file's bytes; throws SmallFileError saying why not (checked on the open file, not the name). */
export function readSmallFile(path: string, maxBytes = SMALL_FILE_MAX_BYTES): Buffer {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading must not wait for a writer.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new SmallFileError(path, `cannot read ${path} (${code})`, code);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new SmallFileError(path, `not a regular file: ${path} is ${kindOf(stat)}`);
    if (stat.size > maxBytes) throw new SmallFileError(path, `too large: ${path} is ${stat.size} bytes (the limit for such a file is ${maxBytes})`);
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length === buffer.length) throw new SmallFileError(path, `changed size while being read: ${path}`);
    }
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

function kindOf(stat: { isDirectory(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isFIFO(): boolean; isSocket(): boolean }): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isFIFO()) return 'a pipe';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}
