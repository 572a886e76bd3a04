// The quick XML engine against saxes: on any document, XmlEventDecoder with the quick engine
// (which hands what it does not know to saxes) and XmlEventDecoder with saxes alone decode
// the same event or both refuse with the same reason. Only CotDecodeError may be thrown.
// The first byte chooses how the bytes become text (latin1 or UTF-8), as both happen.
import { isDeepStrictEqual } from 'node:util';
import { XmlEventDecoder } from '../../../daemon/codec/xml/decode.js';
import { QuickCotEngine } from '../../../daemon/codec/xml/quick-engine.js';
import { SaxesEngine } from '../../../daemon/codec/xml/sax-engine.js';
import { check, type FuzzTarget } from '../target.js';
import { XML_DICTIONARY } from './dictionaries.js';

const quick = new XmlEventDecoder(new QuickCotEngine());
const saxes = new XmlEventDecoder(new SaxesEngine());

function outcome(decoder: XmlEventDecoder, text: string): { event?: unknown; error?: string } {
  try {
    return { event: decoder.decode(text) };
  } catch (err) {
    check(err instanceof Error && err.name === 'CotDecodeError', `threw ${String(err)}`);
    return { error: (err as unknown as { reason: string }).reason };
  }
}

export const target: FuzzTarget = {
  name: 'xml-differential',
  sources: ['daemon/codec/xml/quick-engine', 'daemon/codec/xml/subset', 'daemon/codec/xml/known-names', 'daemon/codec/xml/sax-engine', 'daemon/codec/xml/decode', 'daemon/codec/xml/detail'],
  dictionary: XML_DICTIONARY,
  maxLength: 4096,
  extraFeedback: ['/node_modules/saxes/'],
  fuzz(data) {
    if (data.length === 0) return;
    const text = data.subarray(1).toString(data[0]! & 1 ? 'utf8' : 'latin1');
    const a = outcome(quick, text);
    const b = outcome(saxes, text);
    check(isDeepStrictEqual(a, b), `quick engine and saxes disagree:\nquick: ${JSON.stringify(a)}\nsaxes: ${JSON.stringify(b)}`);
  },
};
