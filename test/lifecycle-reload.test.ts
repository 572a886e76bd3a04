// SIGHUP reloads the file: outputs whose settings did not change keep their connection,
// changed ones reconnect, and a bad file is refused while the daemon keeps running.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CotSink, TakdProcess, waitFor } from './support/daemon-process.js';

const takd = new TakdProcess();
const sinks = [new CotSink(), new CotSink(), new CotSink()];
after(async () => {
  await takd.cleanup();
  for (const sink of sinks) await sink.kill().catch(() => undefined);
});

function config(portA: number, portB: number): string {
  return `[pli]\nenabled = no\n[output.a]\nurl = tcp://127.0.0.1:${portA}\nhello = no\n[output.b]\nurl = tcp://127.0.0.1:${portB}\nhello = no\n`;
}

describe('SIGHUP', () => {
  it('keeps unchanged connections and replaces changed outputs', async () => {
    const [a, b, c] = sinks as [CotSink, CotSink, CotSink];
    const [portA, portB, portC] = [await a.listen(), await b.listen(), await c.listen()];
    takd.writeConfig(config(portA, portB));
    takd.start();
    await takd.waitForState('output.a', 'connected');
    await takd.waitForState('output.b', 'connected');
    assert.equal(a.connections, 1);

    takd.writeConfig(config(portA, portC));
    takd.child?.kill('SIGHUP');
    await waitFor('output.b on the new server', () => (c.connections === 1 ? true : undefined));
    await waitFor('the old server of output.b disconnected', () => (b.sockets.size === 0 ? true : undefined));
    assert.equal(a.connections, 1, 'output.a was not reconnected');
    assert.equal(a.sockets.size, 1, 'output.a connection still open');
    assert.match(takd.stdout, /"msg":"configuration reloaded"/);
    assert.match(takd.stdout, /"kept":\["output.a"\]/);

    takd.writeConfig('[log]\nlevel = loud\n');
    takd.child?.kill('SIGHUP');
    await waitFor('reload refused', () => (takd.stdout.includes('reload refused') ? true : undefined));
    assert.match(takd.stdout, /reload refused: .*takd\.ini:2: level: 'loud' is not allowed/);
    assert.equal(a.sockets.size, 1);
    assert.equal(c.sockets.size, 1);
    assert.equal(takd.child?.exitCode, null, 'still running');
    assert.equal(await takd.stop(), 0);
  });
});
