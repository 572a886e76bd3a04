import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XmlEventFramer } from './framer.js';
import type { CotDecodeError } from '../errors.js';
import { atakPliCorpus } from '../../../test/support/generators.js';

function frameAll(chunks: Buffer[], maxEventBytes?: number) {
  const errors: CotDecodeError[] = [];
  const framer = new XmlEventFramer({ maxEventBytes, onError: (e) => errors.push(e) });
  const frames: string[] = [];
  for (const chunk of chunks) framer.push(chunk, (frame) => void frames.push(frame.toString('utf8')));
  return { frames, errors, counters: framer.counters };
}

const events = atakPliCorpus(3, 7);
const stream = Buffer.from(events.join('\n'));
const bare = events.map((e) => e.slice(e.indexOf('<event')));

test('frames a stream of events with declarations and newlines between them', () => {
  const { frames, errors } = frameAll([stream]);
  assert.deepEqual(frames, bare);
  assert.equal(errors.length, 0);
});

test('a stream split at every byte position frames identically', () => {
  for (let cut = 1; cut < stream.length; cut++) {
    const { frames, errors } = frameAll([stream.subarray(0, cut), stream.subarray(cut)]);
    assert.deepEqual(frames, bare, `cut at ${cut}`);
    assert.equal(errors.length, 0, `cut at ${cut}`);
  }
});

test('a stream fed one byte at a time frames identically', () => {
  const chunks = [...stream].map((b) => Buffer.from([b]));
  assert.deepEqual(frameAll(chunks).frames, bare);
});

test('a frame inside one chunk is a view of that chunk, not a copy', () => {
  const framer = new XmlEventFramer();
  let shared = false;
  framer.push(stream, (frame) => {
    shared ||= frame.buffer === stream.buffer;
  });
  assert.ok(shared);
});

test('self-closing <event/>, "<events>" lookalikes and "</event >" with whitespace', () => {
  const input = '<events>x</events><event uid="a" type="t"/> <event uid="b"><detail/></event  >';
  const { frames, counters } = frameAll([Buffer.from(input)]);
  assert.deepEqual(frames, ['<event uid="a" type="t"/>', '<event uid="b"><detail/></event  >']);
  assert.equal(counters.garbage, 1);
});

test('a quoted ">" inside the start tag does not end it', () => {
  const input = '<event uid="a>b" how=\'x/>\'><point/></event>';
  assert.deepEqual(frameAll([Buffer.from(input)]).frames, [input]);
});

test('garbage between events is counted once per run and skipped', () => {
  const input = Buffer.concat([Buffer.from('\x00\xff binary junk'), stream, Buffer.from('more junk')]);
  const { frames, errors, counters } = frameAll([input]);
  assert.deepEqual(frames, bare);
  assert.deepEqual(
    errors.map((e) => [e.reason, e.offset]),
    [
      ['garbage', 0],
      ['garbage', input.length - 9],
    ],
  );
  // Non-whitespace bytes only: 13 in the first run (\xff is two bytes in UTF-8), 8 in the last.
  assert.equal(counters.bytesDropped, 13 + 8);
});

test('a truncated event is reported and framing resyncs at the next <event', () => {
  const cut = bare[0].slice(0, 200);
  const { frames, errors } = frameAll([Buffer.from(cut + bare[1])]);
  assert.deepEqual(frames, [bare[1]]);
  assert.deepEqual(
    errors.map((e) => [e.reason, e.offset]),
    [['truncated', 0]],
  );
});

test('a start tag cut off by a new tag resyncs there', () => {
  const { frames, errors } = frameAll([Buffer.from('<event uid="x' + bare[0])]);
  assert.deepEqual(frames, [bare[0]]);
  assert.equal(errors[0].reason, 'truncated');
});

test('an oversize event is dropped without being buffered whole, and the next one frames', () => {
  const huge = '<event uid="big"><detail><remarks>' + 'A'.repeat(10 * 1024 * 1024) + '</remarks></detail></event>';
  const input = Buffer.from(huge + bare[0]);
  const framer = new XmlEventFramer({ onError: () => {} });
  const frames: string[] = [];
  let largestPending = 0;
  for (let i = 0; i < input.length; i += 65536) {
    framer.push(input.subarray(i, i + 65536), (f) => void frames.push(f.toString()));
    largestPending = Math.max(largestPending, (framer as unknown as { accLength: number }).accLength);
  }
  assert.deepEqual(frames, [bare[0]]);
  assert.equal(framer.counters.oversize, 1);
  assert.ok(largestPending <= 64 * 1024 + 16, `pending ${largestPending}`);
});

test('an oversize event inside a single chunk is dropped too', () => {
  const { frames, counters } = frameAll([Buffer.from(`<event>${'x'.repeat(2000)}</event>${bare[0]}`)], 1024);
  assert.deepEqual(frames, [bare[0]]);
  assert.equal(counters.oversize, 1);
});

test('a DOCTYPE between events is reported, never processed', () => {
  const input = '<!DOCTYPE lolz [<!ENTITY lol "lol">]>' + bare[0];
  const { frames, errors } = frameAll([Buffer.from(input)]);
  assert.deepEqual(frames, [bare[0]]);
  assert.equal(errors[0].reason, 'doctype');
});

test('the sink can stop framing; the unread rest is returned for another framing', () => {
  const tail = Buffer.from([0xbf, 0x05, 1, 2, 3, 4, 5]);
  const framer = new XmlEventFramer();
  const rest = framer.push(Buffer.concat([Buffer.from(bare[0]), tail]), () => true);
  assert.deepEqual(rest, tail);
});

test('stopping works when the frame was assembled across chunks', () => {
  const whole = Buffer.concat([Buffer.from(bare[0]), Buffer.from('REST')]);
  const framer = new XmlEventFramer();
  assert.equal(framer.push(whole.subarray(0, 100), () => true), undefined);
  assert.deepEqual(framer.push(whole.subarray(100), () => true), Buffer.from('REST'));
});

test('"</event>" and "<event" inside a comment or CDATA section do not end or cut the event', () => {
  const tricky = [
    '<event uid="c1"><detail><!-- </event> --><remarks>a</remarks></detail></event>',
    '<event uid="c2"><detail><remarks><![CDATA[</event> <event uid="x"> ]]></remarks></detail></event>',
    '<event uid="c3"><detail><!-- <event --><!----></detail></event>',
  ];
  const stream = Buffer.from(`${tricky.join('\n')}\n<event uid="after"/>`);
  const expected = [...tricky, '<event uid="after"/>'];
  for (let cut = 1; cut < stream.length; cut += 1) {
    const { frames, errors } = frameAll([stream.subarray(0, cut), stream.subarray(cut)]);
    assert.deepEqual(frames, expected, `split at ${cut}`);
    assert.deepEqual(errors, [], `split at ${cut}`);
  }
  const { frames } = frameAll([...stream].map((b) => Buffer.of(b)));
  assert.deepEqual(frames, expected, 'one byte at a time');
});

test(`"</event>" and "<event" inside a processing instruction do not end or cut the event (the fuzz target's framer-decoder agreement)`, () => {
  // XML allows a processing instruction anywhere in the body, and its text is opaque:
  // saxes decodes these events, so the framer must deliver them whole.
  const tricky = [
    '<event uid="p1"><detail><?pi </event> ?><remarks>a</remarks></detail></event>',
    '<event uid="p2"><detail><?pi <event uid="x"> ?></detail></event>',
    '<event uid="p3"><detail><??></detail></event>',
  ];
  const stream = Buffer.from(`${tricky.join('\n')}\n<event uid="after"/>`);
  const expected = [...tricky, '<event uid="after"/>'];
  for (let cut = 1; cut < stream.length; cut += 1) {
    const { frames, errors } = frameAll([stream.subarray(0, cut), stream.subarray(cut)]);
    assert.deepEqual(frames, expected, `split at ${cut}`);
    assert.deepEqual(errors, [], `split at ${cut}`);
  }
  const { frames } = frameAll([...stream].map((b) => Buffer.of(b)));
  assert.deepEqual(frames, expected, 'one byte at a time');
});

test('a comment that never ends inside an event is dropped as oversize, and framing goes on', () => {
  const open = Buffer.from(`<event uid="o"><detail><!-- ${'x'.repeat(300)}`);
  const next = Buffer.from('--></detail></event><event uid="next"/>');
  const { frames, errors } = frameAll([open, next], 256);
  assert.deepEqual(frames, ['<event uid="next"/>']);
  assert.deepEqual(errors.map((e) => e.reason), ['oversize']);
});

test('the assembly buffer is made on first need, not for every connection (a listener of 500 quiet clients held 16 KiB each), and reset() lets it go', () => {
  const framer = new XmlEventFramer();
  assert.equal(framer.assemblyBytes, 0);
  const frames: string[] = [];
  const sink = (frame: Buffer): void => void frames.push(frame.toString('utf8'));
  // Whole events in each chunk (a phone's PLI) never need it.
  for (let i = 0; i < 10; i += 1) framer.push(stream, sink);
  assert.equal(framer.assemblyBytes, 0);
  // An event cut in two does.
  const cut = bare[0]!.length >> 1;
  framer.push(Buffer.from(bare[0]!.slice(0, cut)), sink);
  assert.ok(framer.assemblyBytes > 0);
  framer.push(Buffer.from(bare[0]!.slice(cut)), sink);
  assert.equal(frames.at(-1), bare[0]);
  assert.equal(frames.length, 10 * bare.length + 1);
  framer.reset();
  assert.equal(framer.assemblyBytes, 0);
});
