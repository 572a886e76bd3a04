import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeXmlString } from '../codec/xml/encode.js';
import { XmlEventDecoder } from '../codec/xml/decode.js';
import {
  advertisedVersions,
  pingEvent,
  protocolAdvertiseEvent,
  protocolRequestEvent,
  protocolResponseEvent,
  requestedVersion,
  responseStatus,
} from './control-events.js';

const decoder = new XmlEventDecoder();
const roundTrip = (xml: string) => decoder.decode(xml);

test('negotiation events survive the XML codec and parse back', () => {
  const offer = roundTrip(encodeXmlString(protocolAdvertiseEvent('proto-uid', [1, 2])));
  assert.equal(offer.type, 't-x-takp-v');
  assert.deepEqual(advertisedVersions(offer), [1, 2]);
  const request = roundTrip(encodeXmlString(protocolRequestEvent('proto-uid', 1)));
  assert.equal(request.uid, 'proto-uid');
  assert.equal(requestedVersion(request), 1);
  assert.equal(responseStatus(roundTrip(encodeXmlString(protocolResponseEvent('proto-uid', true)))), true);
  assert.equal(responseStatus(roundTrip(encodeXmlString(protocolResponseEvent('proto-uid', false)))), false);
});

test('a TAK Server style offer with server version info and single quotes', () => {
  const xml =
    "<event version='2.0' uid='protouid' type='t-x-takp-v' time='2024-05-01T12:00:00.000Z' start='2024-05-01T12:00:00.000Z' stale='2024-05-01T12:01:00.000Z' how='m-g'>" +
    "<point lat='0.0' lon='0.0' hae='0.0' ce='999999' le='999999'/><detail><TakControl><TakProtocolSupport version='1'/>" +
    "<TakServerVersionInfo serverVersion='5.2-RELEASE-30'/></TakControl></detail></event>";
  assert.deepEqual(advertisedVersions(roundTrip(xml)), [1]);
});

test('ping: stale 10 s after time, unknown errors, uid derived from ours', () => {
  const ping = pingEvent('takd-1', 1_000);
  assert.equal(ping.type, 't-x-c-t');
  assert.equal(ping.uid, 'takd-1-ping');
  assert.equal(ping.stale - ping.time, 10_000);
  assert.equal(ping.point.ce, 9999999);
});

test('malformed control details read as absent, not as errors', () => {
  const base = protocolResponseEvent('x', true);
  assert.equal(responseStatus({ ...base, xmlDetail: '<TakControl/>' }), undefined);
  assert.equal(requestedVersion({ ...base, xmlDetail: '<TakControl><TakRequest version="one"/></TakControl>' }), undefined);
  assert.deepEqual(advertisedVersions({ ...base, xmlDetail: undefined }), []);
});
