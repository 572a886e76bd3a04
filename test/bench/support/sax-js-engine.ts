// The `sax` package behind the codec's SaxEngine seam, for measuring it against saxes
// inside the real codec. Benchmark-only: sax is a devDependency.
import sax from 'sax';
import { CotDecodeError } from '../../../daemon/codec/errors.js';
import { AttributeList } from '../../../daemon/codec/xml/attributes.js';
import { attributeListOf, type SaxEngine, type SaxSink } from '../../../daemon/codec/xml/sax-engine.js';

export class SaxJsEngine implements SaxEngine {
  private parser = this.createParser();
  private sink: SaxSink | undefined;
  private readonly attributes = new AttributeList();

  private createParser(): sax.SAXParser {
    const parser = sax.parser(true, { position: true });
    parser.onopentag = (tag) => this.sink!.open(tag.name, attributeListOf(this.attributes, tag.attributes as Record<string, string>), parser.position);
    parser.onclosetag = (name) => this.sink!.close(name, parser.position);
    parser.ondoctype = () => {
      throw new CotDecodeError('doctype', 'DOCTYPE/ENTITY declarations are refused');
    };
    parser.onerror = (err) => {
      throw new CotDecodeError('malformed-xml', err.message);
    };
    return parser;
  }

  parse(source: string, sink: SaxSink): void {
    this.sink = sink;
    try {
      this.parser.write(source).close();
    } catch (err) {
      this.parser = this.createParser();
      throw err instanceof CotDecodeError ? err : new CotDecodeError('malformed-xml', String(err));
    } finally {
      this.sink = undefined;
    }
  }
}
