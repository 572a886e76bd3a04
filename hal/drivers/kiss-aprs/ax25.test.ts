import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeAx25, encodeAx25, type Ax25Frame } from './ax25.js';
import { parseTnc2, toTnc2 } from './tnc2.js';

// The spec's example (radios.md §2.2), without the KISS FENDs and the port byte.
const example = Buffer.from(
  '82A0A4A64040E0' + '9C6086829898' + '72' + 'AE92888A624062' + 'AE92888A644063' + '03F0' +
    Buffer.from('!4903.50N/07201.75W-Test /A=001234').toString('hex'),
  'hex',
);

test('ax25: the spec example decodes to addresses, path and info', () => {
  const frame = decodeAx25(example) as Ax25Frame;
  assert.equal(frame.destination.call, 'APRS');
  assert.equal(frame.source.call, 'N0CALL-9');
  assert.deepEqual(frame.digipeaters, [{ call: 'WIDE1-1', repeated: false }, { call: 'WIDE2-1', repeated: false }]);
  assert.equal(frame.info.toString(), '!4903.50N/07201.75W-Test /A=001234');
  assert.equal(toTnc2(frame), 'N0CALL-9>APRS,WIDE1-1,WIDE2-1:!4903.50N/07201.75W-Test /A=001234');
});

test('ax25: the H bit marks the digipeater that repeated the frame', () => {
  const micE = Buffer.from('A8A4A6AE62A4E0AE84649EA6B460AE92888A624062AE92888A64406503F0', 'hex');
  const heard = Buffer.from(micE);
  heard[20] = 0xe2; // WIDE1-1 SSID byte with H set (the spec's `WIDE1*` case keeps SSID 1 here)
  const frame = decodeAx25(heard) as Ax25Frame;
  assert.equal(frame.destination.call, 'TRSW1R');
  assert.equal(frame.source.call, 'WB2OSZ');
  assert.equal(frame.digipeaters[0].repeated, true);
  assert.equal(toTnc2(frame), 'WB2OSZ>TRSW1R,WIDE1-1*,WIDE2-2:');
});

test('ax25: encode then decode is the identity', () => {
  const info = Buffer.from('=4903.50N/07201.75W-hello');
  const frame = decodeAx25(encodeAx25('APZTKD', 'N0CALL-7', ['WIDE1-1', 'WIDE2-1'], info)) as Ax25Frame;
  assert.equal(toTnc2(frame), 'N0CALL-7>APZTKD,WIDE1-1,WIDE2-1:=4903.50N/07201.75W-hello');
});

test('ax25: malformed frames are reasons, not exceptions', () => {
  assert.equal(decodeAx25(Buffer.alloc(5)), 'short');
  assert.equal(decodeAx25(Buffer.alloc(40)), 'bad-address');
  const noEnd = Buffer.from(example);
  for (let i = 6; i < 28; i += 7) noEnd[i] &= 0xfe; // clear every extension bit
  assert.equal(decodeAx25(noEnd), 'bad-address', 'the control byte is read as an address');
  const notUi = Buffer.from(example);
  notUi[28] = 0x3f;
  assert.equal(decodeAx25(notUi), 'not-ui');
  const longPath = encodeAx25('APRS', 'N0CALL', Array.from({ length: 8 }, () => 'WIDE1-1'), Buffer.from('>x'));
  assert.equal(typeof decodeAx25(longPath), 'object', '8 digipeaters are allowed');
  const tooLong = Buffer.concat([longPath.subarray(0, 70), longPath.subarray(63, 70), longPath.subarray(70)]);
  tooLong[69] &= 0xfe;
  assert.equal(decodeAx25(tooLong), 'no-address-end');
});

test('tnc2: parse keeps the path and the H bits up to the starred entry', () => {
  const frame = parseTnc2('M0XER-4>APRS64,TF3RPF,WIDE2*,qAR,TF3SUT-2:!/.(M4I^C,O `DXa/A=040849|#B>@"v90!+|');
  assert.ok(frame);
  assert.equal(frame.source.call, 'M0XER-4');
  assert.deepEqual(frame.digipeaters.map((d) => [d.call, d.repeated]), [['TF3RPF', true], ['WIDE2', true], ['qAR', false], ['TF3SUT-2', false]]);
  assert.equal(parseTnc2('no packet here'), undefined);
  assert.equal(parseTnc2('>APRS:x'), undefined);
});
