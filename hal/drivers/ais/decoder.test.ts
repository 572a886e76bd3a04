// The spec's test vectors (radios.md §3.6, from gpsd's sample.aivdm) through the decoder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AisDecoder, type AisMessage } from './decoder.js';

function decodeAll(lines: string[], decoder = new AisDecoder({ clock: () => 0 })): AisMessage[] {
  const out: AisMessage[] = [];
  for (const line of lines) decoder.decode(line, (m) => out.push(m));
  return out;
}

function one(...lines: string[]): Record<string, unknown> {
  const messages = decodeAll(lines);
  assert.equal(messages.length, 1);
  return messages[0].report as unknown as Record<string, unknown>;
}

test('ais decode: type 1 with rate of turn, SOG, COG, heading and second', () => {
  const r = one('!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A');
  assert.deepEqual(
    [r.type, r.mmsi, r.status, r.speed, r.accuracy, r.lat, r.lon, r.course, r.heading, r.second],
    [1, 371798000, 0, 12.3, true, 48.3816333, -123.3953833, 224, 215, 33],
  );
  assert.equal((r.raw as { turn: number }).turn, -127);
});

test('ais decode: "not available" heading is left out, kept raw', () => {
  const r = one('!AIVDM,1,1,,A,16SteH0P00Jt63hHaa6SagvJ087r,0*42');
  assert.equal(r.heading, undefined);
  assert.deepEqual(r.raw, { lat: 25848090, lon: -42454920, speed: 0, course: 934, heading: 511, turn: -128 });
  assert.deepEqual([r.lat, r.lon, r.speed, r.course], [43.08015, -70.7582, 0, 93.4]);
});

test('ais decode: type 4 base station time and surveyed position', () => {
  const r = one('!AIVDM,1,1,,A,403OviQuMGCqWrRO9>E6fE700@GO,0*4D');
  assert.deepEqual([r.mmsi, r.timestamp, r.lat, r.lon, r.epfd], [3669702, '2007-05-14T19:57:39Z', 36.8837667, -76.3523617, 7]);
});

test('ais decode: type 5 over two fragments', () => {
  const r = one('!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C', '!AIVDM,2,2,1,A,88888888880,2*25');
  assert.deepEqual(
    [r.mmsi, r.imo, r.callsign, r.shipname, r.shiptype, r.to_bow, r.to_stern, r.to_port, r.to_starboard, r.epfd, r.eta, r.draught, r.destination],
    [351759000, 9134270, '3FOF8', 'EVER DIADEM', 70, 225, 70, 1, 31, 1, '05-15T14:00Z', 12.2, 'NEW YORK'],
  );
});

test('ais decode: type 9 SAR aircraft altitude and whole-knot speed', () => {
  const r = one('!AIVDM,1,1,,A,91b77=h3h00nHt0Q3r@@07000<0b,0*69');
  assert.deepEqual([r.mmsi, r.alt, r.speed, r.lat, r.lon, r.course, r.second], [111265591, 15, 0, 57.778455, 11.8816, 0, 28]);
});

test('ais decode: type 18 class B and type 19 extended class B', () => {
  const b = one('!AIVDM,1,1,,A,B52K>;h00Fc>jpUlNV@ikwpUoP06,0*4C');
  assert.deepEqual([b.mmsi, b.speed, b.lat, b.lon, b.course, b.heading, b.second, b.raim], [338087471, 0.1, 40.68454, -74.0721317, 79.6, undefined, 49, true]);
  const e = one('!AIVDM,1,1,,B,C5N3SRgPEnJGEBT>NhWAwwo862PaLELTBJ:V00000000S0D:R220,0*0B');
  assert.deepEqual(
    [e.mmsi, e.speed, e.lat, e.lon, e.course, e.shipname, e.shiptype, e.to_bow, e.to_stern, e.to_port, e.to_starboard],
    [367059850, 8.7, 29.543695, -88.8103917, 335.9, 'CAPT.J.RIMES', 70, 5, 21, 4, 4],
  );
});

test('ais decode: type 21 aid to navigation with the name extension', () => {
  const r = one('!AIVDM,2,1,5,B,E1mg=5J1T4W0h97aRh6ba84<h2d;W:Te=eLvH50```q,0*46', '!AIVDM,2,2,5,B,:D44QDlp0C1DU00,2*36');
  assert.deepEqual([r.mmsi, r.aid_type, r.name, r.lat, r.lon, r.to_bow, r.second], [123456789, 20, 'CHINA ROSE MURPHY EXPRESS ALERT', 47.9206183, -122.6985917, 5, 50]);
});

test('ais decode: type 24 part A is held and merged into part B', () => {
  const decoder = new AisDecoder({ clock: () => 0 });
  const messages = decodeAll(['!AIVDM,1,1,,A,H42O55i18tMET00000000000000,2*6D', '!AIVDM,1,1,,A,H42O55lti4hhhilD3nink000?050,0*40'], decoder);
  assert.equal(messages.length, 1);
  const r = messages[0].report;
  assert.deepEqual(
    [r.mmsi, r.shipname, r.shiptype, r.vendorid, r.model, r.serial, r.callsign, r.to_bow, r.to_stern, r.to_port, r.to_starboard],
    [271041815, 'PROGUY', 60, '1D00014', 12, 199796, 'TC6163', 0, 15, 0, 5],
  );
  assert.equal(decoder.vessels.get(271041815)?.callsign, 'TC6163');
});

test('ais decode: type 27 long-range, both lengths', () => {
  const short = one('!AIVDM,1,1,,A,KCQ9r=hrFUnH7P00,0*41');
  assert.deepEqual([short.repeat, short.mmsi, short.status, short.lat, short.lon, short.speed, short.course], [1, 236091959, 3, 87.065, -154.2017, 0, 0]);
  const long = one('!AIVDM,1,1,,B,KC5E2b@U19PFdLbMuc5=ROv62<7m,0*16');
  assert.deepEqual([long.mmsi, long.status, long.lat, long.lon, long.speed, long.course], [206914217, 2, 4.84, 137.0233, 57, 167]);
});

test('ais decode: static data is joined to later positions by MMSI', () => {
  const messages = decodeAll([
    '!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C',
    '!AIVDM,2,2,1,A,88888888880,2*25',
    // a type 1 report re-addressed to MMSI 351759000 (payload built with our own encoder)
    '!AIVDM,1,1,,A,15?MbV0P00Jt63hHaa6SagvJ087r,0*0D',
  ]);
  assert.equal(messages.length, 2);
  assert.equal(messages[1].report.mmsi, 351759000);
  assert.equal(messages[1].vessel?.shipname, 'EVER DIADEM');
  assert.equal(messages[1].vessel?.destination, 'NEW YORK');
});

test('ais decode: truncated bodies, bad checksums and junk are counted, not thrown', () => {
  const decoder = new AisDecoder({ clock: () => 0 });
  const out = decodeAll(['!AIVDM,1,1,,A,15RTgt0P,0*57', '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4B', 'garbage', '$GPGGA,x*00', '!AIVDM,1,1,,A,1XXX,0*4F'], decoder);
  assert.equal(out.length, 0);
  assert.equal(decoder.counters.badChecksum, 1);
  assert.equal(decoder.counters.notAis, 2);
  assert.ok(decoder.counters.tooShort + decoder.counters.badChecksum + decoder.counters.fragmentsDiscarded >= 3);
});
