import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KissFramer, kissEncode } from './kiss.js';

function frames(framer: KissFramer, ...chunks: Buffer[]): string[] {
  const out: string[] = [];
  for (const chunk of chunks) framer.push(chunk, (f) => out.push(f.toString('hex')));
  return out;
}

test('kiss: the spec example unescapes to port 0 data 41 C0 DB 42', () => {
  const framer = new KissFramer();
  assert.deepEqual(frames(framer, Buffer.from('C00041DBDCDBDD42C0', 'hex')), ['0041c0db42']);
  assert.equal(framer.counters.frames, 1);
});

test('kiss: encode escapes FEND and FESC and sets the port nibble', () => {
  assert.equal(kissEncode(Buffer.from('41C0DB42', 'hex')).toString('hex'), 'c00041dbdcdbdd42c0');
  assert.equal(kissEncode(Buffer.from('01', 'hex'), 3, 0).toString('hex'), 'c03001c0');
});

test('kiss: any chunking gives the same frames, escapes split across chunks included', () => {
  const stream = Buffer.concat([kissEncode(Buffer.from('c0c0dbdb', 'hex')), kissEncode(Buffer.from('hello'))]);
  const whole = frames(new KissFramer(), stream);
  const framer = new KissFramer();
  const bytewise = frames(framer, ...[...stream].map((b) => Buffer.from([b])));
  assert.deepEqual(bytewise, whole);
  assert.deepEqual(whole, ['00c0c0dbdb', `00${Buffer.from('hello').toString('hex')}`]);
});

test('kiss: back-to-back FENDs are empty frames and are ignored', () => {
  const framer = new KissFramer();
  assert.deepEqual(frames(framer, Buffer.from('C0C0C0C00001C0C0', 'hex')), ['0001']);
  assert.equal(framer.counters.bytesDropped, 0);
});

test('kiss: a bad escape drops that frame only, counted', () => {
  const framer = new KissFramer();
  assert.deepEqual(frames(framer, Buffer.from('C00041DB4142C0C00043C0', 'hex')), ['0043']);
  assert.equal(framer.counters.badEscape, 1);
  assert.equal(framer.counters.bytesDropped, 5, '00 41 DB 41 42');
  // FESC right before FEND
  const second = new KissFramer();
  assert.deepEqual(frames(second, Buffer.from('C00041DBC00044C0', 'hex')), ['0044']);
  assert.equal(second.counters.badEscape, 1);
});

test('kiss: noise before the first FEND is dropped; oversize frames are dropped and counted', () => {
  const framer = new KissFramer(16);
  assert.deepEqual(frames(framer, Buffer.from('TNC boot banner\r\n'), Buffer.from('C00001C0', 'hex')), ['0001']);
  assert.equal(framer.counters.bytesDropped, 17);
  assert.deepEqual(frames(framer, Buffer.concat([Buffer.from([0xc0]), Buffer.alloc(40, 0x41), Buffer.from('C00002C0', 'hex')])), ['0002']);
  assert.equal(framer.counters.oversize, 1);
});

test('kiss: reset drops a partial frame', () => {
  const framer = new KissFramer();
  frames(framer, Buffer.from('C0000102', 'hex'));
  framer.reset();
  assert.deepEqual(frames(framer, Buffer.from('03C0C00004C0', 'hex')), ['0004']);
});
