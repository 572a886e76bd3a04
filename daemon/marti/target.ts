/**
 * The request target (`/Marti/sync/content?hash=…`) parsed strictly: origin form only, a
 * bounded length, printable ASCII, valid percent-escapes, at most a few query parameters.
 * Anything else is a TargetError whose reason is counted and answered as 400 (414 when too long).
 */

export const MAX_TARGET_LENGTH = 4096;
const MAX_PARAMETERS = 32;

export class TargetError extends Error {
  constructor(
    /** Counter name: `target-too-long`, `bad-target`. */
    readonly reason: 'target-too-long' | 'bad-target',
    message: string,
  ) {
    super(message);
  }
}

export interface RequestTarget {
  /** Decoded path segments joined by '/', always starting with '/'. */
  path: string;
  /** Decoded query parameters; the first of a repeated name wins. */
  query: Map<string, string>;
}

function decode(text: string, plusIsSpace: boolean): string {
  const raw = plusIsSpace ? text.replace(/\+/g, ' ') : text;
  if (!/^(?:[^%]|%[0-9A-Fa-f]{2})*$/.test(raw)) throw new TargetError('bad-target', 'bad percent-escape in the request target');
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw new TargetError('bad-target', 'percent-escapes are not UTF-8');
  }
  if (/[\x00-\x1f\x7f]/.test(decoded)) throw new TargetError('bad-target', 'control character in the request target');
  return decoded;
}

/** Parses `request.url`; throws TargetError. */
export function parseTarget(target: string | undefined, maxLength = MAX_TARGET_LENGTH): RequestTarget {
  if (target === undefined || target === '') throw new TargetError('bad-target', 'empty request target');
  if (target.length > maxLength) throw new TargetError('target-too-long', `request target longer than ${maxLength} characters`);
  if (target[0] !== '/') throw new TargetError('bad-target', 'request target is not a path (origin form)');
  if (!/^[\x21-\x7e]*$/.test(target)) throw new TargetError('bad-target', 'request target has spaces, control or non-ASCII characters');
  const hashAt = target.indexOf('#');
  if (hashAt >= 0) throw new TargetError('bad-target', 'request target has a fragment');
  const queryAt = target.indexOf('?');
  const rawPath = queryAt < 0 ? target : target.slice(0, queryAt);
  const rawQuery = queryAt < 0 ? '' : target.slice(queryAt + 1);
  const segments = rawPath.split('/').map((s) => decode(s, false));
  if (segments.some((s) => s.includes('/') || s === '..' || s === '.')) throw new TargetError('bad-target', 'dot or slash segments in the path');
  const query = new Map<string, string>();
  if (rawQuery !== '') {
    const pairs = rawQuery.split('&');
    if (pairs.length > MAX_PARAMETERS) throw new TargetError('bad-target', `more than ${MAX_PARAMETERS} query parameters`);
    for (const pair of pairs) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      const name = decode(eq < 0 ? pair : pair.slice(0, eq), true);
      const value = decode(eq < 0 ? '' : pair.slice(eq + 1), true);
      if (!query.has(name)) query.set(name, value);
    }
  }
  return { path: segments.join('/'), query };
}
