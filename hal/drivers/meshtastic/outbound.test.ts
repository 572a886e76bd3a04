import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CotEvent } from '../../../daemon/codec/event.js';
import { MeshtasticFramer } from '../../framers/meshtastic.js';
import { AirtimeBudget } from './budget.js';
import { EXAMPLE_D } from './fixtures.js';
import { MAX_PAYLOAD, cotToTakPayload, takPacketFrame } from './outbound.js';
import { TakPacketType, ToRadioType, decodePlain, encodePlain } from './schema.js';
import { meshtasticFrame } from '../../framers/meshtastic.js';
import type { WireTakPacket } from './wire.js';

const base: CotEvent = {
  uid: 'ANDROID-0a1b2c3d4e5f6071', type: 'a-f-G-U-C', how: 'm-g', time: 0, start: 0, stale: 0,
  point: { lat: 38.9012345, lon: -77.1234567, hae: 35.4, ce: 5, le: 9999999 },
  contact: { callsign: 'ALPHA-1' }, group: { name: 'Cyan', role: 'Team Member' }, status: { battery: 87 }, track: { speed: 2.2, course: 270 },
};

test('meshtastic out: our encoder reproduces the spec\'s example C TAKPacket from its CoT', () => {
  const payload = cotToTakPayload(base);
  assert.ok(typeof payload === 'object');
  assert.equal(
    Buffer.from(payload.payload).toString('hex').toUpperCase(),
    '12230A07414C5048412D31121841 4E44524F49442D3061316232633364346535663630373 11A0408011 00A2202 08572A110D79DB2F1715F9E407D2182320022 88E02'.replace(/\s+/g, ''),
  );
});

test('meshtastic out: example D, a text packet frame, from our own encoder', () => {
  const frame = meshtasticFrame(encodePlain(ToRadioType, { packet: { to: 0xffffffff, decoded: { portnum: 1, payload: Buffer.from('hello mesh') }, id: 0x5eed0001, hopLimit: 3 } }));
  assert.deepEqual(frame, EXAMPLE_D);
});

test('meshtastic out: a TAK frame decodes back to a broadcast ATAK_PLUGIN packet', () => {
  const payload = cotToTakPayload(base);
  assert.ok(typeof payload === 'object');
  const frames: Buffer[] = [];
  new MeshtasticFramer().push(takPacketFrame(payload.payload, { id: 42, hopLimit: 5, channel: 2 }), (f) => frames.push(Buffer.from(f)));
  const toRadio = decodePlain<{ packet: { to: number; channel: number; id: number; hopLimit: number; decoded: { portnum: number; payload: Uint8Array } } }>(ToRadioType, frames[0]);
  assert.deepEqual([toRadio.packet.to, toRadio.packet.channel, toRadio.packet.id, toRadio.packet.hopLimit, toRadio.packet.decoded.portnum], [0xffffffff, 2, 42, 5, 72]);
  const tak = decodePlain<WireTakPacket>(TakPacketType, toRadio.packet.decoded.payload);
  assert.deepEqual(tak.pli, { latitudeI: 389012345, longitudeI: -771234567, altitude: 35, speed: 2, course: 270 });
});

test('meshtastic out: long chat lines are shortened to fit 233 bytes; oversize PLIs and other types are refused', () => {
  const chat: CotEvent = { ...base, uid: 'GeoChat.ANDROID-x.All Chat Rooms.9', type: 'b-t-f', xmlDetail: `<__chat chatroom="All Chat Rooms" senderCallsign="A &amp; B"/><remarks>${'é'.repeat(400)}</remarks>` };
  const payload = cotToTakPayload(chat);
  assert.ok(typeof payload === 'object');
  assert.ok(payload.payload.length <= MAX_PAYLOAD);
  const tak = decodePlain<WireTakPacket>(TakPacketType, payload.payload);
  assert.ok(tak.chat?.message?.endsWith('…'));
  assert.equal(tak.contact?.callsign, 'A & B');
  assert.equal(tak.chat?.to, 'All Chat Rooms');
  assert.equal(cotToTakPayload({ ...base, contact: { callsign: 'X'.repeat(300) } }), 'too-large');
  assert.equal(cotToTakPayload({ ...base, type: 't-x-c-t' }), 'unsupported-type');
  assert.equal(cotToTakPayload({ ...chat, xmlDetail: '<__chat/>' }), 'no-text');
});

test('meshtastic budget: chat first, one PLI per interval, newest PLI per uid, bounded queues', () => {
  const budget = new AirtimeBudget({ pliIntervalMs: 30_000, chatIntervalMs: 0, maxQueuedChats: 2, maxQueuedPlis: 2 });
  const item = (kind: 'pli' | 'chat', uid: string, n: number) => ({ kind, uid, payload: new Uint8Array([n]) });
  budget.offer(item('pli', 'a', 1));
  budget.offer(item('pli', 'a', 2));
  budget.offer(item('pli', 'b', 3));
  budget.offer(item('pli', 'c', 4)); // queue full
  budget.offer(item('chat', 'x', 5));
  budget.offer(item('chat', 'y', 6));
  budget.offer(item('chat', 'z', 7)); // queue full
  const sent = (now: number): number | undefined => budget.next(now)?.payload[0];
  assert.deepEqual([sent(0), sent(0), sent(0), sent(0)], [5, 6, 2, undefined], 'chats, then the newest PLI of uid a');
  assert.equal(sent(29_999), undefined, 'one PLI per 30 s');
  assert.equal(sent(30_000), 3);
  assert.deepEqual(budget.counters, { offered: 7, sent: 4, superseded: 1, dropped: 2 });
});
