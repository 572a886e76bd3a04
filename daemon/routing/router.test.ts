import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from './clock.js';
import { routerMetricLines } from './metrics.js';
import { Router } from './router.js';
import { makeEvent, RecordingTarget } from '../../test/support/routing.js';
import type { EventSource } from './filter.js';
import type { OutputListener } from '../transports/types.js';

const fromServer: EventSource = { id: 'server', role: 'server' };
const fromMesh: EventSource = { id: 'mesh', role: 'mesh' };
const fromSelf: EventSource = { id: 'pli', role: 'self' };
const fromPhones: EventSource = { id: 'phones', role: 'peers' };

function gateway(clock = new ManualClock()) {
  const server = new RecordingTarget('server');
  const mesh = new RecordingTarget('mesh');
  const phones = new RecordingTarget('phones');
  const router = new Router({
    clock,
    outputs: [
      { target: server, role: 'server' },
      { target: mesh, role: 'mesh' },
      { target: phones, role: 'peers' },
    ],
  });
  return { router, server, mesh, phones, clock };
}

test('defaults: own PLI everywhere, server to mesh and phones, mesh to server and phones, never echoed', () => {
  const { router, server, mesh, phones, clock } = gateway();
  const now = clock.now();
  router.publish(makeEvent('SELF', 'a-f-G-U-C', now), fromSelf);
  router.publish(makeEvent('FROM-SERVER', 'a-f-G-U-C', now), fromServer);
  router.publish(makeEvent('FROM-MESH', 'a-f-G-U-C', now), fromMesh);
  router.publish(makeEvent('FROM-PHONE', 'a-f-G-U-C', now), fromPhones);
  assert.deepEqual(server.uids(), ['SELF', 'FROM-MESH', 'FROM-PHONE']);
  assert.deepEqual(mesh.uids(), ['SELF', 'FROM-SERVER', 'FROM-PHONE']);
  assert.deepEqual(phones.uids(), ['SELF', 'FROM-SERVER', 'FROM-MESH']);
  const status = router.status();
  assert.equal(status.outputs[0].counters.echo, 1);
  assert.equal(status.outputs[2].counters.echo, 1);
});

test('the same event over two paths is forwarded once', () => {
  const { router, phones, clock } = gateway();
  const event = makeEvent('TWICE', 'b-t-f', clock.now());
  router.publish(event, fromMesh);
  router.publish({ ...event }, fromServer);
  assert.deepEqual(phones.uids(), ['TWICE']);
  assert.equal(router.counters.duplicates, 1);
});

test('flow tags are stripped when relaying; control events are not relayed', () => {
  const { router, mesh, clock } = gateway();
  const tagged = makeEvent('TAGGED', 'b-t-f', clock.now(), { xmlDetail: '<remarks>hi</remarks><_flow-tags_ TAK-Server-1="2024-05-01T12:00:00Z"/>' });
  router.publish(tagged, fromServer);
  router.publish(makeEvent('ping', 't-x-c-t', clock.now()), fromServer);
  assert.deepEqual(mesh.uids(), ['TAGGED']);
  assert.equal(mesh.sent[0].xmlDetail, '<remarks>hi</remarks>');
  assert.equal(tagged.xmlDetail?.includes('_flow-tags_'), true, 'the received event is not changed');
  assert.equal(router.counters.flowTagsStripped, 1);
  assert.equal(router.counters.control, 1);
});

test('addressed events go only where the recipients were last seen', () => {
  const { router, server, mesh, phones, clock } = gateway();
  const now = clock.now();
  router.publish(makeEvent('ANDROID-J', 'a-f-G-U-C', now, { contact: { callsign: 'JULIET-1', endpoint: '10.0.0.2:4242:tcp' } }), fromMesh);
  const toJuliet = makeEvent('GeoChat.X.1', 'b-t-f', now, { xmlDetail: '<marti><dest callsign="JULIET-1"/></marti>' });
  router.publish(toJuliet, fromServer);
  assert.deepEqual(mesh.uids(), ['GeoChat.X.1']);
  assert.deepEqual(phones.uids(), ['ANDROID-J'], 'phones got the PLI but not the addressed chat');
  assert.equal(router.status().outputs[2].counters.notAddressed, 1);
  // A recipient seen nowhere: routed as unaddressed (the server can still route it).
  router.publish(makeEvent('GeoChat.X.2', 'b-t-f', now, { xmlDetail: '<marti><dest callsign="NOBODY"/></marti>' }), fromPhones);
  assert.deepEqual(server.uids(), ['ANDROID-J', 'GeoChat.X.2']);
  assert.equal(router.counters.addressedToUnknown, 1);
});

test('per-output filters: type prefixes, sources and place', () => {
  const clock = new ManualClock();
  const chatOnly = new RecordingTarget('chat-log');
  const local = new RecordingTarget('local');
  const router = new Router({
    clock,
    outputs: [
      { target: chatOnly, role: 'sink', filter: { types: ['b-t-f'] } },
      { target: local, role: 'sink', filter: { from: ['gps'], radius: { lat: 39.7, lon: -105.2, meters: 10_000 } } },
    ],
  });
  const now = clock.now();
  router.publish(makeEvent('CHAT', 'b-t-f', now), fromServer);
  router.publish(makeEvent('NEAR', 'a-f-G-U-C', now), { id: 'gps', role: 'device' });
  router.publish(makeEvent('FAR', 'a-f-G-U-C', now, { point: { lat: 45, lon: -105.2, hae: 0, ce: 0, le: 0 } }), { id: 'gps', role: 'device' });
  router.publish(makeEvent('OTHER-SOURCE', 'a-f-G-U-C', now), { id: 'ais', role: 'device' });
  assert.deepEqual(chatOnly.uids(), ['CHAT']);
  assert.deepEqual(local.uids(), ['NEAR']);
  assert.equal(router.status().outputs[1].counters.filtered, 3);
});

test('status and metrics carry the counters per output and reason', () => {
  const { router, clock, mesh } = gateway();
  mesh.up = false;
  router.publish(makeEvent('P', 'a-f-G-U-C', clock.now()), fromServer);
  router.publish(makeEvent('P', 'a-f-G-U-C', clock.now() + 1), fromServer);
  router.publish(makeEvent('OLD', 'a-f-G-U-C', clock.now() - 120_000), fromServer);
  const status = router.status();
  const meshStatus = status.outputs.find((o) => o.name === 'mesh');
  assert.equal(meshStatus?.up, false);
  assert.equal(meshStatus?.pending, 1);
  assert.equal(meshStatus?.counters.coalesced, 1);
  assert.equal(meshStatus?.counters.stale, 1);
  const lines = routerMetricLines(status);
  assert.ok(lines.includes('takd_output_events_total{output="mesh",reason="coalesced"} 1'));
  assert.ok(lines.includes('takd_router_events_total{reason="received"} 3'));
  assert.ok(lines.includes('takd_output_pending{output="mesh"} 1'));
});

test('outputs attached by name: down until attached, waiting events follow the new transport, sendTo passes the filters', () => {
  const clock = new ManualClock();
  const router = new Router({ clock, outputs: [{ name: 'server', role: 'server', filter: { types: ['b-'] } }], roles: { mesh: 'mesh', server: 'server' } });
  const now = clock.now();
  router.publish(makeEvent('CHAT-1', 'b-t-f', now), 'mesh');
  assert.equal(router.status().outputs[0].up, false);
  assert.equal(router.status().outputs[0].pending, 1);
  const first = new RecordingTarget('server');
  router.setOutput('server', first);
  assert.deepEqual(first.uids(), ['CHAT-1'], 'delivered once attached');
  router.removeOutput('server', new RecordingTarget('server'));
  router.publish(makeEvent('CHAT-2', 'b-t-f', now), 'mesh');
  assert.deepEqual(first.uids(), ['CHAT-1', 'CHAT-2'], 'detaching another instance leaves this one');
  router.removeOutput('server', first);
  router.publish(makeEvent('CHAT-3', 'b-t-f', now), 'mesh');
  router.publish(makeEvent('CHAT-4', 'b-t-f', now), 'server');
  const second = new RecordingTarget('server');
  router.setOutput('server', second);
  assert.deepEqual(second.uids(), ['CHAT-3'], 'the restarted transport gets what waited; never its own echo');
  router.sendTo('server', makeEvent('SELF', 'a-f-G-U-C', now));
  assert.deepEqual(second.uids(), ['CHAT-3', 'SELF'], 'own position past the type filter');
  const log = new RecordingTarget('log');
  router.setOutput('log', log);
  router.publish(makeEvent('ANY', 'u-d-p', now), 'gps');
  assert.deepEqual(log.uids(), ['ANY'], 'an output not configured takes everything');
});

/** A target whose peer stopped reading: up, not writable, until `drain()`. */
class StalledTarget extends RecordingTarget {
  blocked = true;
  private listener: OutputListener | undefined;
  writable(): boolean {
    return !this.blocked;
  }
  setListener(listener: OutputListener | undefined): void {
    this.listener = listener;
  }
  drain(): void {
    this.blocked = false;
    this.listener?.onWritable();
  }
}

test('inbound gate: a backed-up output holds inputs, but one that has not drained for 2 s is stalled and lets them go', () => {
  const clock = new ManualClock();
  const stalled = new StalledTarget('server');
  const healthy = new RecordingTarget('mesh');
  const router = new Router({ clock, outputs: [{ target: stalled, role: 'server' }, { target: healthy, role: 'mesh' }] });
  let opened = 0;
  for (let i = 0; i < 1_000; i++) router.publish(makeEvent(`m-${i}`, 'b-m-p-s-m', clock.now()), fromPhones);
  assert.equal(router.inboundGate.closed(), true, 'a thousand waiting behind a socket that does not drain close the gate');
  router.inboundGate.whenOpen(() => (opened += 1));
  clock.advance(1_000);
  router.pump();
  assert.equal(opened, 0, 'still within the stall allowance: slow, not stalled');
  clock.advance(1_500);
  router.pump();
  assert.equal(opened, 1, 'stalled: inputs read again');
  assert.equal(router.inboundGate.closed(), false);
  assert.equal(router.status().outputs[0].counters.gateReleased, 1);
  router.publish(makeEvent('after', 'b-m-p-s-m', clock.now()), fromPhones);
  assert.ok(healthy.uids().includes('after'), 'the healthy output keeps getting events');
  // Once it drains it is a live output again, and can hold the gate again.
  stalled.drain();
  assert.equal(router.status().outputs[0].counters.gateReleased, 1);
  stalled.blocked = true;
  for (let i = 0; i < 1_000; i++) router.publish(makeEvent(`n-${i}`, 'b-m-p-s-m', clock.now()), fromPhones);
  assert.equal(router.inboundGate.closed(), true);
});
