// The SAX engine seam of the XML codec: two methods, so that engines can be swapped and
// measured inside the real codec (test/bench/codec-xml.ts). The decoder's default is the
// quick engine (quick-engine.ts), which parses the subset of XML that CoT senders write and
// hands anything else to saxes, the engine here; saxes alone parses the detail fragments
// the fragment scan does not take (detail.ts). Of the sax family, saxes was the faster
// inside the codec (BENCHMARKS.md).
// Positions are indexes into the source string just past the '>' of the tag.
import { SaxesParser } from 'saxes';
import { CotDecodeError } from '../errors.js';
import { AttributeList } from './attributes.js';

export interface SaxSink {
  /**
   * `attributes` is valid only during the call. `startPosition`, where the engine knows
   * it, is the index of the tag's '<'.
   */
  open(name: string, attributes: AttributeList, endPosition: number, startPosition?: number): void;
  /** `startPosition`, where the engine knows it, is the index of the close tag's '<' (for a self-closing tag: its end). */
  close(name: string, endPosition: number, startPosition?: number): void;
}

export interface SaxEngine {
  /** Parses one whole document; throws CotDecodeError when it is not well-formed. */
  parse(source: string, sink: SaxSink): void;
}

function refuseDoctype(): never {
  throw new CotDecodeError('doctype', 'DOCTYPE/ENTITY declarations are refused');
}

/** A SAX library's attributes (an object per tag) as the sink's AttributeList. */
export function attributeListOf(list: AttributeList, attributes: Record<string, string>): AttributeList {
  list.reset('');
  for (const name in attributes) list.addText(name, attributes[name]!);
  return list;
}

export class SaxesEngine implements SaxEngine {
  private parser!: SaxesParser<{ xmlns: false; position: true }>;
  private sink: SaxSink | undefined;
  private readonly attributes = new AttributeList();

  constructor() {
    this.createParser();
  }

  private createParser(): void {
    const parser = new SaxesParser({ xmlns: false, position: true });
    parser.on('opentag', (tag) => this.sink!.open(tag.name, attributeListOf(this.attributes, tag.attributes as Record<string, string>), parser.position));
    parser.on('closetag', (tag) => this.sink!.close(tag.name, parser.position));
    parser.on('doctype', refuseDoctype);
    parser.on('error', (err) => {
      if (err instanceof CotDecodeError) throw err;
      const message = err.message.replace(/^undefined:/, '');
      // A DOCTYPE anywhere but before the root is an error to saxes; it is still a DOCTYPE.
      throw new CotDecodeError(/doctype/i.test(message) ? 'doctype' : 'malformed-xml', message);
    });
    this.parser = parser;
  }

  parse(source: string, sink: SaxSink): void {
    this.sink = sink;
    try {
      this.parser.write(source).close();
    } catch (err) {
      // A parser that threw mid-document is in no state to reuse.
      this.createParser();
      if (err instanceof CotDecodeError) throw err;
      throw new CotDecodeError('malformed-xml', err instanceof Error ? err.message : String(err));
    } finally {
      this.sink = undefined;
    }
  }
}
