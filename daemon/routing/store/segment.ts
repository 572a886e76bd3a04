/** One segment file of a durable queue: appended to while active, read back by offset, deleted whole. */
import { closeSync, fdatasyncSync, ftruncateSync, openSync, readFileSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parseSegment, type ParsedSegment } from './record.js';

export const SEGMENT_SUFFIX = '.seg';
const NAME = /^(\d{10})\.seg$/;

export function segmentIdOf(fileName: string): number | undefined {
  const match = NAME.exec(fileName);
  return match ? Number(match[1]) : undefined;
}

export class Segment {
  readonly path: string;
  /** Bytes on disk (valid records only). */
  bytes = 0;
  /** Stored events in this segment not yet delivered or evicted. */
  live = 0;
  /**
   * False once a failed append left bytes that could not be cut off: a record appended
   * after them would be hidden behind the torn bytes at recovery, so none may be.
   */
  appendable = true;
  private appendFd: number | undefined;
  private readFd: number | undefined;

  constructor(
    dir: string,
    readonly id: number,
  ) {
    this.path = join(dir, `${String(id).padStart(10, '0')}${SEGMENT_SUFFIX}`);
  }

  /** Reads the file, cuts off a torn tail on disk, and returns the valid records. */
  recover(): ParsedSegment & { tornBytes: number } {
    const bytes = readFileSync(this.path);
    const parsed = parseSegment(bytes);
    const tornBytes = bytes.length - parsed.validBytes;
    if (tornBytes > 0) {
      const fd = openSync(this.path, 'r+');
      try {
        ftruncateSync(fd, parsed.validBytes);
        fdatasyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    this.bytes = parsed.validBytes;
    return { ...parsed, tornBytes };
  }

  /** Creates the (empty) file for appending. */
  create(): void {
    this.appendFd ??= openSync(this.path, 'a');
  }

  /** Appends one whole record, or (disk full, I/O error) throws and leaves the file as it was. */
  append(record: Buffer): void {
    const fd = (this.appendFd ??= openSync(this.path, 'a'));
    let written = 0;
    try {
      while (written < record.length) written += writeSync(fd, record, written);
    } catch (error) {
      // A partial record would hide every later one behind it at recovery: cut it off, or
      // if even that fails, append nothing more to this file.
      if (written > 0) {
        try {
          ftruncateSync(fd, this.bytes);
        } catch {
          this.appendable = false;
        }
      }
      throw error;
    }
    this.bytes += record.length;
  }

  sync(): void {
    if (this.appendFd !== undefined) fdatasyncSync(this.appendFd);
  }

  read(offset: number, length: number): Buffer {
    this.readFd ??= openSync(this.path, 'r');
    const body = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.readFd, body, done, length - done, offset + done);
      if (n === 0) throw new Error(`${this.path}: short read at ${offset + done}`);
      done += n;
    }
    return body;
  }

  /** Stops appending (the segment is full); it stays readable. */
  seal(sync: boolean): void {
    if (this.appendFd === undefined) return;
    if (sync) fdatasyncSync(this.appendFd);
    closeSync(this.appendFd);
    this.appendFd = undefined;
  }

  close(): void {
    this.seal(false);
    if (this.readFd !== undefined) closeSync(this.readFd);
    this.readFd = undefined;
  }

  remove(): void {
    this.close();
    try {
      unlinkSync(this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}
