// A tcp:// output to a plain consumer that never sends anything (a script, Node-RED's TCP
// input, `nc -l`): read silence must not disconnect it, and a connection that stayed
// healthy starts the reconnect backoff over. Short timeouts, so this takes seconds; the
// peer that answers once and then goes silent is in transport-tcp.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULTS } from '../daemon/transports/options.js';
import { createTransport } from './support/transports.js';
import { count, pli, RawServer, recordingLogger } from './support/transport-fixtures.js';
import { waitUntil } from './support/wait.js';

test('a consumer that never sends stays connected past several read-idle periods and gets every event', async () => {
  const server = new RawServer(); // reads, never writes, never answers a ping
  const port = await server.listen();
  const idleTimeoutMs = 200;
  const client = createTransport(`tcp+wo://127.0.0.1:${port}`, { pingAfterMs: 50, idleTimeoutMs, backoff: { initialMs: 50, maxMs: 400 } });
  const total = 300;
  let sent = 0;
  let sender: NodeJS.Timeout | undefined;
  try {
    client.start();
    await waitUntil(() => client.status().counters.connects === 1, 'connected');
    // Five events every 25 ms: sending lasts about 1.5 s, over seven read-idle periods.
    sender = setInterval(() => {
      for (let i = 0; i < 5 && sent < total; i += 1) client.send(pli(sent++));
      if (sent === total) clearInterval(sender);
    }, 25);
    await waitUntil(() => count(server.text, 'uid="ANDROID-') === total, `all ${total} events at the consumer`);
    const status = client.status();
    assert.equal(status.state, 'connected');
    assert.equal(status.counters.connects, 1, `never disconnected: ${status.message}`);
    assert.equal(status.counters.disconnects, 0);
    assert.equal(status.counters.eventsDropped, 0);
    assert.equal(server.connections, 1);
    const uids = [...server.text.matchAll(/uid="(ANDROID-[0-9a-f]+)"/g)].map((m) => m[1]);
    assert.deepEqual(uids, Array.from({ length: total }, (_, n) => pli(n).uid), 'every event, in order');
  } finally {
    clearInterval(sender);
    await client.close();
    await server.kill();
  }
});

test('the reconnect backoff starts over after a connection that stayed healthy', async () => {
  const server = new RawServer();
  const port = await server.listen();
  // Connections 1-3 and 5 are closed by the server at once; the 4th stays up until the test ends it.
  server.onConnection = (socket) => {
    if (server.connections !== 4) socket.destroy();
  };
  let now = 1_000_000;
  const logger = recordingLogger();
  const client = createTransport(`tcp+wo://127.0.0.1:${port}`, {
    pingAfterMs: 0,
    idleTimeoutMs: 0,
    logger,
    // Healthy means up for DEFAULTS.backoffResetAfterMs; the backoff's clock is the test's, so no waiting for it.
    backoff: { initialMs: 50, factor: 2, maxMs: 10_000, jitter: 0, now: () => now },
  });
  const delays = (): number[] => logger.lines.map((l) => (l.obj as { retryInMs?: number }).retryInMs).filter((d): d is number => d !== undefined);
  try {
    client.start();
    await waitUntil(() => client.status().counters.connects === 4 && server.sockets.length === 4, 'the fourth connection');
    assert.deepEqual(delays(), [50, 100, 200], 'doubling while connections fail at once');
    now += DEFAULTS.backoffResetAfterMs;
    server.sockets[3]?.destroy();
    await waitUntil(() => delays().length >= 5, 'two more reconnects');
    assert.deepEqual(delays().slice(0, 5), [50, 100, 200, 50, 100], 'after the healthy connection: from the first delay again');
  } finally {
    await client.close();
    await server.kill();
  }
});
