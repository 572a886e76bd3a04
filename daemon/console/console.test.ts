// The console's pieces without a server: the track table (filters, trail, stale, bound),
// CoT type ↔ 2525 SIDC, the access helpers, and markers and chat as CotEvents.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CotEvent } from '../codec/event.js';
import { bearerMatches, ClientRateLimiter, isLoopbackHost } from './access.js';
import { ApiError, chatEvent, markerEvent, typeFromSidc } from './requests.js';
import { XmlEventDecoder } from '../codec/xml/decode.js';
import { eventOf, featureCollectionJson, featureOf, sidcOf, TrackTable, type Track } from './tracks.js';

function event(uid: string, type: string, lat: number, lon: number, time: number, stale = time + 60_000): CotEvent {
  return { uid, type, how: 'm-g', time, start: time, stale, point: { lat, lon, hae: 9999999, ce: 9999999, le: 9999999 }, contact: { callsign: uid.toUpperCase() } };
}

test('track table: newest per uid with a trail, filters, stale and chat left out, bounded', () => {
  let now = 1_000_000;
  const table = new TrackTable(3, () => now);
  table.observe(event('a', 'a-f-G-U-C', 52, 13, now), 'self');
  table.observe(event('a', 'a-f-G-U-C', 52.1, 13.1, now + 1), 'self');
  table.observe(event('a', 'a-f-G-U-C', 50, 10, now - 5), 'self'); // older: ignored
  table.observe(event('b', 'a-h-A', -10, 170, now), 'input.x');
  table.observe(event('chat', 'b-t-f', 52, 13, now), 'api');
  table.observe(event('nowhere', 'a-f-G', 0, 0, now), 'api');
  assert.equal(table.size, 2);
  assert.deepEqual(table.get('a')?.trail, [[13, 52]]);
  assert.deepEqual(table.query({ types: ['a-h'] }).map((t) => t.uid), ['b']);
  assert.deepEqual(table.query({ bbox: { west: 12, south: 51, east: 14, north: 53 } }).map((t) => t.uid), ['a']);
  assert.deepEqual(table.query({ bbox: { west: 160, south: -20, east: -170, north: 0 } }).map((t) => t.uid), ['b'], 'a box across the antimeridian');
  table.observe(event('c', 'a-n-S', 1, 1, now), 'x');
  table.observe(event('d', 'a-u-G', 1, 1, now), 'x');
  assert.equal(table.size, 3);
  assert.equal(table.get('a'), undefined, 'the least recently updated went first');
  now += 61_000;
  assert.equal(table.query().length, 0, 'stale tracks are gone');
});

test('the FeatureCollection text is serialized once per update and equals serializing the features', () => {
  let now = 1_000_000;
  const table = new TrackTable(100, () => now);
  table.observe(event('a', 'a-f-G-U-C', 52, 13, now), 'self');
  table.observe(event('b', 'a-h-A', -10, 170, now), 'input.x');
  const expected = (): string => JSON.stringify({ type: 'FeatureCollection', features: table.query().map((t) => featureOf(t)) });
  const first = featureCollectionJson(table.query());
  assert.equal(first, expected());
  assert.deepEqual((JSON.parse(first) as { features: { id: string }[] }).features.map((f) => f.id), ['a', 'b']);
  const cachedA = table.get('a')?.json;
  assert.ok(cachedA !== undefined, 'kept for the next request');
  now += 1;
  table.observe(event('a', 'a-f-G-U-C', 52.5, 13.5, now), 'self');
  assert.equal(table.get('a')?.json, undefined, 'an update starts without the old text');
  const second = featureCollectionJson(table.query());
  assert.equal(second, expected());
  const moved = (JSON.parse(second) as { features: { id: string; geometry: { coordinates: number[] }; properties: { trail: number[][] } }[] }).features.find((f) => f.id === 'a');
  assert.deepEqual(moved?.geometry.coordinates, [13.5, 52.5]);
  assert.deepEqual(moved?.properties.trail, [[13, 52]]);
  assert.equal(featureCollectionJson([]), '{"type":"FeatureCollection","features":[]}');
});

test('CoT type ↔ 2525 letter SIDC', () => {
  assert.equal(sidcOf('a-f-G-U-C-I'), 'SFGPUCI--------');
  assert.equal(sidcOf('a-h-A'), 'SHAP-----------');
  assert.equal(sidcOf('b-m-p-s-m'), undefined);
  assert.equal(typeFromSidc('SHGPUCA----'), 'a-h-G-U-C-A');
  assert.equal(typeFromSidc('SNSPXM-----'), 'a-n-S-X-M');
  const table = new TrackTable(10, () => 0);
  table.observe(event('a', 'a-f-G', 1, 2, 0), 'self');
  const feature = featureOf(table.get('a') as Track);
  assert.deepEqual(feature.geometry.coordinates, [2, 1]);
  assert.equal(feature.properties.callsign, 'A');
});

test('a track keeps its event as text, not the decoded event, and reads it back whole', () => {
  const table = new TrackTable(10, () => 0);
  const built = { ...event('built', 'a-h-G', 1, 2, 0), group: { name: 'Cyan', role: 'Team Member' }, track: { speed: 3, course: 90 }, xmlDetail: '<remarks>hostile</remarks>' };
  table.observe(built, 'input.x');
  const source = '<event version="2.0" uid="relayed" type="a-f-G-U-C" how="m-g" time="1970-01-01T00:00:00Z" start="1970-01-01T00:00:00Z" stale="1970-01-01T00:01:00Z"><point lat="5" lon="6" hae="9999999" ce="9999999" le="9999999"/><detail><contact callsign="R"/></detail></event>';
  const relayed = new XmlEventDecoder().decode(source);
  table.observe(relayed, 'input.x');
  const track = table.get('built') as Track;
  assert.ok(!Object.values(track).some((value) => value === built || value === built.group), 'nothing of the decoded event but strings and numbers');
  assert.deepEqual({ ...eventOf(track) }, built);
  assert.equal((table.get('relayed') as Track).xml, source, 'what the sender wrote, as it wrote it');
  assert.deepEqual(eventOf(table.get('relayed') as Track), relayed);
  assert.equal(featureOf(track).properties.team, 'Cyan');
  assert.equal(featureOf(track).properties.speed, 3);
});

test('access: loopback, bearer, a request budget per address', () => {
  assert.ok(isLoopbackHost('127.0.0.1') && isLoopbackHost('127.0.0.2') && isLoopbackHost('::1') && isLoopbackHost('localhost'));
  assert.ok(!isLoopbackHost('0.0.0.0') && !isLoopbackHost('10.0.0.1') && !isLoopbackHost('::'));
  assert.ok(bearerMatches('Bearer abcdef0123456789', 'abcdef0123456789'));
  assert.ok(!bearerMatches('Bearer abcdef012345678', 'abcdef0123456789'));
  assert.ok(!bearerMatches(undefined, 'abcdef0123456789'));
  let now = 0;
  const limiter = new ClientRateLimiter(60, () => now);
  for (let i = 0; i < 10; i++) assert.equal(limiter.take('a'), 0);
  assert.ok(limiter.take('a') > 0);
  assert.equal(limiter.take('b'), 0, 'another address has its own budget');
  now += 1000;
  assert.equal(limiter.take('a'), 0, 'one a second comes back');
});

test('markers and chat become CotEvents; mistakes name the field', () => {
  const marker = markerEvent({ lat: 1, lon: 2, callsign: 'M', sidc: 'SFGPUCI----', remarks: 'a<b', stale: 60 }, 1000);
  assert.equal(marker.type, 'a-f-G-U-C-I');
  assert.equal(marker.stale, 61_000);
  assert.match(marker.xmlDetail ?? '', /<remarks>a&lt;b<\/remarks>/);
  assert.throws(() => markerEvent({ lat: 'x', lon: 2, callsign: 'M' }, 0), (e: unknown) => e instanceof ApiError && e.field === 'lat' && e.status === 400);
  const chat = chatEvent({ text: 'hi', room: 'Ops' }, 1000, { uid: 'box', callsign: 'BOX' }, () => undefined);
  assert.equal(chat.type, 'b-t-f');
  assert.match(chat.uid, /^GeoChat\.box\.Ops\./);
  assert.match(chat.xmlDetail ?? '', /<remarks source="BAO\.F\.ATAK\.box" to="Ops" time="[^"]+">hi<\/remarks>/);
  assert.match(chat.xmlDetail ?? '', /<chatgrp uid0="box" uid1="Ops" id="Ops"\/>/);
  assert.throws(() => chatEvent({ text: 'hi', room: 'a', callsign: 'b' }, 0, { uid: 'box', callsign: 'BOX' }, () => 'x'), (e: unknown) => e instanceof ApiError && e.field === 'room');
});

test('control characters and lone surrogates are refused where XML cannot carry them (fuzz finding: a room with \\b changed the chat uid on its way)', () => {
  const box = { uid: 'box', callsign: 'BOX' };
  const refused = (body: object, field: string) =>
    assert.throws(() => chatEvent(body, 0, box, () => undefined), (e: unknown) => e instanceof ApiError && e.field === field, JSON.stringify(body));
  refused({ text: 'hi', room: 'All\b' }, 'room');
  refused({ text: 'hi', room: 'two\nlines' }, 'room');
  refused({ text: 'a\u0000b' }, 'text');
  refused({ text: 'hi', from: '\ud800' }, 'from');
  assert.throws(() => markerEvent({ lat: 1, lon: 2, callsign: 'M\u001b[31m' }, 0), (e: unknown) => e instanceof ApiError && e.field === 'callsign');
  assert.match(chatEvent({ text: 'two\nlines\tand a tab' }, 0, box, () => undefined).xmlDetail ?? '', /two\nlines\tand a tab/);
});
