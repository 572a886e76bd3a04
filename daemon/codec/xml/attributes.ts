// AttributeList: the attributes of one start tag, as a SAX engine reports them to its sink.
//
// One list is reused for every tag and is valid only during the sink's open() call. The
// quick engine records where each value lies in the source and slices (and unescapes) a
// value only when the sink asks for it: most attributes of a CoT event are never read on
// the relay path, and an object per tag with a string per value was most of the
// decoder's allocation. Names are compared with ===, which for the interned constants of
// known-names.ts is a pointer comparison.

const ENTITY_TEXT = /&(amp|lt|gt|quot|apos);/g;
const ENTITY_CHARS: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapePredefined(text: string): string {
  return text.replace(ENTITY_TEXT, (_, entity: string) => ENTITY_CHARS[entity]!);
}

export class AttributeList {
  /** How many attributes the current tag has; names[0 … count) are theirs. */
  count = 0;
  readonly names: string[] = [];
  /** A value given as text (by a fallback engine), or undefined: then it is a span of `source`. */
  private readonly texts: (string | undefined)[] = [];
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** The span holds one of the five predefined entities, to be replaced when read. */
  private readonly escaped: boolean[] = [];
  private source = '';

  /** Starts a new tag whose value spans index into `source`. */
  reset(source: string): void {
    this.count = 0;
    this.source = source;
  }

  /** A value that lies in the source at [start, end), checked already. */
  addSpan(name: string, start: number, end: number, escaped: boolean): void {
    const i = this.count++;
    this.names[i] = name;
    this.texts[i] = undefined;
    this.starts[i] = start;
    this.ends[i] = end;
    this.escaped[i] = escaped;
  }

  /** A value as text (already unescaped). */
  addText(name: string, value: string): void {
    const i = this.count++;
    this.names[i] = name;
    this.texts[i] = value;
  }

  /** Index of `name` among the current tag's attributes, or -1. */
  indexOf(name: string): number {
    const names = this.names;
    for (let i = 0; i < this.count; i++) if (names[i] === name) return i;
    return -1;
  }

  /** The value of attribute `i` (0 ≤ i < count). */
  value(i: number): string {
    const text = this.texts[i];
    if (text !== undefined) return text;
    const raw = this.source.slice(this.starts[i], this.ends[i]);
    return this.escaped[i] ? unescapePredefined(raw) : raw;
  }

  /**
   * Where value `i` can be read in place, without a substring: textOf(i) from fromOf(i) to
   * toOf(i). Call textOf first: a value with entities is unescaped into a string of its own.
   */
  textOf(i: number): string {
    const text = this.texts[i];
    if (text !== undefined) return text;
    if (!this.escaped[i]) return this.source;
    const unescaped = this.value(i);
    this.texts[i] = unescaped;
    return unescaped;
  }

  fromOf(i: number): number {
    return this.texts[i] === undefined ? this.starts[i]! : 0;
  }

  toOf(i: number): number {
    const text = this.texts[i];
    return text === undefined ? this.ends[i]! : text.length;
  }
}
