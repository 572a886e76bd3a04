// QuickCotEngine: a SaxEngine for the XML that CoT senders actually write, with saxes
// behind it for everything else.
//
// It accepts only a strict subset of well-formed XML — ASCII names, quoted attribute values
// without tabs or line breaks, the five predefined entities, text, properly nested
// elements, one root, nothing after it but whitespace — and works with indexOf and sticky
// regular expressions instead of a character-at-a-time state machine. The moment it meets
// anything outside that subset (a comment, CDATA, a processing instruction, a DOCTYPE, a
// character reference, a control character, a surrogate, a non-ASCII name, or any error)
// it stops, the sink is restarted, and saxes parses the whole document: saxes decides every
// error and every unusual construct. test/codec-fuzz.test.ts checks that whatever this
// accepts, saxes accepts too and decodes to the identical event.
import { SaxesEngine, type SaxEngine, type SaxSink } from './sax-engine.js';
import { AttributeList } from './attributes.js';
import { knownNameAt } from './known-names.js';
import { EntityCursor, hasTextAt, isNameChar, isSpace, nameEnd } from './subset.js';

/** The plain XML declaration ATAK and most senders write; anything fancier goes to saxes. */
const DECLARATION = /<\?xml[ ]+version=(?:"1\.0"|'1\.0')(?:[ ]+encoding=(?:"[Uu][Tt][Ff]-8"|'[Uu][Tt][Ff]-8'))?(?:[ ]+standalone=(?:"(?:yes|no)"|'(?:yes|no)'))?[ ]*\?>[ \t\r\n]*/y;
// Runs of characters inside the subset, as sticky regular expressions that stop at the
// first character outside it: one negated class, not an alternation (V8 matched an
// alternation ten times slower), and a run is a third faster than searching for a match.
// `<!` and `<?` need no search: a tag must start with a name, so the parser stops there.
const IN_SUBSET = /[^\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]*/y;
/** IN_SUBSET without tab and line breaks: one pass settles compact (single-line) CoT. */
const IN_SUBSET_NO_LINE_BREAK = /[^\x00-\x1f\ud800-\udfff\ufffe\uffff]*/y;

/** Where the run of `pattern`'s characters that starts at `from` ends. */
function runEnd(pattern: RegExp, s: string, from: number): number {
  pattern.lastIndex = from;
  pattern.test(s);
  return pattern.lastIndex;
}

function hasLineBreakOrTab(s: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = s.charCodeAt(k);
    if (c === 0x0a || c === 0x0d || c === 0x09) return true;
  }
  return false;
}

/** Entity checks over the document being parsed. */
const entities = new EntityCursor();

/** Parses the subset into the sink; false means "not in the subset" (the sink may have seen a part). */
function quickParse(s: string, sink: SaxSink, open: string[], attributes: AttributeList): boolean {
  const n = s.length;
  if (s.charCodeAt(0) !== 0x3c) return false;
  let i = 0;
  if (s.charCodeAt(1) === 0x3f /* ? */) {
    DECLARATION.lastIndex = 0;
    if (!DECLARATION.test(s) || s.charCodeAt(DECLARATION.lastIndex) !== 0x3c) return false;
    i = DECLARATION.lastIndex;
  }
  // Literal tabs and line breaks in attribute values are normalised by XML; leave those to
  // saxes. Compact CoT has none, and then one scan of the document is enough. "]]>" may
  // not occur in text; wherever it is, saxes decides.
  const compactEnd = runEnd(IN_SUBSET_NO_LINE_BREAK, s, i);
  const checkValues = compactEnd !== n;
  if ((checkValues && runEnd(IN_SUBSET, s, compactEnd) !== n) || s.includes(']]>', i)) return false;
  entities.begin(s, i);
  if (open.length !== 0) open.length = 0; // (setting 0 on an empty array would drop its storage)
  let followingLt = -1;
  for (;;) {
    // s[i] is '<'.
    if (s.charCodeAt(i + 1) === 0x2f /* / */) {
      // The close tag must name the open element, and that name must end there.
      const name = open.pop();
      if (name === undefined || !hasTextAt(s, i + 2, name) || isNameChar(s.charCodeAt(i + 2 + name.length))) return false;
      let j = i + 2 + name.length;
      while (j < n && isSpace(s.charCodeAt(j))) j++;
      if (s.charCodeAt(j) !== 0x3e) return false;
      const closeStart = i;
      i = j + 1;
      sink.close(name, i, closeStart);
    } else {
      const known = knownNameAt(s, i + 1);
      const end = known !== undefined ? i + 1 + known.length : nameEnd(s, i + 1);
      if (end === -1) return false;
      const name = known ?? s.slice(i + 1, end);
      // '<' may not occur in a start tag: no attribute value may reach past the next one.
      const nextLt = s.indexOf('<', end);
      const tagLimit = nextLt === -1 ? n : nextLt;
      attributes.reset(s);
      let j = end;
      let selfClosing = false;
      for (;;) {
        const before = j;
        while (j < n && isSpace(s.charCodeAt(j))) j++;
        const c = s.charCodeAt(j);
        if (c === 0x3e /* > */) break;
        if (c === 0x2f /* / */) {
          if (s.charCodeAt(j + 1) !== 0x3e) return false;
          selfClosing = true;
          j++;
          break;
        }
        if (j === before) return false; // attributes must be separated by whitespace
        const knownAttribute = knownNameAt(s, j);
        const attributeEnd = knownAttribute !== undefined ? j + knownAttribute.length : nameEnd(s, j);
        if (attributeEnd === -1) return false;
        const attribute = knownAttribute ?? s.slice(j, attributeEnd);
        if (attributes.indexOf(attribute) !== -1) return false; // a duplicate: saxes reports it
        j = attributeEnd;
        while (j < n && isSpace(s.charCodeAt(j))) j++;
        if (s.charCodeAt(j) !== 0x3d /* = */) return false;
        j++;
        while (j < n && isSpace(s.charCodeAt(j))) j++;
        const quote = s.charCodeAt(j);
        if (quote !== 0x22 && quote !== 0x27) return false;
        const valueEnd = s.indexOf(quote === 0x22 ? '"' : "'", j + 1);
        if (valueEnd === -1 || valueEnd > tagLimit) return false;
        if (checkValues && hasLineBreakOrTab(s, j + 1, valueEnd)) return false;
        const valueEntities = entities.check(s, j + 1, valueEnd);
        if (valueEntities === 'bad') return false;
        attributes.addSpan(attribute, j + 1, valueEnd, valueEntities === 'escaped');
        j = valueEnd + 1;
      }
      const tagStart = i;
      i = j + 1; // past '>'
      sink.open(name, attributes, i, tagStart);
      if (selfClosing) sink.close(name, i, i);
      else open.push(name);
      followingLt = nextLt;
    }
    if (open.length === 0) {
      // The root is closed: only whitespace may follow.
      for (let k = i; k < n; k++) if (!isSpace(s.charCodeAt(k))) return false;
      return true;
    }
    // After a start tag the next '<' is already known: none can occur inside a tag.
    const next = followingLt >= i ? followingLt : s.indexOf('<', i);
    if (next === -1) return false; // unclosed elements
    if (next > i && entities.check(s, i, next) === 'bad') return false;
    i = next;
  }
}

/** A sink that can be told to forget a partial document before the fallback parses it again. */
export interface RestartableSaxSink extends SaxSink {
  restart(): void;
}

export class QuickCotEngine implements SaxEngine {
  private readonly open: string[] = [];
  private readonly attributes = new AttributeList();
  /** How many documents needed the fallback (for benchmarks and status). */
  fallbacks = 0;

  constructor(private readonly fallback: SaxEngine = new SaxesEngine()) {}

  parse(source: string, sink: SaxSink): void {
    if (quickParse(source, sink, this.open, this.attributes)) return;
    this.fallbacks++;
    (sink as Partial<RestartableSaxSink>).restart?.();
    this.fallback.parse(source, sink);
  }
}
