// status.json and the HTTP endpoint follow reality: kill an output's server and its state
// changes to "retrying"; /health turns 503 and /metrics says so.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { freePort } from './support/gpsfake.js';
import { CotSink, TakdProcess, waitFor } from './support/daemon-process.js';

const takd = new TakdProcess();
const sink = new CotSink();
after(async () => {
  await takd.cleanup();
  await sink.kill().catch(() => undefined);
});

async function get(port: number, path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, body: await response.text() };
}

describe('status', () => {
  it('status.json, /health and /metrics follow an output losing its server', async () => {
    const sinkPort = await sink.listen();
    const httpPort = await freePort();
    takd.writeConfig(`[pli]\nenabled = no\n[status]\nhttp = 127.0.0.1:${httpPort}\n[output.server]\nurl = tcp://127.0.0.1:${sinkPort}\nhello = no\n`);
    takd.start();
    const up = await takd.waitForState('output.server', 'connected');
    assert.equal(up.kind, 'output');
    const status = takd.status();
    assert.equal(status?.version, '0.1.0');
    assert.equal(status?.ready, true);
    assert.equal(status?.pid, takd.child?.pid);
    assert.equal(status?.gps.fix, 'none');
    assert.equal((await get(httpPort, '/health')).status, 200);

    await sink.kill();
    const down = await takd.waitForState('output.server', 'retrying', 5000);
    assert.match(down.detail, /retry/i);
    assert.ok(down.lastError !== undefined);
    const health = await get(httpPort, '/health');
    assert.equal(health.status, 503);
    assert.match(health.body, /output.server/);
    const metrics = await get(httpPort, '/metrics');
    assert.match(metrics.body, /^# TYPE takd_up gauge$/m);
    assert.match(metrics.body, /^takd_up 0$/m);
    assert.match(metrics.body, /^takd_component_state\{id="output.server",kind="output",state="retrying"\} 1$/m);
    assert.match(metrics.body, /^takd_component_counter\{id="output.server",counter="connects"\} 1$/m);
    assert.equal((await get(httpPort, '/nothing')).status, 404);
    assert.equal(await takd.stop(), 0);
  });

  // Node's recursive mkdir spun at 100 % of a core on a status dir under /proc.
  it('a status dir that cannot be made is a warning, and the daemon carries on', { timeout: 20_000 }, async () => {
    const other = new TakdProcess();
    const otherSink = new CotSink();
    try {
      const sinkPort = await otherSink.listen();
      const httpPort = await freePort();
      other.writeConfig(`[pli]\nenabled = no\n[status]\nhttp = 127.0.0.1:${httpPort}\n[output.server]\nurl = tcp://127.0.0.1:${sinkPort}\nhello = no\n`);
      other.start(undefined, { RUNTIME_DIRECTORY: '/proc/takd-test-nonexistent/run' });
      await waitFor('the status.json warning', () => (other.stdout + other.stderr).includes('cannot write status.json') || undefined, 10_000);
      let health = 0;
      for (let tries = 0; tries < 100 && health !== 200; tries += 1) {
        health = (await get(httpPort, '/health').catch(() => undefined))?.status ?? 0;
        if (health !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(health, 200);
      assert.match(other.stdout + other.stderr, /"code":"ENOENT"/);
      assert.equal(await other.stop(), 0);
    } finally {
      await other.cleanup();
      await otherSink.kill().catch(() => undefined);
    }
  });
});
