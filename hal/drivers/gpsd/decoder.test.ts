import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GnssFix } from '../../contract.js';
import { gpsdDriver } from './index.js';

function decode(text: string): { fixes: GnssFix[]; counters: Record<string, number> } {
  const framer = gpsdDriver.framer();
  const decoder = gpsdDriver.decoder();
  const fixes: GnssFix[] = [];
  framer.push(Buffer.from(text), (line) => decoder.decode(line, (f) => fixes.push(f)));
  return { fixes, counters: { ...decoder.counters, bytesDropped: framer.counters.bytesDropped } };
}

const SKY = '{"class":"SKY","hdop":1.10,"vdop":1.50,"pdop":1.80,"nSat":12,"uSat":8,"satellites":[{"PRN":17,"used":true}]}';
const TPV = '{"class":"TPV","device":"/dev/pts/1","mode":3,"time":"2034-08-16T03:07:21.000Z","lat":-37.784793333,"lon":175.31489,"altHAE":83.8,"altMSL":60.1,"epx":9.484,"epy":12.791,"epv":34.5,"track":181.39,"speed":0.458}';

test('gpsd: TPV becomes a fix with gpsd units; SKY DOPs ride along; other classes are ignored', () => {
  const { fixes, counters } = decode(`{"class":"VERSION","release":"3.22"}\n${SKY}\r\n${TPV}\n`);
  assert.equal(fixes.length, 1);
  const [fix] = fixes;
  assert.equal(fix.mode, 3);
  assert.equal(fix.time, Date.parse('2034-08-16T03:07:21.000Z'));
  assert.equal(fix.lat, -37.784793333);
  assert.equal(fix.altHAE, 83.8);
  assert.equal(fix.speed, 0.458);
  assert.ok(Math.abs((fix.eph ?? 0) - Math.hypot(9.484, 12.791)) < 1e-9);
  assert.equal(fix.hdop, 1.1);
  assert.equal(fix.satellitesUsed, 8);
  assert.equal(counters.ignored, 1);
});

test('gpsd: no position below mode 2; malformed and truncated JSON is counted, never thrown', () => {
  const { fixes, counters } = decode(
    '{"class":"TPV","mode":1,"lat":1,"lon":2}\n{"class":"TPV","mode":7}\n{"class":"TPV",\n[1,2]\nnull\n{"class":"TPV","mode":3,"lat":91,"lon":0}\n garbage\n',
  );
  assert.equal(fixes.length, 2);
  assert.equal(fixes[0].lat, undefined);
  assert.equal(fixes[1].lat, undefined, 'latitude 91 is not a position');
  assert.equal(counters.malformed, 2); // mode 7 and the truncated object; `[1,2]`, `null` and garbage never start a frame
  assert.ok(counters.bytesDropped > 0);
});

test('gpsd: fuzz — random and mutated reports never throw', () => {
  let seed = 12345;
  const next = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 0x1_0000_0000);
  const base = Buffer.from(`${SKY}\n${TPV}\n`);
  for (let i = 0; i < 2000; i++) {
    const input = Buffer.from(base);
    for (let k = 0; k < 1 + next() * 10; k++) input[Math.floor(next() * input.length)] = Math.floor(next() * 256);
    const { fixes } = decode(input.toString('latin1'));
    for (const fix of fixes) {
      assert.ok([0, 1, 2, 3].includes(fix.mode));
      if (fix.lat !== undefined) assert.ok(Math.abs(fix.lat) <= 90);
    }
  }
});
