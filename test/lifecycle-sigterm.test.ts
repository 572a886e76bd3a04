// SIGTERM: intake stops, queued events are flushed (bounded by shutdown_timeout), exit 0.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { freePort } from './support/gpsfake.js';
import { CotSink, tcpClient, TakdProcess, waitFor } from './support/daemon-process.js';

const processes: TakdProcess[] = [];
const sinks: CotSink[] = [];
after(async () => {
  for (const p of processes) await p.cleanup();
  for (const s of sinks) await s.kill().catch(() => undefined);
});

function cot(i: number): string {
  const now = new Date().toISOString();
  const stale = new Date(Date.now() + 600_000).toISOString();
  return `<event version="2.0" uid="flush-${i}" type="a-f-G" how="h-e" time="${now}" start="${now}" stale="${stale}"><point lat="1" lon="2" hae="0" ce="9999999" le="9999999"/><detail/></event>`;
}

/** takd relaying from a TCP listener to a slow TCP output (a pause between writes). */
async function relay(count: number, pauseSeconds: number, shutdownSeconds: number): Promise<{ takd: TakdProcess; sink: CotSink; code: number | null }> {
  const sink = new CotSink();
  sinks.push(sink);
  const sinkPort = await sink.listen();
  const inputPort = await freePort();
  const takd = new TakdProcess();
  processes.push(takd);
  takd.writeConfig(`[takd]\nshutdown_timeout = ${shutdownSeconds}\n[pli]\nenabled = no\n[input.phones]\nurl = tcp+listen://127.0.0.1:${inputPort}\n[output.server]\nurl = tcp://127.0.0.1:${sinkPort}\nsleep = ${pauseSeconds}\nhello = off\n`);
  takd.start();
  await takd.waitForState('output.server', 'connected');
  await takd.waitForState('input.phones', 'connected');
  const phone = await tcpClient(inputPort);
  for (let i = 0; i < count; i += 1) phone.socket.write(cot(i));
  await waitFor('all events received by takd', () => ((takd.status()?.counters.eventsIn ?? 0) >= count ? true : undefined));
  phone.socket.destroy();
  const code = await takd.stop('SIGTERM');
  return { takd, sink, code };
}

describe('SIGTERM', () => {
  it('flushes every queued event before exiting 0', async () => {
    const { sink, code, takd } = await relay(12, 0.25, 20);
    assert.equal(code, 0, takd.stderr);
    assert.equal(sink.events(), 12);
    assert.match(takd.stdout, /"msg":"stopping"/);
  });

  it('gives up flushing after shutdown_timeout and still exits 0', async () => {
    const { sink, code, takd } = await relay(10, 2, 1);
    assert.equal(code, 0, takd.stderr);
    assert.ok(sink.events() < 10, `only part of the queue could go out (${sink.events()})`);
    assert.match(takd.stdout, /outputs not flushed in time/);
  });

  it('a second signal exits at once', async () => {
    const sink = new CotSink();
    sinks.push(sink);
    const port = await sink.listen();
    const takd = new TakdProcess();
    processes.push(takd);
    // A server that accepts nothing after the first event keeps the flush waiting.
    takd.writeConfig(`[takd]\nshutdown_timeout = 60\n[pli]\nenabled = no\n[output.server]\nurl = tcp://127.0.0.1:${port}\nsleep = 30\nhello = off\n[input.phones]\nurl = tcp+listen://127.0.0.1:${await freePort()}\n`);
    takd.start();
    await takd.waitForState('input.phones', 'connected');
    const inputPort = Number(/127\.0\.0\.1:(\d+)/.exec(takd.component('input.phones')?.detail ?? '')?.[1]);
    const phone = await tcpClient(inputPort);
    phone.socket.write(cot(1) + cot(2) + cot(3));
    await waitFor('events received', () => ((takd.status()?.counters.eventsIn ?? 0) >= 3 ? true : undefined));
    phone.socket.destroy();
    takd.child?.kill('SIGTERM');
    await waitFor('stopping logged', () => (takd.stdout.includes('"msg":"stopping"') ? true : undefined));
    assert.equal(await takd.stop('SIGINT'), 1);
    assert.match(takd.stdout, /second signal: exiting now/);
  });
});
