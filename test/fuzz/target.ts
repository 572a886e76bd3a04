// What a fuzz target is: a function that takes bytes, feeds them to one framer or decoder,
// and throws when an invariant breaks (an exception that the code may not throw, output
// over its bound, counters that disagree). Anything thrown is a finding.

export interface FuzzTarget {
  name: string;
  /** Source files (repo-relative, without .ts) whose line coverage the run reports. */
  sources: string[];
  /** Tokens the mutator inserts (the target's syntax). */
  dictionary?: readonly (string | Buffer)[];
  /** Longest input tried (default 4096). */
  maxLength?: number;
  /** Modules outside build/{daemon,hal,config} whose coverage also counts as feedback (URL substrings). */
  extraFeedback?: string[];
  fuzz(data: Buffer): void;
}

/** A broken invariant (as opposed to an exception the code under test threw by itself). */
export class InvariantError extends Error {
  override name = 'InvariantError';
}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InvariantError(message);
}

/**
 * Splits the input as a stream arrives: the first byte chooses the chunk size (1–63 bytes,
 * or the whole input when it is 0xC0 or more), so that coverage reaches the code that
 * carries partial frames across chunks.
 */
export function chunks(data: Buffer): Buffer[] {
  if (data.length === 0) return [];
  const head = data[0]!;
  const body = data.subarray(1);
  if (head >= 0xc0) return [body];
  const size = (head & 0x3f) + 1;
  const out: Buffer[] = [];
  for (let at = 0; at < body.length; at += size) out.push(body.subarray(at, at + size));
  return out;
}
