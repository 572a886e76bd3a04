import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OutputFilter } from '../../routing/filter.js';
import type { CotEvent } from '../../codec/event.js';
import { TransportConfigError } from '../errors.js';
import { parseTransportUrl, transportDirection, transportRole } from '../url.js';

test('mqtt and mqtts: topic from the path, default ports, +wo/+ro, user and password from the URL', () => {
  assert.deepEqual(parseTransportUrl('mqtt://broker/tak/cot'), { kind: 'mqtt', host: 'broker', port: 1883, topic: 'tak/cot', direction: 'both' });
  assert.deepEqual(parseTransportUrl('mqtts://broker:9883/a%20b'), { kind: 'mqtts', host: 'broker', port: 9883, topic: 'a b', direction: 'both' });
  assert.deepEqual(parseTransportUrl('mqtt+wo://me:p%40ss@[::1]:1884/t'), { kind: 'mqtt', host: '::1', port: 1884, topic: 't', direction: 'send', username: 'me', password: 'p@ss' });
  const fleet = parseTransportUrl('mqtt://h/tak/f1/box-a/cot?subscribe=tak/f1/%2B/cot');
  assert.equal(fleet.kind === 'mqtt' && fleet.subscribe, 'tak/f1/+/cot');
  assert.equal(transportDirection(parseTransportUrl('mqtts+ro://h/tak/f1/+/cot')), 'receive');
  assert.equal(transportRole(fleet), 'fleet');
  assert.equal(transportRole(parseTransportUrl('mqtts://h/x')), 'fleet');
});

test('mqtt URL mistakes are configuration errors', () => {
  for (const url of ['mqtt://h', 'mqtt://h/', 'mqtt://h:0/t', 'mqtt+listen://h/t', 'mqtt+wo+ro://h/t', 'mqtt://h/t?x=1', 'mqtt://h/tak/+/cot', 'mqtt+wo://h/t?subscribe=a/%23', 'mqtt://h/t?subscribe=']) {
    assert.throws(() => parseTransportUrl(url), TransportConfigError, url);
  }
});

test('loop freedom: a fleet output never takes what came from a fleet link; mesh, phones and sinks do, the server does not', () => {
  const event: CotEvent = { uid: 'u', type: 'a-f-G', how: 'm-g', time: 0, start: 0, stale: 1, point: { lat: 1, lon: 1, hae: 0, ce: 0, le: 0 } };
  const fromFleet = { id: 'output.fleet', role: 'fleet' } as const;
  assert.equal(new OutputFilter('fleet').matches(event, fromFleet), false);
  for (const role of ['self', 'device', 'server', 'mesh', 'peers'] as const) assert.equal(new OutputFilter('fleet').matches(event, { id: role, role }), true, role);
  for (const role of ['mesh', 'peers', 'sink'] as const) assert.equal(new OutputFilter(role).matches(event, fromFleet), true, role);
  assert.equal(new OutputFilter('server').matches(event, fromFleet), false);
});
