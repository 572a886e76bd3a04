// The top-level element names of a detail fragment that scanFragment vouches for, for tests.
import { scanFragment } from '../../daemon/codec/xml/fragment-scan.js';

/** The names of the top-level elements when scanFragment vouches for the fragment, else undefined. */
export function scanSimpleFragment(s: string): string[] | undefined {
  const topLevel: string[] = [];
  return scanFragment(s, (name) => topLevel.push(name) > 0) ? topLevel : undefined;
}
