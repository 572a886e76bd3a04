// Golden test: every capture in corpus/gnss decoded and compared with gpsd's fixes, epoch by epoch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { captureNames, compareCapture } from './support/gnss-golden.js';

/**
 * Epochs where gpsd's final TPV is not what a sentence-by-sentence decoder can produce,
 * with the reason. Every entry is a review item, not a place to hide a regression.
 */
const FROZEN_TIME =
  'gpsd keeps the last time while the receiver reports "no fix" without a time, so its final word on the ' +
  'last fixed epoch is "no fix"; we report that epoch as fixed and the loss as a separate fix without time';
const KNOWN_DIFFERENCES: Record<string, { count: number; why: string }> = {
  eXplorist210: {
    count: 5,
    why:
      'the receiver stamps GLL 3-5 ms away from GGA/RMC; we merge them into one epoch named by the GGA/RMC time, ' +
      'gpsd keeps separate epochs, and takes "no fix" from the proprietary $PMGNST, which we do not decode',
  },
  quectel: { count: 1, why: FROZEN_TIME },
  'tomtom-mkII': { count: 1, why: FROZEN_TIME },
};

for (const name of captureNames()) {
  test(`golden ${name}: every gpsd fix epoch agrees`, (t) => {
    const result = compareCapture(name);
    t.diagnostic(`${name}: ${result.agree}/${result.epochs} fix epochs agree` +
      (Object.keys(result.gpsdModelled).length > 0 ? `; gpsd-modelled, not compared: ${JSON.stringify(result.gpsdModelled)}` : ''));
    for (const line of result.mismatches.slice(0, 5)) t.diagnostic(`  ${line}`);
    const known = KNOWN_DIFFERENCES[name];
    if (known !== undefined) t.diagnostic(`known difference (${known.count}): ${known.why}`);
    assert.equal(result.epochs - result.agree, known?.count ?? 0, result.mismatches.slice(0, 5).join('\n'));
  });
}

test('golden summary: fix epochs that agree with gpsd over the whole corpus', (t) => {
  let epochs = 0;
  let agree = 0;
  for (const name of captureNames()) {
    const result = compareCapture(name);
    epochs += result.epochs;
    agree += result.agree;
  }
  const known = Object.values(KNOWN_DIFFERENCES).reduce((sum, k) => sum + k.count, 0);
  t.diagnostic(`${agree}/${epochs} fix epochs agree; ${known} known differences`);
  assert.equal(epochs, 544, 'the corpus README counts 544 fix epochs');
  assert.equal(agree, epochs - known);
});
