// Each kind of bad input yields a counted error with a reason, and the good event that
// follows it still decodes — through the same stream decoder every transport uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CotStreamDecoder } from '../daemon/codec/stream.js';
import { atakPliCorpus } from './support/generators.js';

const good = atakPliCorpus(1, 99)[0];
const goodUid = /uid="([^"]+)"/.exec(good)![1];
const times = 'time="2020-01-01T00:00:00Z" start="2020-01-01T00:00:00Z" stale="2020-01-01T00:01:00Z"';

function run(bad: Buffer | string, chunkSize = 64 * 1024) {
  const uids: string[] = [];
  const reasons: string[] = [];
  const stream = new CotStreamDecoder({ onEvent: (e) => uids.push(e.uid), onError: (e) => reasons.push(e.reason) });
  const input = Buffer.concat([Buffer.from(bad), Buffer.from(good)]);
  for (let i = 0; i < input.length; i += chunkSize) stream.push(input.subarray(i, i + chunkSize));
  const counted = Object.values(stream.counters.errors).reduce((a, b) => a + b, 0);
  return { uids, reasons, counted };
}

const cases: [string, string | Buffer, string][] = [
  ['truncated event', good.slice(0, 250), 'truncated'],
  ['nested events', `<event uid="outer" type="a" ${times}><event uid="inner"></event></event>`, 'truncated'],
  ['wrong close tag', `<event uid="x" type="a" ${times}><point lat="1" lon="2"></pont></event>`, 'malformed-xml'],
  ['attribute without quotes', `<event uid=x type="a" ${times}><point lat="1" lon="2"/></event>`, 'malformed-xml'],
  ['& inside an attribute', `<event uid="a&b" type="a" ${times}><point lat="1" lon="2"/></event>`, 'malformed-xml'],
  [
    'billion laughs',
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>' +
      `<event uid="&lol2;" type="a" ${times}><point lat="1" lon="2"/></event>`,
    'doctype',
  ],
  ['entity inside the event', `<event uid="x" type="a" ${times}><!DOCTYPE x [<!ENTITY a "b">]><point lat="1" lon="2"/></event>`, 'doctype'],
  ['10 MB event', `<event uid="big" type="a" ${times}><detail><remarks>${'A'.repeat(10 * 1024 * 1024)}</remarks></detail></event>`, 'oversize'],
  ['binary garbage', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256).filter((b) => b !== 0x3c)), 'garbage'],
  ['invalid UTF-8', Buffer.concat([Buffer.from(`<event uid="`), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(`" type="a" ${times}><point lat="1" lon="2"/></event>`)]), 'invalid-utf8'],
  ['not an event root', `<event uid="x" type="a" ${times}><point lat="1" lon="200"/></event>`, 'bad-value'],
  ['missing point', `<event uid="x" type="a" ${times}/>`, 'missing-field'],
  ['time with an offset', `<event uid="x" type="a" time="2020-01-01T00:00:00+02:00" start="2020-01-01T00:00:00Z" stale="2020-01-01T00:01:00Z"><point lat="1" lon="2"/></event>`, 'bad-value'],
];

for (const [name, bad, reason] of cases) {
  test(`${name}: counted as ${reason}, and the next event decodes`, () => {
    for (const chunkSize of [64 * 1024, 7]) {
      if (chunkSize === 7 && Buffer.byteLength(bad) > 100_000) continue;
      const { uids, reasons, counted } = run(bad, chunkSize);
      assert.deepEqual(uids, [goodUid], `chunk ${chunkSize}`);
      assert.ok(reasons.includes(reason), `chunk ${chunkSize}: got ${reasons.join(',')}`);
      assert.equal(counted, reasons.length);
    }
  });
}
