import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineFramer } from './lines.js';
import { sentence } from '../drivers/sim/nmea-writer.js';

function frames(framer: LineFramer, ...chunks: (string | Buffer)[]): string[] {
  const out: string[] = [];
  for (const chunk of chunks) framer.push(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk, (f) => out.push(f));
  return out;
}

const GGA = '$GPGGA,030719.000,3747.0873,S,17518.8938,E,1,08,1.1,59.9,M,23.7,M,,0000*7D';
const RMC = '$GPRMC,030719.000,A,3747.0873,S,17518.8938,E,0.69,181.39,311214,,,A*7D';

test('lines: CR, LF and CR LF all end a sentence; empty lines are ignored', () => {
  const framer = new LineFramer();
  assert.deepEqual(frames(framer, `${GGA}\r\n${RMC}\n${GGA}\r\r\n\n${RMC}\r`), [GGA, RMC, GGA, RMC]);
  assert.equal(framer.counters.frames, 4);
  assert.equal(framer.counters.bytesDropped, 0);
});

test('lines: any chunking gives the same frames, down to one byte at a time', () => {
  const text = `${GGA}\r\n${RMC}\r\n`;
  const framer = new LineFramer();
  assert.deepEqual(frames(framer, ...text.split('')), [GGA, RMC]);
});

test('lines: a bad checksum is dropped and counted; lower-case hex is accepted', () => {
  const framer = new LineFramer();
  const bad = GGA.replace('*7D', '*7E');
  const lower = sentence('GPRMC,205150.00,V,,,,,,,,,,,V').trim().replace(/\*([0-9A-F]{2})$/, (_m, h: string) => `*${h.toLowerCase()}`);
  assert.deepEqual(frames(framer, `${bad}\r\n${lower}\r\n`), [lower]);
  assert.equal(framer.counters.badChecksum, 1);
  assert.equal(framer.counters.bytesDropped, bad.length);
});

test('lines: a truncated sentence (no checksum) is dropped as noChecksum', () => {
  const framer = new LineFramer();
  assert.deepEqual(frames(framer, '$GPBOD,,T,,M,,*\r\n$GPGSV,3,1,11,01,78*7\r\n'), []);
  assert.equal(framer.counters.noChecksum, 2);
});

test('lines: a start character mid-line resyncs (packet collision keeps the second sentence)', () => {
  const framer = new LineFramer();
  const gll = '$GPGLL,2638.1728,N,08011.3893,W,030131.000,A,A*41';
  assert.deepEqual(frames(framer, `$GPGGA,030130${gll}\r\n`), [gll]);
  assert.equal(framer.counters.bytesDropped, '$GPGGA,030130'.length);
});

test('lines: garbage between sentences is dropped and counted byte for byte', () => {
  const framer = new LineFramer();
  const garbage = '\x00\xff junk r';
  assert.deepEqual(frames(framer, `${garbage}${GGA}\r\n`), [GGA]);
  assert.equal(framer.counters.bytesDropped, garbage.length);
});

test('lines: an oversize line is dropped and the framer resyncs at the next sentence', () => {
  const framer = new LineFramer({ maxLength: 90 });
  const long = `$GPXXX,${'9'.repeat(200)}*00`;
  assert.deepEqual(frames(framer, `${long}\r\n${GGA}\r\n`), [GGA]);
  assert.equal(framer.counters.oversize, 1);
});

test('lines: comment lines are skipped only when asked for', () => {
  const withComments = new LineFramer({ commentChar: '#' });
  assert.deepEqual(frames(withComments, `# Date: 2014 $GPGGA in a comment\n${GGA}\n`), [GGA]);
  assert.equal(withComments.counters.commentLines, 1);
  const plain = new LineFramer();
  assert.deepEqual(frames(plain, `# $GPGGA inside\n`), []);
  assert.equal(plain.counters.noChecksum, 1);
});

test('lines: AIS sentences start with ! and frame the same way', () => {
  const ais = `!${sentence('AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0').trim().slice(1)}`;
  const framer = new LineFramer();
  assert.deepEqual(frames(framer, `${ais}\r\n`), [ais]);
});

test('lines: reset drops a partial frame', () => {
  const framer = new LineFramer();
  assert.deepEqual(frames(framer, GGA.slice(0, 20)), []);
  framer.reset();
  assert.deepEqual(frames(framer, `${GGA.slice(20)}\r\n${RMC}\r\n`), [RMC]);
  assert.equal(framer.counters.bytesDropped, 20 + GGA.length - 20);
});
