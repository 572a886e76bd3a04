// The spec's APRS test vectors (radios.md §2.11) with their decoded values, through the
// TNC2 path and, for the two on-air frames of §2.2, through KISS bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AprsDecoder } from './decoder.js';
import type { AprsPacket } from './packet.js';
import { KissFramer } from '../../framers/kiss.js';

function text(line: string): AprsPacket {
  const decoder = new AprsDecoder();
  const out: AprsPacket[] = [];
  decoder.decodeText(line, (p) => out.push(p));
  assert.equal(out.length, 1, `${line}: ${JSON.stringify(decoder.counters)}`);
  return out[0];
}

function kiss(hex: string): { packets: AprsPacket[]; decoder: AprsDecoder } {
  const decoder = new AprsDecoder();
  const framer = new KissFramer();
  const packets: AprsPacket[] = [];
  framer.push(Buffer.from(hex.replace(/\s+/g, ''), 'hex'), (frame) => decoder.decode(frame, (p) => packets.push(p)));
  return { packets, decoder };
}

const near = (actual: number | undefined, expected: number, tolerance = 1e-6): void => {
  assert.ok(actual !== undefined && Math.abs(actual - expected) <= tolerance, `${actual} ≉ ${expected}`);
};

test('aprs 1: uncompressed, no timestamp, altitude from /A=, comment', () => {
  const p = text('FROMCALL>TOCALL:!4903.50N/07201.75W-Test /A=001234');
  near(p.latitude, 49.058333);
  near(p.longitude, -72.029167);
  assert.deepEqual([p.symbol_table, p.symbol, p.comment, p.messagecapable, p.format], ['/', '-', 'Test', false, 'uncompressed']);
  near(p.altitude, 376.1232, 1e-4);
});

test('aprs 2: position with DHM zulu timestamp', () => {
  const p = text('FROMCALL>TOCALL:/092345z4903.50N/07201.75W>Test1234');
  near(p.latitude, 49.058333);
  assert.deepEqual([p.symbol, p.timestamp, p.messagecapable, p.comment], ['>', '092345z', false, 'Test1234']);
});

test('aprs 3: object with course/speed extension', () => {
  const p = text('FROMCALL>TOCALL:;LEADER   *092345z4903.50N/07201.75W>088/036');
  assert.deepEqual([p.kind, p.object_name, p.alive, p.course], ['object', 'LEADER', true, 88]);
  near(p.speed, 66.672);
  assert.equal(p.comment, undefined);
});

test('aprs 4: overlay table and PHG', () => {
  const p = text('N0CALL>APRS:!4309.95NS07307.13W#PHG3320 W2,NY2 Mt Equinox VT k2lm@arrl.net');
  near(p.latitude, 43.165833);
  near(p.longitude, -73.118833);
  assert.deepEqual([p.symbol_table, p.symbol], ['S', '#']);
  assert.deepEqual(p.phg, { power: 9, height: 80, gain: 2, directivity: 0 });
  assert.equal(p.comment, 'W2,NY2 Mt Equinox VT k2lm@arrl.net');
});

test('aprs 5: compressed weather position: wind is not the station course', () => {
  const p = text('N0CALL>APRS:=/5L!!<*e7_7P[g005t077r000p000P000h50b09900wRSW');
  near(p.latitude, 49.5);
  near(p.longitude, -72.75, 1e-5); // base-91 resolution
  assert.deepEqual([p.format, p.symbol_table, p.symbol, p.messagecapable], ['compressed', '/', '_', true]);
  // cs `7P` is 88°, 36.2 kn of wind for the weather symbol `_`: not the station's motion.
  assert.deepEqual([p.course, p.speed], [undefined, undefined]);
  const moving = text('N0CALL>APRS:=/5L!!<*e7>7P[');
  assert.equal(moving.course, 88);
  near(moving.speed, (1.08 ** 47 - 1) * 1.852, 1e-9);
  near((moving.speed ?? 0) / 1.852, 36.2, 0.05);
});

test('aprs 6: compressed without cs, altitude from /A=, heard via the starred digipeater', () => {
  const p = text('M0XER-4>APRS64,TF3RPF,WIDE2*,qAR,TF3SUT-2:!/.(M4I^C,O `DXa/A=040849|#B>@"v90!+|');
  near(p.latitude, 64.119874, 1e-6);
  near(p.longitude, -19.070654, 1e-6);
  assert.deepEqual([p.symbol_table, p.symbol, p.course, p.via], ['/', 'O', undefined, 'WIDE2']);
  near(p.altitude, 40849 * 0.3048, 1e-6);
  assert.equal(p.comment, 'Xa|#B>@"v90!+|', 'the 13-byte block ends at T = `D`');
});

test('aprs 7: Mic-E with altitude and the VX-8 suffix', () => {
  const p = text('FROMCALL>SUSUR1:`CF"l#![/`"3z}_ ');
  near(p.latitude, 35.586833);
  near(p.longitude, 139.701);
  assert.deepEqual([p.format, p.speed, p.course, p.symbol_table, p.symbol, p.altitude, p.mtype, p.device], ['mic-e', 0, 305, '/', '[', 8, 'M0: Off Duty', 'Yaesu VX-8']);
});

test('aprs 8: the spec\'s Mic-E KISS frame (TH-D72)', () => {
  const { packets } = kiss('C0 00 A8 A4 A6 AE 62 A4 E0 AE 84 64 9E A6 B4 60 AE 92 88 8A 62 40 62 AE 92 88 8A 64 40 65 03 F0 60 63 30 6F 6C 21 4F 5B 2F 3E 3D 0D C0');
  assert.equal(packets.length, 1);
  const p = packets[0];
  assert.equal(p.raw.startsWith('WB2OSZ>TRSW1R,WIDE1-1,WIDE2-2:`c0ol!O[/>=\r'), true);
  near(p.latitude, 42.618667);
  near(p.longitude, -71.347167);
  assert.deepEqual([p.speed, p.course, p.symbol, p.mtype, p.device, p.comment], [0, 151, '[', 'M0: Off Duty', 'Kenwood TH-D72', undefined]);
});

test('aprs 9: Mic-E TM-D710 with altitude and frequency comment', () => {
  const p = text('KJ4ETP-9>SUUP9Q,KE4OTZ-3,WIDE1*,WIDE2-1,qAR,KI4HDU-2:`oV$n6:>/]"7&}162.475MHz <Knox,TN> clintserman@gmail=');
  near(p.latitude, 35.8485);
  near(p.longitude, -83.968);
  near(p.speed, 22 * 1.852);
  assert.deepEqual([p.course, p.symbol, p.altitude, p.device, p.comment, p.via], [230, '>', 288, 'Kenwood TM-D710', '162.475MHz <Knox,TN> clintserman@gmail', 'WIDE1']);
});

test('aprs 10: ambiguity 1 decodes at the centre of the box', () => {
  const p = text('N0CALL>APRS:!4903.5 N/07201.7 W-');
  near(p.latitude, 49 + 3.55 / 60);
  near(p.longitude, -(72 + 1.75 / 60));
  assert.equal(p.posambiguity, 1);
  const four = text('N0CALL>APRS:!49  .  N/072  .  W-');
  near(four.latitude, 49.5);
  near(four.longitude, -72.5);
});

test('aprs 11: item', () => {
  const p = text('N0CALL>APRS:)AID #2!4903.50N/07201.75WA');
  assert.deepEqual([p.kind, p.object_name, p.alive, p.symbol_table, p.symbol], ['item', 'AID #2', true, '/', 'A']);
  near(p.latitude, 49.058333);
});

test('aprs: the spec\'s uncompressed KISS frame, and a third-party packet', () => {
  const { packets } = kiss(
    'C0 00 82 A0 A4 A6 40 40 E0 9C 60 86 82 98 98 72 AE 92 88 8A 62 40 62 AE 92 88 8A 64 40 63 03 F0 21 34 39 30 33 2E 35 30 4E 2F 30 37 32 30 31 2E 37 35 57 2D 54 65 73 74 20 2F 41 3D 30 30 31 32 33 34 C0',
  );
  assert.equal(packets[0].from, 'N0CALL-9');
  assert.deepEqual(packets[0].path, ['WIDE1-1', 'WIDE2-1']);
  const third = text('IGATE>APRS,WIDE2-1:}ORIGIN-5>APRS,TCPIP,IGATE*:=4903.50N/07201.75W-via RF');
  assert.equal(third.from, 'ORIGIN-5');
  assert.equal(third.comment, 'via RF');
});

test('aprs: other packet types are skipped and counted by type', () => {
  const decoder = new AprsDecoder();
  const emitted: AprsPacket[] = [];
  for (const line of [
    'N0CALL>APRS::BLN1     :bulletin text',
    'N0CALL>APRS:>status text',
    'N0CALL>APRS:T#005,199,000,255,073,123,01101001',
    'N0CALL>APRS:_10090556c220s004g005t077r000p000P000h50b09900',
    'N0CALL>APRS:!4903.50X/07201.75W-',
    'N0CALL>APRS:',
    'not a packet',
  ]) decoder.decodeText(line, (p) => emitted.push(p));
  assert.equal(emitted.length, 0);
  assert.deepEqual(
    [decoder.counters['skipped:message'], decoder.counters['skipped:status'], decoder.counters['skipped:telemetry'], decoder.counters['skipped:weather'], decoder.counters['skipped:bad-position'], decoder.counters['skipped:empty'], decoder.counters.notTnc2],
    [1, 1, 1, 1, 1, 1, 1],
  );
});

test('aprs: KISS commands other than data, SMACK and non-UI frames are counted', () => {
  const { packets, decoder } = kiss('C0 01 32 C0 C0 FF C0 C0 80 00 C0 C0 00 82 A0 A4 A6 40 40 E0 9C 60 86 82 98 98 73 3F F0 21 C0');
  assert.equal(packets.length, 0);
  assert.equal(decoder.counters.notData, 2);
  assert.equal(decoder.counters.smack, 1);
  assert.equal(decoder.counters['ax25:not-ui'], 1);
});
