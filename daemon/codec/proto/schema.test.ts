// The runtime schema (a table in schema.ts) must say exactly what the .proto files on disk say.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import protobuf from 'protobufjs';
import { repoRoot } from '../../../test/support/paths.js';
import { protoRoot } from './reflection.js';
import { PROTO_PACKAGE, SCHEMA_TABLE } from './schema.js';

const schemaDir = resolve(repoRoot, 'daemon/codec/proto/schema');

interface FieldSummary {
  id: number;
  type: string;
  repeated: boolean;
  hasPresence: boolean;
}

function summarize(root: protobuf.Root): Record<string, Record<string, FieldSummary>> {
  const namespace = root.lookup(PROTO_PACKAGE);
  assert.ok(namespace instanceof protobuf.Namespace, `package ${PROTO_PACKAGE} is declared`);
  const messages: Record<string, Record<string, FieldSummary>> = {};
  for (const nested of namespace.nestedArray) {
    assert.ok(nested instanceof protobuf.Type, `${nested.name} is a message`);
    const fields: Record<string, FieldSummary> = {};
    for (const field of nested.fieldsArray) {
      field.resolve();
      fields[field.name] = { id: field.id, type: field.type, repeated: field.repeated, hasPresence: field.hasPresence };
    }
    messages[nested.name] = fields;
  }
  return messages;
}

test('runtime schema equals the .proto files on disk (names, numbers, types, proto3 presence)', () => {
  const files = readdirSync(schemaDir).filter((name) => name.endsWith('.proto'));
  assert.equal(files.length, 10);
  const fromDisk = new protobuf.Root();
  fromDisk.resolvePath = (_origin, target) => resolve(schemaDir, target);
  fromDisk.loadSync(files.map((name) => resolve(schemaDir, name)));
  fromDisk.resolveAll();
  assert.deepEqual(summarize(protoRoot()), summarize(fromDisk));
});

test('the schema table covers the ten messages of spec §5 and nothing else', () => {
  assert.deepEqual(Object.keys(SCHEMA_TABLE).sort(), [
    'Contact',
    'CotEvent',
    'Detail',
    'Group',
    'PrecisionLocation',
    'Status',
    'TakControl',
    'TakMessage',
    'Takv',
    'Track',
  ]);
  const summary = summarize(protoRoot());
  // Proto3 scalars have no presence: zero values are not written.
  assert.equal(summary.CotEvent.hae.hasPresence, false);
  assert.equal(summary.CotEvent.detail.type, 'Detail');
  assert.equal(summary.CotEvent.sendTime.type, 'uint64');
});
