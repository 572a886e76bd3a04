// Every corpus capture replayed through a Source on file:// (pace=fast) gives the same fixes
// as decoding the file directly: the link, the source loop and the decoder agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { GnssFix } from '../hal/contract.js';
import { defaultLinkProviders, startSource } from '../hal/index.js';
import { nmeaGnssDriver } from '../hal/drivers/nmea-gnss/index.js';
import { captureNames, decodeCapture } from './support/gnss-golden.js';
import { gnssCorpusDir } from './support/paths.js';

test('replay: each capture through file://?pace=fast and a Source = the direct decode', async () => {
  for (const name of captureNames()) {
    const path = join(gnssCorpusDir, `${name}.log`);
    // The Source's framer skips no comments: gpsd's `#` header lines are dropped as garbage instead.
    const direct = decodeCapture(readFileSync(path));
    const url = pathToFileURL(path);
    url.searchParams.set('pace', 'fast');
    const source = startSource({ id: `replay.${name}`, url: url.href, driver: nmeaGnssDriver, providers: defaultLinkProviders() });
    const fixes: GnssFix[] = [];
    for await (const fix of source.messages()) fixes.push(fix);
    assert.equal(source.status().state, 'ended', name);
    assert.deepEqual(fixes.map((f) => [f.time, f.mode, f.lat, f.lon, f.altHAE, f.speed]), direct.map((f) => [f.time, f.mode, f.lat, f.lon, f.altHAE, f.speed]), name);
  }
});
