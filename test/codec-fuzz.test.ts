// Fuzz: random bytes and mutated valid streams into the stream decoder (both protocols),
// bounded in iterations and time. No exception may escape; buffers stay bounded; the
// decoder still decodes a good event afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CotStreamDecoder } from '../daemon/codec/stream.js';
import { encodeProtoStream } from '../daemon/codec/proto/index.js';
import { XmlEventDecoder } from '../daemon/codec/xml/decode.js';
import { parseDetailFragment } from '../daemon/codec/xml/detail.js';
import { scanSimpleFragment } from './support/fragments.js';
import { SaxesEngine } from '../daemon/codec/xml/sax-engine.js';
import { QuickCotEngine } from '../daemon/codec/xml/quick-engine.js';
import { atakPliCorpus, seededRandom } from './support/generators.js';

const TIME_BUDGET_MS = 4000;
const MAX_EVENT_BYTES = 4096;
const corpus = atakPliCorpus(20, 123);
const xmlStream = Buffer.from(corpus.join('\n'));
const protoStream = Buffer.concat(corpus.map((x) => encodeProtoStream(new XmlEventDecoder().decode(x))));
const TOKENS = ['<event', '</event>', '<detail>', '</detail>', '<point lat="1" lon="2"/>', '"', "'", '>', '/>', '<', '&', '&amp;', '<!DOCTYPE', ']]>', '<![CDATA[', '\xbf'];

function mutate(random: () => number, input: Buffer, maxEdits = 8): Buffer {
  const bytes = Buffer.from(input);
  const edits = 1 + Math.floor(random() * maxEdits);
  let out = bytes;
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * out.length);
    const kind = random();
    if (kind < 0.3) out[at] = Math.floor(random() * 256);
    else if (kind < 0.5) out = Buffer.concat([out.subarray(0, at), out.subarray(Math.min(out.length, at + 1 + Math.floor(random() * 50)))]);
    else if (kind < 0.8) out = Buffer.concat([out.subarray(0, at), Buffer.from(TOKENS[Math.floor(random() * TOKENS.length)], 'latin1'), out.subarray(at)]);
    else out = Buffer.concat([out.subarray(0, at), out.subarray(Math.floor(random() * out.length))]);
  }
  return out;
}

function feed(stream: CotStreamDecoder, random: () => number, input: Buffer): void {
  let at = 0;
  while (at < input.length) {
    const size = 1 + Math.floor(random() * (random() < 0.5 ? 16 : 4096));
    stream.push(input.subarray(at, at + size));
    at += size;
  }
}

function fuzz(seed: number, protocol: 0 | 1, base: Buffer): { iterations: number; events: number; errors: number } {
  const random = seededRandom(seed);
  let iterations = 0;
  let events = 0;
  let errors = 0;
  const started = Date.now();
  const stream = new CotStreamDecoder({ maxEventBytes: MAX_EVENT_BYTES, onEvent: () => void events++, onError: () => void errors++ });
  stream.setProtocol(protocol);
  while (Date.now() - started < TIME_BUDGET_MS && iterations < 20000) {
    iterations++;
    const input = random() < 0.2 ? Buffer.from(Array.from({ length: Math.floor(random() * 2048) }, () => Math.floor(random() * 256))) : mutate(random, base);
    feed(stream, random, input);
    const internals = stream as unknown as { xmlFramer: { accLength: number } };
    assert.ok(internals.xmlFramer.accLength <= MAX_EVENT_BYTES + 16, 'framer buffer bounded');
  }
  // After all that, a clean event still comes through once the stream is reset.
  stream.reset();
  stream.setProtocol(protocol);
  let good = 0;
  const check = new CotStreamDecoder({ onEvent: () => void good++, onError: () => {} });
  check.setProtocol(protocol);
  check.push(protocol === 0 ? Buffer.from(corpus[0]) : protoStream.subarray(0, protoStream.indexOf(0xbf, 1)));
  assert.equal(good, 1);
  console.log(`fuzz seed ${seed} protocol ${protocol}: ${iterations} iterations, ${events} events, ${errors} errors`);
  return { iterations, events, errors };
}

test('fuzz: mutated XML streams never throw and stay bounded', () => {
  const heapBefore = process.memoryUsage().heapUsed;
  const result = fuzz(1, 0, xmlStream);
  assert.ok(result.iterations > 100 && result.errors > 0 && result.events > 0, JSON.stringify(result));
  assert.ok(process.memoryUsage().heapUsed - heapBefore < 200 * 1024 * 1024, 'heap bounded');
});

test('fuzz: mutated TAK v1 streams never throw and stay bounded', () => {
  const result = fuzz(2, 1, protoStream);
  assert.ok(result.iterations > 100 && result.errors > 0 && result.events > 0, JSON.stringify(result));
});

test('fuzz: xmlDetail fragments either parse or throw a CotDecodeError', () => {
  const random = seededRandom(3);
  const fragment = Buffer.from('<uid Droid="A"/><contact callsign="B" phone="1"/><remarks>x &amp; y</remarks><link uid="u"/>');
  for (let i = 0; i < 3000; i++) {
    const text = mutate(random, fragment).toString('latin1');
    try {
      const parsed = parseDetailFragment(text);
      // Whatever it kept must itself parse again as a fragment: nothing can escape <detail>.
      if (parsed.fields.xmlDetail) parseDetailFragment(parsed.fields.xmlDetail);
    } catch (err) {
      assert.equal((err as Error).name, 'CotDecodeError', String(err));
    }
  }
});

test('fuzz: the quick fragment check never vouches for XML that the SAX parser rejects', () => {
  const random = seededRandom(4);
  const saxes = new SaxesEngine();
  const ignore = { open: () => {}, close: () => {} };
  const seeds = [
    '<uid Droid="A"/><remarks source="a &amp; b" to=\'x\'>x &lt; y</remarks><link uid="u" type="a-f-G" relation="p-p"/>',
    '<marti><dest callsign="A"/><dest callsign="B"/></marti><usericon iconsetpath="COT_MAPPING_2525B/a-f/a-f-G"/>',
  ];
  let vouched = 0;
  for (let i = 0; i < 20000; i++) {
    const text = mutate(random, Buffer.from(seeds[i % 2]), 1).toString(random() < 0.5 ? 'latin1' : 'utf8');
    if (scanSimpleFragment(text) === undefined) continue;
    vouched++;
    assert.doesNotThrow(() => saxes.parse(`<detail>${text}</detail>`, ignore), text);
  }
  assert.ok(vouched > 1000, `only ${vouched} mutated fragments were vouched for`);
});

test('fuzz: the quick engine and saxes agree — same event or both refuse — on mutated events', () => {
  const random = seededRandom(5);
  const quickEngine = new QuickCotEngine();
  const quick = new XmlEventDecoder(quickEngine);
  const saxesOnly = new XmlEventDecoder(new SaxesEngine());
  const outcome = (decoder: XmlEventDecoder, text: string) => {
    try {
      return { event: decoder.decode(text) };
    } catch (err) {
      assert.equal((err as Error).name, 'CotDecodeError', String(err));
      return { error: (err as { reason: string }).reason };
    }
  };
  let decoded = 0;
  let refused = 0;
  for (let i = 0; i < 20000; i++) {
    const source = corpus[i % corpus.length];
    // Half with ATAK's XML declaration (as mesh datagrams carry it), half framed bare.
    const base = Buffer.from(i % 2 === 0 ? source : source.slice(source.indexOf('<event')));
    const text = (random() < 0.15 ? base : mutate(random, base, 2)).toString(random() < 0.5 ? 'latin1' : 'utf8');
    const a = outcome(quick, text);
    const b = outcome(saxesOnly, text);
    assert.deepEqual(a, b, text);
    if (a.event) decoded++;
    else refused++;
  }
  assert.ok(decoded > 3000 && refused > 3000, `decoded ${decoded}, refused ${refused}`);
  // Most decodable inputs must have been decided by the quick path itself, not the fallback.
  assert.ok(20000 - quickEngine.fallbacks > decoded * 0.8, `fallbacks ${quickEngine.fallbacks}, decoded ${decoded}`);
  console.log(`quick engine: ${decoded} decoded, ${refused} refused, ${quickEngine.fallbacks} handed to saxes`);
});
