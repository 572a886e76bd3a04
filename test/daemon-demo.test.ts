// The README's demo end to end: the sim GPS driver (NMEA through the real decoder) → PLI →
// codec → log://stdout and a loopback TCP listener; SIGTERM stops it with status 0.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { freePort } from './support/gpsfake.js';
import { repoRoot } from './support/paths.js';
import { tcpClient, TakdProcess, waitFor } from './support/daemon-process.js';

const takd = new TakdProcess();
after(() => takd.cleanup());

describe('demo', () => {
  it('CoT events flow from the simulated GPS to stdout and to a listener client', async () => {
    const port = await freePort();
    const demo = readFileSync(join(repoRoot, 'config/examples/demo.ini'), 'utf8').replace('tcp+listen+wo://127.0.0.1:8087', `tcp+listen+wo://127.0.0.1:${port}`);
    takd.writeConfig(demo);
    takd.start();
    await takd.waitForState('output.listener', 'connected');
    const client = await tcpClient(port);
    // The first report on stdout; then the listener gets the next ones.
    await waitFor('an event on stdout', () => (takd.stdout.includes('</event>') ? true : undefined), 15_000);
    await waitFor('an event on the listener', () => (client.text().includes('</event>') ? true : undefined), 15_000);
    client.socket.destroy();
    const event = /<event [^>]*>/.exec(takd.stdout)?.[0] ?? '';
    assert.match(event, /type="a-f-G-U-C"/);
    assert.match(event, /how="m-g"/);
    assert.match(takd.stdout, /<contact [^>]*callsign="DEMO-1"/);
    const lat = Number(/<point lat="([-\d.]+)"/.exec(takd.stdout)?.[1]);
    assert.ok(Math.abs(lat - 59.9139) < 0.01, `lat ${lat} near the demo's centre`);
    // status.json is rewritten once a second: wait for the one written after the first fix.
    const status = await waitFor('a 3D fix in status.json', () => {
      const current = takd.status();
      return current?.gps.fix === '3d' ? current : undefined;
    });
    assert.ok(status.counters.eventsOut >= 1);
    assert.ok((status.gps.ageSeconds ?? Infinity) < 10);
    assert.equal(await takd.stop('SIGTERM'), 0);
  });
});
