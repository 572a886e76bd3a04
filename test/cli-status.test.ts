// `takd status` against a real `takd run`: the table names each link and its state in words,
// --json carries the snapshot, and the exit status follows /health (0 up, 1 output down or
// daemon gone).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { freePort } from './support/gpsfake.js';
import { CotSink, TAKD_MAIN, TakdProcess } from './support/daemon-process.js';

const takd = new TakdProcess();
const sink = new CotSink();
after(async () => {
  await takd.cleanup();
  await sink.kill().catch(() => undefined);
});

function status(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [TAKD_MAIN, 'status', ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, RUNTIME_DIRECTORY: takd.dir } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('takd status', () => {
  it('--help teaches the options and the exit status', () => {
    const help = status(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--watch/);
    assert.match(help.stdout, /Exit status: 0 healthy/);
    assert.equal(status(['--bogus']).code, 2);
  });

  it('reads status.json and HTTP of a running daemon; exit 0 healthy, 1 not', async () => {
    const sinkPort = await sink.listen();
    const httpPort = await freePort();
    takd.writeConfig(`[pli]\nenabled = no\n[status]\nhttp = 127.0.0.1:${httpPort}\n[output.server]\nurl = tcp://127.0.0.1:${sinkPort}\nhello = no\n`);
    takd.start();
    await takd.waitForState('output.server', 'connected');

    const table = status([]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /HEALTHY/);
    assert.match(table.stdout, /^output\.server\s+output\s+up\s/m);
    const json = status(['--json']);
    assert.equal(json.code, 0);
    const parsed = JSON.parse(json.stdout) as { healthy: boolean; components: { id: string }[] };
    assert.equal(parsed.healthy, true);
    assert.ok(parsed.components.some((c) => c.id === 'output.server'));
    const http = status(['--url', `http://127.0.0.1:${httpPort}`]);
    assert.equal(http.code, 0, http.stderr);
    assert.match(http.stdout, /output\.server/);

    await sink.kill();
    await takd.waitForState('output.server', 'retrying', 5000);
    const down = status([]);
    assert.equal(down.code, 1);
    assert.match(down.stdout, /NOT HEALTHY/);
    assert.match(down.stdout, /^output\.server\s+output\s+DOWN, retrying\s/m);

    assert.equal(await takd.stop(), 0);
    const gone = status([]);
    assert.equal(gone.code, 1);
  });

  it('says what to do when no daemon writes status.json', () => {
    const run = spawnSync(process.execPath, [TAKD_MAIN, 'status', '--dir', '/nonexistent-takd'], { encoding: 'utf8' });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /not running/);
  });
});
