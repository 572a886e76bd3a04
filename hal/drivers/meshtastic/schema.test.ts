// The runtime schema (the table in schema.ts) must say exactly what takd-meshtastic.proto says.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import protobuf from 'protobufjs';
import { repoRoot } from '../../../test/support/paths.js';
import { MESH_SCHEMA } from './schema.js';

test('meshtastic schema: the table equals takd-meshtastic.proto (names, numbers, types)', () => {
  const root = protobuf.loadSync(resolve(repoRoot, 'hal/drivers/meshtastic/takd-meshtastic.proto'));
  const namespace = root.lookup('takd.meshtastic');
  assert.ok(namespace instanceof protobuf.Namespace);
  const fromDisk: Record<string, Record<string, [number, string]>> = {};
  for (const nested of namespace.nestedArray) {
    assert.ok(nested instanceof protobuf.Type);
    fromDisk[nested.name] = Object.fromEntries(nested.fieldsArray.map((f) => [f.name, [f.id, f.type] as [number, string]]));
  }
  assert.deepEqual(fromDisk, MESH_SCHEMA);
});
