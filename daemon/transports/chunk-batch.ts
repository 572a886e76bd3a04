/**
 * What the stream writer (stream-writer.ts, under the router) and the write queue
 * (write-queue.ts, a listener client's) share on the way out: an event encoded or dropped
 * with a log line, and the encoded events of one tick gathered into a single write.
 * Per-event code: nothing here allocates beyond the parts themselves.
 */
import type { CotEvent } from '../codec/event.js';
import type { Logger } from '../../util/logger.js';

/** XML comes as a string: a batch of strings is joined and converted to bytes once. */
export type EventEncoder = (event: CotEvent) => Buffer | string;

/** Flush a batch early once it holds this much. */
export const BATCH_BYTES = 64 * 1024;

/** A tick's encoded events as one chunk: strings joined (converted to bytes once by the stream). */
export function joinBatch(batch: (Buffer | string)[], hasBuffers: boolean): Buffer | string {
  if (batch.length === 1) return batch[0] as Buffer | string;
  if (!hasBuffers) return batch.join('');
  return Buffer.concat(batch.map((part) => (typeof part === 'string' ? Buffer.from(part) : part)));
}

/**
 * ASCII text (as CoT almost always is) is the same bytes in latin1, and Node writes a latin1
 * string with one copy; for utf8 it reserves three bytes a character and converts.
 * byteLength is a fast native count.
 */
export function chunkEncoding(chunk: Buffer | string): BufferEncoding {
  return typeof chunk === 'string' && Buffer.byteLength(chunk) === chunk.length ? 'latin1' : 'utf8';
}

/** The event encoded, or undefined (logged) when it cannot be: the caller counts it dropped. */
export function encodeOrDrop(encode: EventEncoder, event: CotEvent, logger: Logger): Buffer | string | undefined {
  try {
    return encode(event);
  } catch (error) {
    logger.warn({ err: error, uid: event.uid }, 'event could not be encoded; dropped');
    return undefined;
  }
}

/** Encoded events not yet handed to the stream, to leave as one write. */
export class ChunkBatch {
  /** For strings, characters: close enough to bytes for a buffering bound. */
  bytes = 0;
  private parts: (Buffer | string)[] = [];
  private hasBuffers = false;

  get length(): number {
    return this.parts.length;
  }

  add(encoded: Buffer | string): void {
    this.parts.push(encoded);
    this.bytes += encoded.length;
    if (typeof encoded !== 'string') this.hasBuffers = true;
  }

  /** The batch as one chunk; the batch is empty again. */
  take(): Buffer | string {
    const chunk = joinBatch(this.parts, this.hasBuffers);
    this.clear();
    return chunk;
  }

  clear(): void {
    this.parts = [];
    this.bytes = 0;
    this.hasBuffers = false;
  }
}
