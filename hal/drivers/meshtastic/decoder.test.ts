// The spec's worked frames (radios.md §1.10) decoded, and the CoT they become.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MeshtasticFramer, meshtasticFrame } from '../../framers/meshtastic.js';
import { MeshtasticDecoder } from './decoder.js';
import { EXAMPLE_B, EXAMPLE_C, SPEC_STREAM } from './fixtures.js';
import type { MeshtasticMessage } from './messages.js';
import { FromRadioType, TakPacketType, TakPacketV2Type, encodePlain } from './schema.js';
import { MeshtasticSession } from './session.js';
import { createMeshtasticToCot } from './to-cot.js';
import { encodeXmlString } from '../../../daemon/codec/xml/encode.js';
import { assertNoFloatNoise, attributeText } from '../../../test/support/built-numbers.js';

const NOW = Date.UTC(2026, 0, 1);
const context = { sourceId: 'source.mesh', now: NOW };

function decodeStream(bytes: Buffer, session = new MeshtasticSession()): { messages: MeshtasticMessage[]; decoder: MeshtasticDecoder } {
  const decoder = new MeshtasticDecoder(session);
  const framer = new MeshtasticFramer();
  const messages: MeshtasticMessage[] = [];
  framer.push(bytes, (frame) => decoder.decode(frame, (m) => messages.push(m)));
  return { messages, decoder };
}

const fromRadio = (value: object): Buffer => meshtasticFrame(encodePlain(FromRadioType, value));

test('meshtastic: example B, a POSITION_APP packet with its units converted', () => {
  const [message] = decodeStream(EXAMPLE_B).messages;
  assert.equal(message.kind, 'position');
  if (message.kind !== 'position') return;
  assert.equal(message.from, 0xdeadbeef);
  assert.equal(message.packetId, 0x0a1b2c3d);
  const p = message.position;
  assert.ok(Math.abs(p.lat - 52.5163) < 1e-9 && Math.abs(p.lon - 13.3777) < 1e-9);
  assert.deepEqual([p.altitude, p.altitudeIsMsl, p.course], [45, true, 90]);
  assert.ok(Math.abs((p.speed ?? 0) - 5 / 3.6) < 1e-9);
  const event = createMeshtasticToCot()(message, context);
  assert.equal(event?.uid, 'MESHTASTIC-!deadbeef');
  assert.equal(event?.contact?.callsign, '!deadbeef');
  assert.equal(event?.type, 'a-f-G-U-C');
  assert.equal(event?.how, 'm-g');
  assert.equal(event?.stale, NOW + 900_000);
  // 1e-7° integers and km/h make noisy doubles (5 / 3.6 = 1.3888…): the XML has none of it.
  assert.ok(event);
  const xml = encodeXmlString(event);
  assertNoFloatNoise(xml);
  assert.equal(attributeText(xml, 'point', 'lat'), '52.5163');
  assert.equal(attributeText(xml, 'track', 'speed'), '1.39');
});

test('meshtastic: example C, a TAKPacket PLI with callsign, uid, team, role and battery', () => {
  const [message] = decodeStream(EXAMPLE_C).messages;
  assert.equal(message.kind, 'tak-pli');
  if (message.kind !== 'tak-pli') return;
  assert.deepEqual([message.uid, message.callsign, message.team, message.role, message.battery, message.compressed], ['ANDROID-0a1b2c3d4e5f6071', 'ALPHA-1', 'Cyan', 'Team Member', 87, false]);
  const event = createMeshtasticToCot()(message, context);
  assert.ok(event);
  assert.ok(Math.abs(event.point.lat - 38.9012345) < 1e-9 && Math.abs(event.point.lon + 77.1234567) < 1e-9);
  assert.deepEqual([event.point.hae, event.track, event.group, event.status, event.takv?.platform], [35, { speed: 2, course: 270 }, { name: 'Cyan', role: 'Team Member' }, { battery: 87 }, 'Meshtastic']);
});

test('meshtastic: the whole spec stream: host frames are not FromRadio traffic, and nothing throws', () => {
  const { messages, decoder } = decodeStream(SPEC_STREAM);
  assert.deepEqual(messages.map((m) => m.kind), ['position', 'tak-pli']);
  assert.equal(decoder.counters.frames, 4);
});

test('meshtastic: the handshake: my_info, node DB, config_complete with our nonce only, rebooted', () => {
  const session = new MeshtasticSession();
  session.wantConfigFrame();
  const { messages } = decodeStream(
    Buffer.concat([
      fromRadio({ myInfo: { myNodeNum: 0x11223344 } }),
      fromRadio({ nodeInfo: { num: 0x55667788, user: { id: '!55667788', longName: 'Relay Hill', shortName: 'RH' }, position: { latitudeI: 400000000, longitudeI: -1050000000, altitudeHae: 1600 }, deviceMetrics: { batteryLevel: 64 } } }),
      fromRadio({ config: { lora: { hopLimit: 5 } } }),
      fromRadio({ configCompleteId: session.nonce + 1 }),
      fromRadio({ configCompleteId: session.nonce }),
      fromRadio({ packet: { from: 0x11223344, to: 0xffffffff, decoded: { portnum: 1, payload: Buffer.from('echo of our own') } } }),
      fromRadio({ rebooted: true }),
    ]),
    session,
  );
  assert.deepEqual(messages.map((m) => m.kind), ['my-info', 'nodeinfo', 'hop-limit', 'config-complete', 'config-complete', 'rebooted']);
  assert.deepEqual(messages.filter((m) => m.kind === 'config-complete').map((m) => m.kind === 'config-complete' && m.ours), [false, true]);
  assert.equal(session.hopLimit, 5);
  assert.equal(session.configComplete, false, 'a reboot means the handshake must be redone');
  const node = createMeshtasticToCot()(messages[1], context);
  assert.deepEqual([node?.uid, node?.contact?.callsign, node?.point.hae, node?.status?.battery], ['MESHTASTIC-!55667788', 'Relay Hill', 1600, 64]);
});

test('meshtastic: text messages become GeoChat; TAK uid learnt from a TAKPacket is reused', () => {
  const { messages } = decodeStream(
    Buffer.concat([
      EXAMPLE_C,
      fromRadio({ packet: { from: 0x1a2b3c4d, to: 0xffffffff, id: 99, decoded: { portnum: 1, payload: Buffer.from('hello <team> & all') } } }),
    ]),
  );
  const chat = createMeshtasticToCot()(messages[1], context);
  assert.ok(chat);
  assert.equal(chat.type, 'b-t-f');
  assert.equal(chat.uid, 'GeoChat.ANDROID-0a1b2c3d4e5f6071.All Chat Rooms.!1a2b3c4d-99');
  assert.match(chat.xmlDetail ?? '', /<__chat parent="RootContactGroup" groupOwner="false" messageId="!1a2b3c4d-99" chatroom="All Chat Rooms" id="All Chat Rooms" senderCallsign="ALPHA-1"><chatgrp uid0="ANDROID-0a1b2c3d4e5f6071"/);
  assert.match(chat.xmlDetail ?? '', />hello &lt;team&gt; &amp; all<\/remarks>$/);
  assert.ok(Math.abs(chat.point.lat - 38.9012345) < 1e-9, 'placed at the sender');
});

test('meshtastic: duplicates by (from, id), compressed copies, encrypted and junk frames are counted', () => {
  const takPli = (compressed: boolean, id: number): Buffer =>
    fromRadio({ packet: { from: 7, id, decoded: { portnum: 72, payload: Buffer.from(encodePlainTak(compressed)) } } });
  const { messages, decoder } = decodeStream(
    Buffer.concat([
      takPli(true, 1), takPli(false, 1), takPli(false, 2), takPli(false, 2),
      fromRadio({ packet: { from: 8, encrypted: Buffer.from('secret') } }),
      meshtasticFrame(Buffer.from('ffffffff', 'hex')),
      fromRadio({ packet: { from: 9, decoded: { portnum: 3, payload: Buffer.from('not a position protobuf \xff\xff', 'latin1') } } }),
    ]),
  );
  assert.deepEqual(messages.map((m) => m.kind === 'tak-pli' && [m.compressed, m.uid]), [[true, 'MESHTASTIC-!00000007'], [false, 'ANDROID-x']]);
  assert.deepEqual([decoder.counters.duplicates, decoder.counters.encrypted, decoder.counters.notProtobuf], [2, 1, 1]);
  assert.equal(decoder.counters.badPayload + decoder.counters.noPosition, 1);
});

function encodePlainTak(compressed: boolean): Uint8Array {
  return encodePlain(TakPacketType, {
    isCompressed: compressed,
    contact: { callsign: compressed ? '\u0001\u0002' : 'X', deviceCallsign: compressed ? '\u0003' : 'ANDROID-x' },
    pli: { latitudeI: 100000000, longitudeI: 200000000, altitude: 5, speed: 1, course: 10 },
  });
}

test('meshtastic: ATAK_PLUGIN_V2 raw (0xFF) PLI decodes with its units; dictionary-compressed bodies are counted', () => {
  const body = encodePlain(TakPacketV2Type, { cotTypeId: 1, how: 1, callsign: 'TRK-1', team: 5, role: 4, latitudeI: 100000000, longitudeI: 200000000, altitude: -3, speed: 250, course: 9050, battery: 40, uid: '!0000002a' });
  const { messages, decoder } = decodeStream(
    Buffer.concat([
      fromRadio({ packet: { from: 42, id: 1, decoded: { portnum: 78, payload: Buffer.concat([Buffer.from([0xff]), body]) } } }),
      fromRadio({ packet: { from: 42, id: 2, decoded: { portnum: 78, payload: Buffer.from([0x00, 0x28, 0xb5, 0x2f, 0xfd]) } } }),
    ]),
  );
  assert.equal(messages.length, 1);
  const m = messages[0];
  assert.ok(m.kind === 'tak-pli');
  assert.deepEqual([m.uid, m.callsign, m.team, m.role, m.battery, m.position.altitude, m.position.speed, m.position.course], ['!0000002a', 'TRK-1', 'Red', 'Sniper', 40, -3, 2.5, 90.5]);
  assert.equal(decoder.counters.takV2Compressed, 1);
});
