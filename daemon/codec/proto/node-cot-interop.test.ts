// Wire compatibility with an independent implementation: @tak-ps/node-cot encodes with
// ATAK's own .proto files. Its v1 bytes must decode here, and ours must decode there.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeXmlString } from '../xml/encode.js';
import { atakPli } from '../../../test/support/proto-fixtures.js';
import { decodeTakMessage, encodeTakMessage } from './index.js';
import { loadNodeCot } from '../../../test/support/node-cot-peer.js';

const CoT = await loadNodeCot();

test('node-cot → takd: an ATAK PLI encoded by node-cot decodes to the same core and typed fields', () => {
  const event = atakPli(3);
  const bytes = new CoT(encodeXmlString(event, { declaration: false })).to_proto();
  const decoded = decodeTakMessage(bytes).event!;
  for (const key of ['uid', 'type', 'how', 'time', 'start', 'stale', 'point', 'contact', 'group', 'takv', 'status', 'track'] as const) {
    assert.deepEqual(decoded[key], event[key], key);
  }
  // node-cot keeps <uid Droid> in xmlDetail too (and adds its own _flow-tags_ and metadata).
  assert.match(decoded.xmlDetail ?? '', /^<uid Droid="JULIET-1"\/>/);
});

test('takd → node-cot: our v1 bytes decode in node-cot to the same attributes', () => {
  const event = atakPli(4);
  const raw = CoT.from_proto(encodeTakMessage(event)).raw.event;
  assert.equal(raw._attributes.uid, event.uid);
  assert.equal(raw._attributes.time, new Date(event.time).toISOString());
  assert.equal(raw._attributes.stale, new Date(event.stale).toISOString());
  assert.equal(Number(raw.point._attributes.lat), event.point.lat);
  assert.equal(Number(raw.point._attributes.ce), event.point.ce);
  const detail = raw.detail;
  assert.deepEqual({ ...detail.contact._attributes }, { endpoint: event.contact!.endpoint, callsign: event.contact!.callsign });
  assert.deepEqual({ ...detail.__group._attributes }, { name: event.group!.name, role: event.group!.role });
  assert.equal(Number(detail.status._attributes.battery), event.status!.battery);
  assert.equal(Number(detail.track._attributes.speed), event.track!.speed);
  assert.deepEqual({ ...detail.takv._attributes }, { ...event.takv });
  assert.deepEqual({ ...detail.uid._attributes }, { Droid: 'JULIET-1' });
});
