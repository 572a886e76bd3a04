import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UNKNOWN_VALUE } from '../../../daemon/codec/event.js';
import { encodeXmlString } from '../../../daemon/codec/xml/encode.js';
import { assertNoFloatNoise, attributeText } from '../../../test/support/built-numbers.js';
import { AisDecoder, type AisMessage } from './decoder.js';
import { createAisToCot, ownShipFix } from './to-cot.js';
import { VesselCache } from './vessels.js';

const NOW = Date.UTC(2026, 0, 1);
const context = { sourceId: 'source.ais', now: NOW };

function decode(lines: string[]): AisMessage[] {
  const decoder = new AisDecoder({ clock: () => 0 });
  const out: AisMessage[] = [];
  for (const line of lines) decoder.decode(line, (m) => out.push(m));
  return out;
}

const voyage = ['!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C', '!AIVDM,2,2,1,A,88888888880,2*25'];
const position = '!AIVDM,1,1,,A,15?MbV0P00Jt63hHaa6SagvJ087r,0*0D';

test('ais cot: a position joined with its static data: uid, cargo type, name, remarks, stale', () => {
  const [, message] = decode([...voyage, position]);
  const event = createAisToCot()(message, context);
  assert.ok(event);
  assert.equal(event.uid, 'AIS.351759000');
  assert.equal(event.type, 'a-u-S-X-M-C');
  assert.equal(event.contact?.callsign, 'EVER DIADEM');
  assert.equal(event.stale - event.time, 3600_000);
  assert.deepEqual([event.point.lat, event.point.lon, event.point.hae, event.point.ce], [43.08015, -70.7582, UNKNOWN_VALUE, 30]);
  assert.match(event.xmlDetail ?? '', /<remarks>MMSI: 351759000; Call sign: 3FOF8; Type: cargo; Destination: NEW YORK; Status: under way using engine<\/remarks>/);
  assert.deepEqual(event.track, { speed: 0, course: 93.4 });
});

test('ais cot: unknown vessel falls back to the MMSI and the configured default type and prefix', () => {
  const [message] = decode(['!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A']);
  const event = createAisToCot({ uidPrefix: 'MMSI-', defaultType: 'a-n-S-X-M', staleSeconds: 600 })(message, context);
  assert.ok(event);
  assert.equal(event.uid, 'MMSI-371798000');
  assert.equal(event.type, 'a-n-S-X-M');
  assert.equal(event.contact?.callsign, '371798000');
  assert.equal(event.stale - event.time, 600_000);
  assert.equal(event.track?.speed, 6.33); // 12.3 kn, to 2 decimals
  assert.equal(event.point.ce, 10, 'accuracy flag set: DGNSS');
});

test('ais cot: SAR aircraft are air tracks with altitude; type 27 is long-lived', () => {
  const [sar] = decode(['!AIVDM,1,1,,B,91b55wi;hbOS@OdQAC062Ch2089h,0*30']);
  const air = createAisToCot()(sar, context);
  assert.equal(air?.type, 'a-u-A');
  assert.equal(air?.point.hae, 303);
  const [longRange] = decode(['!AIVDM,1,1,,B,KC5E2b@U19PFdLbMuc5=ROv62<7m,0*16']);
  const event = createAisToCot()(longRange, context);
  assert.equal((event?.stale ?? 0) - NOW, 21600_000);
});

test('ais cot: the XML of a target carries no floating-point noise (12.3 kn is speed="6.33")', () => {
  const toCot = createAisToCot();
  const messages = decode([...voyage, position, '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A', '!AIVDM,1,1,,B,91b55wi;hbOS@OdQAC062Ch2089h,0*30']);
  const xml = messages.map((m) => toCot(m, context)).filter((e) => e !== undefined).map((e) => encodeXmlString(e));
  assert.equal(xml.length, 3);
  for (const text of xml) assertNoFloatNoise(text);
  assert.equal(attributeText(xml[1], 'track', 'speed'), '6.33');
});

test('ais cot: static-only reports and positions without a position make no event', () => {
  const toCot = createAisToCot();
  assert.deepEqual(decode(voyage).map((m) => toCot(m, context)), [undefined]);
});

test('ais cot: own-ship reports are the box position, not a target', () => {
  const [own] = decode(['!AIVDO,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*48']);
  assert.equal(own.own, true);
  assert.equal(createAisToCot()(own, context), undefined);
  assert.ok(createAisToCot({ publishOwnShip: true })(own, context));
  const fix = ownShipFix(own, NOW);
  assert.deepEqual([fix?.lat, fix?.lon, fix?.track], [48.3816333, -123.3953833, 224]);
});

test('ais vessels: the cache is bounded, least recently updated first out', () => {
  const cache = new VesselCache(3);
  for (let mmsi = 1; mmsi <= 5; mmsi++) cache.learn({ type: 5, repeat: 0, mmsi, shipname: `S${mmsi}` });
  assert.equal(cache.size, 3);
  assert.equal(cache.get(1), undefined);
  assert.equal(cache.get(5)?.shipname, 'S5');
  assert.equal(cache.learn({ type: 1, repeat: 0, mmsi: 9 }), undefined, 'positions teach nothing');
});
