import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UNKNOWN_VALUE } from '../../../daemon/codec/event.js';
import { encodeXmlString } from '../../../daemon/codec/xml/encode.js';
import { assertNoFloatNoise, attributeText } from '../../../test/support/built-numbers.js';
import { AprsDecoder } from './decoder.js';
import type { AprsPacket } from './packet.js';
import { createAprsToCot } from './to-cot.js';

const NOW = Date.UTC(2026, 0, 1);
const context = { sourceId: 'source.aprs', now: NOW };

function packet(line: string): AprsPacket {
  let out: AprsPacket | undefined;
  new AprsDecoder().decodeText(line, (p) => (out = p));
  assert.ok(out, line);
  return out;
}

test('aprs cot: aprscot uid, type, stale and contact; altitude and comment', () => {
  const event = createAprsToCot()(packet('N0CALL-9>APRS,WIDE1-1:!4903.50N/07201.75W-Test /A=001234'), context);
  assert.ok(event);
  assert.equal(event.uid, 'APRS.N0CALL-9');
  assert.equal(event.type, 'a-f-G-I-U-T-r');
  assert.equal(event.stale - event.time, 3600_000);
  assert.equal(event.contact?.callsign, 'N0CALL-9 (APRS)');
  assert.equal(event.point.hae, 376.1); // 1234 ft
  assert.equal(event.point.ce, 20);
  assert.equal(event.xmlDetail, '<remarks>Test</remarks>');
  assert.equal(event.track, undefined);
});

test('aprs cot: objects are keyed by name, carry course/speed in m/s, killed ones are stale now', () => {
  const toCot = createAprsToCot({ type: 'a-u-G', staleSeconds: 600 });
  const live = toCot(packet('FROMCALL>TOCALL:;LEADER   *092345z4903.50N/07201.75W>088/036'), context);
  assert.equal(live?.uid, 'APRS.LEADER');
  assert.equal(live?.type, 'a-u-G');
  assert.equal(live?.stale, NOW + 600_000);
  assert.ok(Math.abs((live?.track?.speed ?? 0) - 18.52) < 1e-9);
  assert.equal(live?.track?.course, 88);
  assert.match(live?.xmlDetail ?? '', /object from FROMCALL/);
  const killed = toCot(packet('FROMCALL>TOCALL:;LEADER   _092345z4903.50N/07201.75W>'), context);
  assert.equal(killed?.stale, NOW);
});

test('aprs cot: ambiguity widens ce; unknown altitude stays unknown', () => {
  const event = createAprsToCot()(packet('N0CALL>APRS:!4903.  N/07201.  W-'), context);
  assert.equal(event?.point.ce, 926);
  assert.equal(event?.point.hae, UNKNOWN_VALUE);
});

test('aprs cot: the XML carries no floating-point noise (1234 ft, 36 kn, hundredths of a minute)', () => {
  const toCot = createAprsToCot();
  const withAltitude = toCot(packet('N0CALL-9>APRS,WIDE1-1:!4903.50N/07201.75W-Test /A=001234'), context);
  const moving = toCot(packet('FROMCALL>TOCALL:;LEADER   *092345z4903.57N/07201.79W>088/036'), context);
  assert.ok(withAltitude && moving);
  const [a, b] = [encodeXmlString(withAltitude), encodeXmlString(moving)];
  assertNoFloatNoise(a);
  assertNoFloatNoise(b);
  assert.equal(attributeText(a, 'point', 'hae'), '376.1');
  assert.equal(attributeText(b, 'point', 'lat'), '49.0595');
  assert.equal(attributeText(b, 'track', 'speed'), '18.52');
});
