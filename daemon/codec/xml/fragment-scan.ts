// A quick, conservative well-formedness check for TAK v1 xmlDetail fragments, so that the
// common case (plain elements and attributes) does not need a full SAX pass.
//
// It vouches only for the simplest XML: elements with ASCII names, quoted attributes
// without duplicates, text with the five predefined entities, properly nested, and no text
// between top-level elements. Anything else — comments, CDATA, processing instructions,
// character references, non-ASCII names, control characters, surrogates — makes it say
// "cannot vouch", and the caller runs the SAX parser, which decides.
// test/codec-fuzz.test.ts checks that it never accepts what the SAX parser rejects.

import { EntityCursor, isSpace, nameEnd } from './subset.js';

/** Deeper nesting or more attributes than this: not "simple"; SAX decides (keeps the arrays below small). */
const MAX_OPEN = 64;
const MAX_ATTRIBUTES = 32;

const SUSPICIOUS = /[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]|]]>/;

/** Offsets of the open elements' names (start, end pairs), reused between calls; `depth` pairs in use. */
const openNames: number[] = [];
/** Offsets of the current element's attribute names (start, end pairs), reused. */
const attributeNames: number[] = [];

/** Entity checks over the fragment being scanned. */
const entities = new EntityCursor();

function sameText(s: string, aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  if (aEnd - aStart !== bEnd - bStart) return false;
  for (let i = 0; i < aEnd - aStart; i++) if (s.charCodeAt(aStart + i) !== s.charCodeAt(bStart + i)) return false;
  return true;
}

/**
 * True when the fragment is certainly well-formed simple XML with nothing between its
 * top-level elements. Each top-level element name goes to `onTopLevel`; when it returns
 * false the scan stops and the result is false.
 */
export function scanFragment(s: string, onTopLevel: (name: string) => boolean): boolean {
  if (SUSPICIOUS.test(s)) return false;
  entities.begin(s, 0);
  let open = 0; // entries in openNames: two per open element
  let i = 0;
  const n = s.length;
  while (i < n) {
    const lt = s.indexOf('<', i);
    const textEnd = lt === -1 ? n : lt;
    if (textEnd > i) {
      if (open === 0) return false; // top-level text, even whitespace: let SAX decide
      if (entities.check(s, i, textEnd) === 'bad') return false;
    }
    if (lt === -1) break;
    if (s.charCodeAt(lt + 1) === 0x2f /* / */) {
      const end = nameEnd(s, lt + 2);
      if (end === -1 || open === 0 || !sameText(s, lt + 2, end, openNames[open - 2], openNames[open - 1])) return false;
      open -= 2;
      let j = end;
      while (j < n && isSpace(s.charCodeAt(j))) j++;
      if (s.charCodeAt(j) !== 0x3e /* > */) return false;
      i = j + 1;
      continue;
    }
    const end = nameEnd(s, lt + 1);
    if (end === -1) return false; // <! <? or an unusual name
    if (open === 0 && !onTopLevel(s.slice(lt + 1, end))) return false;
    const j = attributesEnd(s, end);
    if (j === -1) return false;
    if (s.charCodeAt(j - 2) !== 0x2f /* / */) {
      if (open === 2 * MAX_OPEN) return false;
      openNames[open++] = lt + 1;
      openNames[open++] = end;
    }
    i = j;
  }
  return open === 0;
}

/** Past the '>' or '/>' closing the tag whose attributes start at `j`; -1 when not simple. */
function attributesEnd(s: string, j: number): number {
  const n = s.length;
  let attributes = 0; // entries in attributeNames
  for (;;) {
    const before = j;
    while (j < n && isSpace(s.charCodeAt(j))) j++;
    const c = s.charCodeAt(j);
    if (c === 0x3e /* > */) return j + 1;
    if (c === 0x2f /* / */) return s.charCodeAt(j + 1) === 0x3e ? j + 2 : -1;
    if (j === before) return -1; // attributes must be separated by whitespace
    const attributeEnd = nameEnd(s, j);
    if (attributeEnd === -1) return -1;
    for (let k = 0; k < attributes; k += 2) {
      if (sameText(s, j, attributeEnd, attributeNames[k], attributeNames[k + 1])) return -1;
    }
    if (attributes === 2 * MAX_ATTRIBUTES) return -1;
    attributeNames[attributes++] = j;
    attributeNames[attributes++] = attributeEnd;
    j = attributeEnd;
    while (j < n && isSpace(s.charCodeAt(j))) j++;
    if (s.charCodeAt(j) !== 0x3d /* = */) return -1;
    j++;
    while (j < n && isSpace(s.charCodeAt(j))) j++;
    const quote = s.charCodeAt(j);
    if (quote !== 0x22 && quote !== 0x27) return -1;
    const valueEnd = s.indexOf(quote === 0x22 ? '"' : "'", j + 1);
    if (valueEnd === -1) return -1;
    const lessThan = s.indexOf('<', j + 1);
    if (lessThan !== -1 && lessThan < valueEnd) return -1;
    if (entities.check(s, j + 1, valueEnd) === 'bad') return -1;
    j = valueEnd + 1;
  }
}
