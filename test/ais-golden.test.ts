// Golden test: the AIS decoder against gpsd's decoded output for every capture in the corpus.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aisCaptureLogs, compareAisCapture } from './support/ais-golden.js';

const captures = aisCaptureLogs();

test('the AIS corpus has captures', () => {
  assert.ok(captures.length >= 5, `found ${captures.length} captures`);
});

for (const name of captures) {
  test(`AIS golden: ${name} matches gpsd on every field both decode`, (t) => {
    const result = compareAisCapture(name);
    t.diagnostic(`${name}: ${result.matching}/${result.expected} reports match, ${result.fieldsCompared} fields compared, ${result.extra} extra`);
    assert.ok(result.expected > 0);
    assert.ok(result.fieldsCompared > result.expected, 'fields were compared');
    assert.deepEqual(result.mismatches.slice(0, 20), []);
    assert.equal(result.matching, result.expected);
    assert.equal(result.extra, 0, 'no reports gpsd did not emit');
  });
}
