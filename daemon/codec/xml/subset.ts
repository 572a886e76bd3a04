// Character-level checks shared by the two quick paths (quick-engine.ts for whole events,
// fragment-scan.ts for TAK v1 xmlDetail): the strict subset of XML they accept themselves.

/** ASCII name characters: bit 1 may start a name, bit 2 may continue one. */
const NAME_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_]/.test(ch)) NAME_CLASS[c] = 3;
  else if (/[0-9.:-]/.test(ch)) NAME_CLASS[c] = 2;
}

const ENTITY = /&(?:amp|lt|gt|quot|apos);/y;

export function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** c may continue a name (a non-ASCII character ends an ASCII name). */
export function isNameChar(c: number): boolean {
  return c < 128 && NAME_CLASS[c] !== 0;
}

/** End of the ASCII name at `at`, or -1. A non-ASCII character ends it (and the caller then bails). */
export function nameEnd(s: string, at: number): number {
  const first = s.charCodeAt(at);
  if (!(first < 128 && (NAME_CLASS[first] & 1) !== 0)) return -1;
  let k = at + 1;
  for (let c = s.charCodeAt(k); c < 128 && NAME_CLASS[c] !== 0; c = s.charCodeAt(++k));
  return k;
}

/** Every '&' in s[from, to) is one of the five predefined entities. */
function entitiesOk(s: string, from: number, to: number): boolean {
  let amp = s.indexOf('&', from);
  while (amp !== -1 && amp < to) {
    ENTITY.lastIndex = amp;
    if (!ENTITY.test(s) || ENTITY.lastIndex > to) return false;
    amp = s.indexOf('&', ENTITY.lastIndex);
  }
  return true;
}

/**
 * Checks the entities of successive ranges of one string, left to right, finding each '&'
 * once: text and values without an '&' cost one comparison, not a search each.
 */
export class EntityCursor {
  /** The next '&' at or after the checked part (-1: none left). */
  private next = -1;

  /** Starts on a new string, at `from`. */
  begin(s: string, from: number): void {
    this.next = s.indexOf('&', from);
  }

  /** 'none': no '&' in s[from, to); 'escaped': only predefined entities; 'bad': anything else. */
  check(s: string, from: number, to: number): 'none' | 'escaped' | 'bad' {
    if (this.next !== -1 && this.next < from) this.next = s.indexOf('&', from);
    if (this.next === -1 || this.next >= to) return 'none';
    if (!entitiesOk(s, this.next, to)) return 'bad';
    this.next = s.indexOf('&', to);
    return 'escaped';
  }
}

/** s has `text` at `at` (a loop the compiler inlines; startsWith is a call). */
export function hasTextAt(s: string, at: number, text: string): boolean {
  for (let k = 0; k < text.length; k++) if (s.charCodeAt(at + k) !== text.charCodeAt(k)) return false;
  return true;
}
