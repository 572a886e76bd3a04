import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CotEvent } from '../codec/event.js';
import { OutputFilter, distanceMeters } from './filter.js';

function at(lat: number, lon: number, type = 'a-f-G-U-C'): CotEvent {
  return { uid: 'u', type, how: 'm-g', time: 0, start: 0, stale: 1, point: { lat, lon, hae: 0, ce: 0, le: 0 } };
}

const server = { id: 'server', role: 'server' } as const;
const mesh = { id: 'mesh', role: 'mesh' } as const;
const self = { id: 'pli', role: 'self' } as const;

test('role defaults: server traffic goes to mesh, mesh traffic to the server, own PLI everywhere', () => {
  const toServer = new OutputFilter('server');
  const toMesh = new OutputFilter('mesh');
  assert.equal(toServer.matches(at(1, 1), mesh), true);
  assert.equal(toServer.matches(at(1, 1), server), false);
  assert.equal(toMesh.matches(at(1, 1), server), true);
  assert.equal(toMesh.matches(at(1, 1), mesh), false);
  assert.equal(toMesh.matches(at(1, 1), self), true);
  assert.equal(toServer.matches(at(1, 1), self), true);
});

test('explicit sources by id or role, and exclusions', () => {
  const filter = new OutputFilter('server', { from: ['gps', 'mesh'], excludeFrom: ['self'] });
  assert.equal(filter.matches(at(1, 1), { id: 'gps', role: 'device' }), true);
  assert.equal(filter.matches(at(1, 1), mesh), true);
  assert.equal(filter.matches(at(1, 1), { id: 'ais', role: 'device' }), false);
  assert.equal(new OutputFilter('mesh', { excludeFrom: ['self'] }).matches(at(1, 1), self), false);
});

test('type prefixes taken and refused', () => {
  const filter = new OutputFilter('sink', { types: ['a-f-', 'b-t-f'], excludeTypes: ['a-f-A'] });
  assert.equal(filter.matchesType('a-f-G-U-C'), true);
  assert.equal(filter.matchesType('b-t-f'), true);
  assert.equal(filter.matchesType('a-h-G'), false);
  assert.equal(filter.matchesType('a-f-A-M-H'), false);
});

test('bounding box, also across the antimeridian', () => {
  const box = new OutputFilter('sink', { bbox: { south: 38, west: -106, north: 40, east: -104 } });
  assert.equal(box.matchesPlace(at(39, -105)), true);
  assert.equal(box.matchesPlace(at(41, -105)), false);
  assert.equal(box.matchesPlace(at(0, 0)), true, 'no location: geography does not apply');
  const pacific = new OutputFilter('sink', { bbox: { south: -20, west: 170, north: 0, east: -170 } });
  assert.equal(pacific.matchesPlace(at(-10, 179)), true);
  assert.equal(pacific.matchesPlace(at(-10, -175)), true);
  assert.equal(pacific.matchesPlace(at(-10, 160)), false);
});

test('radius around a point', () => {
  // One degree of latitude is about 111.2 km.
  assert.ok(Math.abs(distanceMeters(39, -105, 40, -105) - 111_195) < 50);
  const near = new OutputFilter('sink', { radius: { lat: 39, lon: -105, meters: 5_000 } });
  assert.equal(near.matchesPlace(at(39.02, -105.02)), true);
  assert.equal(near.matchesPlace(at(39.1, -105)), false);
});
