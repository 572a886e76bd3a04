// `takd run` with [marti]: the data-package server starts as the component `marti`, stores
// under $STATE_DIRECTORY/packages, and its counters (refusals by reason) show in status.json
// and /metrics. The only output is a loopback TCP sink (never the multicast default).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CotSink, TakdProcess, waitFor } from './support/daemon-process.js';
import { freePort } from './support/gpsfake.js';
import { atakUpload, fetchRaw, sha256 } from './support/marti.js';

test('takd run serves data packages from [marti]; counters reach status.json and /metrics', async (t) => {
  const takd = new TakdProcess();
  const sink = new CotSink();
  t.after(async () => {
    await takd.cleanup();
    await sink.kill();
  });
  const sinkPort = await sink.listen();
  const martiPort = await freePort();
  const httpPort = await freePort();
  takd.writeConfig(
    `[pli]\nenabled = no\n[status]\nhttp = 127.0.0.1:${httpPort}\n[output.sink]\nurl = tcp://127.0.0.1:${sinkPort}\nhello = no\n` +
      `[marti]\nurl = http+listen://127.0.0.1:${martiPort}\nadvertise = takd.local\nmax_file_size = 100000\n`,
  );
  takd.start();
  const status = await takd.waitForState('marti', 'connected');
  assert.equal(status.kind, 'input');
  const base = `http://127.0.0.1:${martiPort}`;
  const data = randomBytes(10_000);
  const hash = sha256(data);
  const answer = await atakUpload(base, data, { hash, filename: 'e2e.zip', creatorUid: 'ANDROID-E2E' });
  assert.equal(answer.status, 200, answer.text);
  assert.equal(answer.text.trim(), `http://takd.local:${martiPort}/Marti/sync/content?hash=${hash}`);
  assert.deepEqual(readdirSync(join(takd.dir, 'packages')).sort(), [hash, `${hash}.json`]);
  assert.equal((await atakUpload(base, randomBytes(100), { hash: 'b'.repeat(64), filename: 'bad.zip', creatorUid: 'X' })).status, 400);
  assert.equal((await fetchRaw(`${base}/Marti/sync/upload?name=big`, { method: 'POST', body: randomBytes(200_000) })).status, 413);
  const counted = await waitFor('marti counters in status.json', () => {
    const c = takd.component('marti')?.counters;
    return c !== undefined && c.uploads === 1 && c['refused.hash-mismatch'] === 1 && c['refused.too-large'] === 1 ? c : undefined;
  });
  assert.equal(counted.packages, 1);
  const metrics = await fetchRaw(`http://127.0.0.1:${httpPort}/metrics`);
  assert.match(metrics.text, /^takd_component_counter\{id="marti",counter="refused.hash-mismatch"\} 1$/m);
  assert.match(metrics.text, /^takd_component_counter\{id="marti",counter="refused.too-large"\} 1$/m);
  assert.match(metrics.text, /^takd_component_state\{id="marti",kind="input",state="connected"\} 1$/m);
  assert.equal(await takd.stop(), 0);
});
