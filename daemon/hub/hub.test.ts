import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CotEvent } from '../codec/event.js';
import { addressing } from './addressing.js';
import { Hub, type HubClient } from './hub.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

function pli(uid: string, callsign: string, team = 'Cyan', time = NOW): CotEvent {
  return { uid, type: 'a-f-G-U-C', how: 'm-g', time, start: time, stale: time + 60_000, point: { lat: 1, lon: 2, hae: 0, ce: 9, le: 9 }, contact: { callsign, endpoint: '*:-1:stcp' }, group: { name: team, role: 'Team Member' } };
}

function chat(from: string, room: string, extra = '', time = NOW): CotEvent {
  return {
    uid: `GeoChat.${from}.${room}.${time}`,
    type: 'b-t-f',
    how: 'h-g-i-g-o',
    time,
    start: time,
    stale: time + 86_400_000,
    point: { lat: 0, lon: 0, hae: 0, ce: 9, le: 9 },
    xmlDetail: `<__chat id="${room}" chatroom="${room}" senderCallsign="${from}"><chatgrp uid0="${from}" uid1="${room}" id="${room}"/></__chat>${extra}<remarks>hi</remarks>`,
  };
}

function marker(uid: string, extra = ''): CotEvent {
  return { uid, type: 'a-h-G', how: 'h-g-i-g-o', time: NOW, start: NOW, stale: NOW + 600_000, point: { lat: 3, lon: 4, hae: 0, ce: 9, le: 9 }, xmlDetail: `<contact callsign="Marker"/>${extra}` };
}

class FakeConnection {
  readonly got: CotEvent[] = [];
  closed = false;
  readonly queue = {
    length: 0,
    push: (event: CotEvent) => this.got.push(event),
    whenBacklogBelow: () => undefined,
  };
  constructor(
    readonly listener: string,
    readonly certCn: string | undefined = undefined,
  ) {}
  readonly peer = '127.0.0.1:1';
  readonly address = '127.0.0.1';
  bytesIn = (): number => 0;
  bytesOut = (): number => 0;
  close = (): void => {
    this.closed = true;
  };
  uids(): string[] {
    return this.got.map((e) => e.uid);
  }
}

function join(hub: Hub, listener = 'input.phones', cn?: string, bindIdentity = false): { client: HubClient; conn: FakeConnection } {
  const conn = new FakeConnection(listener, cn);
  return { client: hub.join(conn, { bindIdentity, stallTimeoutMs: 0 }), conn };
}

test('addressing: control, broadcast, team room, direct chat, marti dest (an empty <marti/> is unaddressed)', () => {
  assert.deepEqual(addressing({ ...marker('x'), type: 't-x-c-t' }), { kind: 'control' });
  assert.deepEqual(addressing(marker('m', '<marti/>')), { kind: 'broadcast' });
  assert.deepEqual(addressing(chat('A', 'All Chat Rooms')), { kind: 'broadcast' });
  assert.deepEqual(addressing(chat('A', 'Dark Blue')), { kind: 'team', team: 'Dark Blue' });
  assert.deepEqual(addressing(chat('A', 'B-uid')), { kind: 'addressed', uids: ['B-uid'], callsigns: [] });
  assert.deepEqual(addressing(marker('m', '<marti><dest callsign="BRAVO"/><dest uid="C-uid"/></marti>')), { kind: 'addressed', uids: ['C-uid'], callsigns: ['BRAVO'] });
});

test('hub: broadcast never back to the sender; replay to a late joiner without its own; direct and team chat; mailbox by callsign', () => {
  const hub = new Hub();
  const a = join(hub);
  const b = join(hub, 'output.tls-phones');
  hub.fromClient(a.client, pli('A', 'ALFA', 'Cyan'), NOW);
  hub.fromClient(b.client, pli('B', 'BRAVO', 'Red'), NOW);
  assert.deepEqual(a.conn.uids(), ['B']);
  assert.deepEqual(b.conn.uids(), ['A']);
  hub.fromClient(a.client, marker('M1'), NOW);
  assert.deepEqual(b.conn.uids(), ['A', 'M1']);

  // A late joiner gets both positions and the marker at once, nothing of its own.
  const c = join(hub);
  hub.fromClient(c.client, pli('C', 'CHARLIE', 'Cyan'), NOW);
  assert.deepEqual(c.conn.uids().sort(), ['A', 'B', 'M1']);

  // Team room: Cyan only (A and C), not the sender.
  const teamChat = chat('A', 'Cyan');
  hub.fromClient(a.client, teamChat, NOW);
  assert.ok(c.conn.uids().includes(teamChat.uid));
  assert.ok(!b.conn.uids().includes(teamChat.uid));
  assert.ok(!a.conn.uids().includes(teamChat.uid));

  // Direct chat by uid.
  const direct = chat('A', 'B');
  hub.fromClient(a.client, direct, NOW);
  assert.ok(b.conn.uids().includes(direct.uid));
  assert.ok(!c.conn.uids().includes(direct.uid));

  // marti dest to a callsign nobody has yet: held, delivered when DELTA identifies.
  const forDelta = marker('M2', '<marti><dest callsign="DELTA"/></marti>');
  hub.fromClient(a.client, forDelta, NOW);
  assert.ok(!b.conn.uids().includes('M2') && !c.conn.uids().includes('M2'));
  const d = join(hub);
  hub.fromClient(d.client, pli('D', 'DELTA'), NOW);
  assert.ok(d.conn.uids().includes('M2'));
  // An addressed event is never replayed to others.
  const e = join(hub);
  hub.fromClient(e.client, pli('E', 'ECHO'), NOW);
  assert.ok(!e.conn.uids().includes('M2'));
  assert.equal(hub.status().clients, 5);
});

test('hub: the router\'s copy of an event already relayed is skipped; router events reach only that listener\'s clients', () => {
  const hub = new Hub();
  const a = join(hub, 'L1');
  const b = join(hub, 'L2');
  const event = pli('A', 'ALFA');
  hub.fromClient(a.client, event, NOW);
  hub.fromRouter('L2', event, NOW);
  assert.deepEqual(b.conn.uids(), ['A']);
  assert.equal(hub.status().counters.duplicate, 1);
  hub.fromRouter('L1', pli('MESH-1', 'MESH'), NOW);
  assert.deepEqual(a.conn.uids(), ['MESH-1']);
  assert.deepEqual(b.conn.uids(), ['A']);
});

test('hub: bind_identity closes a client whose certificate CN is not the uid or callsign it claims', () => {
  const hub = new Hub();
  const honest = join(hub, 'L', 'ALFA', true);
  assert.equal(hub.fromClient(honest.client, pli('A', 'ALFA'), NOW), true);
  const liar = join(hub, 'L', 'MALLORY', true);
  assert.equal(hub.fromClient(liar.client, pli('A', 'ALFA'), NOW), false);
  assert.ok(liar.conn.closed);
  assert.equal(hub.status().counters.identityMismatch, 1);
  assert.deepEqual(honest.conn.uids(), []);
});

test('hub: a client queue coalesces positions per uid and stays bounded', () => {
  const hub = new Hub({ clientQueueEvents: 10 });
  const slow = join(hub);
  // The connection takes nothing more: pretend its own queue is full.
  (slow.conn.queue as { length: number }).length = 100;
  const fast = join(hub);
  for (let i = 0; i < 100; i += 1) hub.fromClient(fast.client, pli('F', 'FOX', 'Cyan', NOW + i), NOW);
  for (let i = 0; i < 50; i += 1) hub.fromClient(fast.client, marker(`M${i}`), NOW);
  const status = hub.status();
  assert.ok(status.counters.queueCoalesced >= 99);
  assert.ok(status.connected.every((c) => c.queueDepth <= 110));
  assert.ok(status.counters.queueDropped > 0);
});

test('hub: a connection is who its first self report says; the other tracks it relays do not re-identify it or bring replay', () => {
  const hub = new Hub();
  const phone = join(hub);
  hub.fromClient(phone.client, pli('P', 'PAPA'), NOW);
  hub.fromClient(phone.client, marker('M1'), NOW);
  const gateway = join(hub);
  hub.fromClient(gateway.client, pli('GW', 'GATEWAY'), NOW);
  const replayedOnce = gateway.conn.uids().length;
  assert.deepEqual(gateway.conn.uids().sort(), ['M1', 'P']);
  for (let i = 0; i < 50; i += 1) hub.fromClient(gateway.client, pli(`VESSEL-${i}`, `V${i}`), NOW);
  assert.equal(gateway.conn.uids().length, replayedOnce, 'no replay per relayed track');
  assert.equal(hub.status().connected.find((c) => c.uid === 'GW')?.callsign, 'GATEWAY');
  assert.equal(hub.status().counters.replayed, 2);
  // The relayed tracks still reach the phone.
  assert.equal(phone.conn.uids().filter((u) => u.startsWith('VESSEL-')).length, 50);
});
