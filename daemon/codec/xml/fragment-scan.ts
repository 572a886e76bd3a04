// A quick, conservative well-formedness check for TAK v1 xmlDetail fragments, so that the
// common case (plain elements and attributes) does not need a full SAX pass.
//
// It vouches only for the simplest XML: elements with ASCII names, quoted attributes
// without duplicates, text with the five predefined entities, properly nested, and no text
// between top-level elements. Anything else — comments, CDATA, processing instructions,
// character references, non-ASCII names, control characters, surrogates — makes it return
// undefined ("cannot vouch"), and the caller runs the SAX parser, which decides.
// test/codec-fuzz.test.ts checks that it never accepts what the SAX parser rejects.

import { entitiesOk, isSpace, nameEnd } from './subset.js';

const SUSPICIOUS = /[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]|]]>/;

/**
 * Returns the names of the top-level elements when the fragment is certainly well-formed
 * simple XML with nothing between its top-level elements, else undefined.
 */
export function scanSimpleFragment(s: string): string[] | undefined {
  if (SUSPICIOUS.test(s)) return undefined;
  const topLevel: string[] = [];
  const open: string[] = [];
  let i = 0;
  const n = s.length;
  while (i < n) {
    const lt = s.indexOf('<', i);
    const textEnd = lt === -1 ? n : lt;
    if (textEnd > i) {
      if (open.length === 0) return undefined; // top-level text, even whitespace: let SAX decide
      if (!entitiesOk(s, i, textEnd)) return undefined;
    }
    if (lt === -1) break;
    const next = s.charCodeAt(lt + 1);
    if (next === 0x2f /* / */) {
      const end = nameEnd(s, lt + 2);
      if (end === -1 || s.slice(lt + 2, end) !== open.pop()) return undefined;
      let j = end;
      while (j < n && isSpace(s.charCodeAt(j))) j++;
      if (s.charCodeAt(j) !== 0x3e /* > */) return undefined;
      i = j + 1;
      continue;
    }
    const end = nameEnd(s, lt + 1);
    if (end === -1) return undefined; // <! <? or an unusual name
    const name = s.slice(lt + 1, end);
    if (open.length === 0) topLevel.push(name);
    const attributes: string[] = [];
    let j = end;
    for (;;) {
      const before = j;
      while (j < n && isSpace(s.charCodeAt(j))) j++;
      const c = s.charCodeAt(j);
      if (c === 0x3e /* > */) {
        open.push(name);
        j++;
        break;
      }
      if (c === 0x2f /* / */) {
        if (s.charCodeAt(j + 1) !== 0x3e) return undefined;
        j += 2;
        break;
      }
      if (j === before) return undefined; // attributes must be separated by whitespace
      const attributeEnd = nameEnd(s, j);
      if (attributeEnd === -1) return undefined;
      const attribute = s.slice(j, attributeEnd);
      if (attributes.includes(attribute)) return undefined;
      attributes.push(attribute);
      j = attributeEnd;
      while (j < n && isSpace(s.charCodeAt(j))) j++;
      if (s.charCodeAt(j) !== 0x3d /* = */) return undefined;
      j++;
      while (j < n && isSpace(s.charCodeAt(j))) j++;
      const quote = s.charCodeAt(j);
      if (quote !== 0x22 && quote !== 0x27) return undefined;
      const valueEnd = s.indexOf(quote === 0x22 ? '"' : "'", j + 1);
      if (valueEnd === -1) return undefined;
      const lessThan = s.indexOf('<', j + 1);
      if (lessThan !== -1 && lessThan < valueEnd) return undefined;
      if (!entitiesOk(s, j + 1, valueEnd)) return undefined;
      j = valueEnd + 1;
    }
    i = j;
  }
  return open.length === 0 ? topLevel : undefined;
}
