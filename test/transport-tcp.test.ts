// TCP client and listener on loopback, with real sockets: round trips, third-party style
// servers, bad input, server crashes, half-open links and the no-CPU-spin guarantee.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import type { CotEvent } from '../daemon/codec/event.js';
import { encodeXmlString } from '../daemon/codec/xml/encode.js';
import { createTransport } from './support/transports.js';
import type { StreamListener } from '../daemon/transports/stream-listener.js';
import type { Transport } from '../daemon/transports/types.js';
import { count, pli, RawServer, recordingLogger, sleep } from './support/transport-fixtures.js';
import { waitUntil } from './support/wait.js';

const fastBackoff = { initialMs: 50, maxMs: 400 };

async function startListener(url: string, received: CotEvent[], extra = {}): Promise<StreamListener> {
  const listener = createTransport(url, { onEvent: (event) => received.push(event), ...extra }) as StreamListener;
  listener.start();
  await listener.listening();
  return listener;
}

for (const [family, host, bracketed] of [['IPv4', '127.0.0.1', '127.0.0.1'], ['IPv6', '::1', '[::1]']] as const) {
  test(`client and listener exchange events both ways (${family})`, async () => {
    const atListener: CotEvent[] = [];
    const atClient: CotEvent[] = [];
    const listener = await startListener(`tcp+listen://${bracketed}:0`, atListener);
    const client = createTransport(`tcp://${bracketed}:${listener.port}`, { onEvent: (event) => atClient.push(event), backoff: fastBackoff });
    try {
      client.start();
      for (let i = 0; i < 50; i += 1) client.send(pli(i));
      await waitUntil(() => atListener.length === 50, 'events at the listener');
      assert.deepEqual(atListener.map((e) => e.uid), Array.from({ length: 50 }, (_, i) => pli(i).uid));
      assert.equal(atListener[7]?.contact?.callsign, 'JULIET-7');
      listener.send(pli(1000));
      await waitUntil(() => atClient.length === 1, 'event at the client');
      assert.equal(atClient[0]?.uid, pli(1000).uid);
      assert.equal(client.status().state, 'connected');
      assert.match(client.status().message, new RegExp(host === '::1' ? '\\[::1\\]' : '127\\.0\\.0\\.1'));
    } finally {
      await client.close();
      await listener.close();
    }
  });
}

test('a third-party style server: newline-joined events split at odd places, declarations, pings answered', async () => {
  const server = new RawServer();
  const port = await server.listen();
  const received: CotEvent[] = [];
  const stream = Array.from({ length: 20 }, (_, i) => encodeXmlString(pli(i), { declaration: i % 2 === 0 })).join('\n');
  server.onConnection = (socket) => {
    const bytes = Buffer.from(stream);
    // Cut into 7-byte pieces: every tag and multi-byte boundary gets split somewhere.
    for (let offset = 0; offset < bytes.length; offset += 7) socket.write(bytes.subarray(offset, offset + 7));
  };
  server.onData = (socket, chunk) => {
    if (chunk.includes('t-x-c-t"')) socket.write(encodeXmlString({ ...pli(0), uid: 'pong', type: 't-x-c-t-r' }));
  };
  const client = createTransport(`tcp+ro://127.0.0.1:${port}`, { onEvent: (event) => received.push(event), pingAfterMs: 100, idleTimeoutMs: 1_000 });
  try {
    client.start();
    await waitUntil(() => received.length === 20, 'all 20 events');
    assert.deepEqual(received.map((e) => e.contact?.callsign), Array.from({ length: 20 }, (_, i) => `JULIET-${i}`));
    // Silence is filled by pings the server answers with pongs: the link stays up and pongs are not data.
    await waitUntil(() => count(server.text, 't-x-c-t"') >= 5, 'several pings');
    assert.equal(client.status().counters.connects, 1);
    assert.equal(received.length, 20);
    assert.equal(client.send(pli(1)), false, '+ro sends nothing');
  } finally {
    await client.close();
    await server.kill();
  }
});

test('garbage and a 10 MB event from a client: the connection survives and later events arrive', async () => {
  const received: CotEvent[] = [];
  const listener = await startListener('tcp+listen://127.0.0.1:0', received);
  const socket: Socket = connect(listener.port as number, '127.0.0.1');
  try {
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(encodeXmlString(pli(1)));
    socket.write(Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0xff, 0x3c, 0x3e]));
    socket.write('this is not CoT at all </event> <event <<<>>>');
    const huge = encodeXmlString({ ...pli(2), xmlDetail: `<remarks>${'x'.repeat(10 * 1024 * 1024)}</remarks>` });
    await new Promise<void>((resolve) => socket.write(huge, () => resolve()));
    socket.write(encodeXmlString(pli(3)));
    await waitUntil(() => received.some((e) => e.uid === pli(3).uid), 'the event after the garbage');
    assert.deepEqual(received.map((e) => e.uid), [pli(1).uid, pli(3).uid]);
    assert.ok(listener.status().counters.decodeErrors >= 2, `decode errors counted: ${listener.status().counters.decodeErrors}`);
    assert.equal(listener.clientCount, 1, 'same connection still open');
    assert.ok(!socket.destroyed);
  } finally {
    socket.destroy();
    await listener.close();
  }
});

test('garbage and a 10 MB event from a server: the client stays connected and later events arrive', async () => {
  const server = new RawServer();
  const port = await server.listen();
  const received: CotEvent[] = [];
  server.onConnection = (socket) => {
    socket.write(Buffer.from([0xbf, 0x00, 0xbf, 0xff, 0xfe]));
    socket.write(encodeXmlString({ ...pli(2), xmlDetail: `<remarks>${'y'.repeat(10 * 1024 * 1024)}</remarks>` }));
    socket.write('<event><event><event>');
    socket.write(encodeXmlString(pli(3)));
  };
  const client = createTransport(`tcp://127.0.0.1:${port}`, { onEvent: (event) => received.push(event) });
  try {
    client.start();
    await waitUntil(() => received.length >= 1, 'the event after the garbage');
    assert.equal(received[0]?.uid, pli(3).uid);
    assert.equal(client.status().counters.connects, 1);
    assert.ok(client.status().counters.decodeErrors >= 1);
  } finally {
    await client.close();
    await server.kill();
  }
});

test('the server is killed mid-stream and restarted: the client reconnects and resumes', async () => {
  const first = new RawServer();
  const port = await first.listen();
  const client = createTransport(`tcp+wo://127.0.0.1:${port}`, { backoff: fastBackoff, maxQueue: 100 });
  let second: RawServer | undefined;
  try {
    client.start();
    for (let i = 0; i < 10; i += 1) client.send(pli(i));
    await waitUntil(() => count(first.text, '</event>') === 10, 'first 10 events');
    await first.kill();
    await waitUntil(() => client.status().state === 'retrying', 'client notices');
    // Sent while the server is down: held in the queue.
    for (let i = 10; i < 20; i += 1) client.send(pli(i));
    second = new RawServer();
    await second.listen(port);
    const server = second;
    await waitUntil(() => count(server.text, '</event>') === 10, 'the 10 queued events after the restart');
    assert.ok(server.text.includes('JULIET-10"') && server.text.includes('JULIET-19"'));
    client.send(pli(20));
    await waitUntil(() => server.text.includes('JULIET-20"'), 'a new event on the new connection');
    const status = client.status();
    assert.equal(status.counters.connects, 2);
    assert.equal(status.counters.disconnects, 1);
    assert.equal(status.state, 'connected');
  } finally {
    await client.close();
    await second?.kill();
  }
});

test('a server that answered once and then stops answering without closing is detected within the idle timeout', async () => {
  const server = new RawServer();
  const port = await server.listen();
  const logger = recordingLogger();
  // Answers the first ping, then reads and never writes again: later pings go unanswered (a
  // wedged server or a dead NAT path). A peer that never answered at all is a plain
  // consumer and is not dropped for its silence (transport-silent-peer.test.ts).
  let answered = false;
  server.onData = (socket, chunk) => {
    if (answered || !chunk.includes('t-x-c-t"')) return;
    answered = true;
    socket.write(encodeXmlString({ ...pli(0), uid: 'pong', type: 't-x-c-t-r' }));
  };
  const client = createTransport(`tcp://127.0.0.1:${port}`, { pingAfterMs: 100, idleTimeoutMs: 500, backoff: { initialMs: 5_000 }, logger });
  try {
    client.start();
    await waitUntil(() => client.status().counters.connects === 1, 'connected');
    await waitUntil(() => client.status().state === 'retrying', 'idle link detected', 10_000);
    assert.match(client.status().message, /READ_IDLE: nothing received for \d+ ms/);
    assert.ok(answered, 'the server answered a ping first');
    assert.ok(count(server.text, 't-x-c-t"') >= 2, 'pings were sent before giving up');
    assert.ok(logger.lines.some((l) => l.level === 'warn' && l.msg === 'disconnected'));
  } finally {
    await client.close();
    await server.kill();
  }
});

async function cpuWhileDisconnected(client: Transport, windowMs: number): Promise<{ cpuMs: number; connects: number }> {
  client.start();
  const before = process.cpuUsage();
  await sleep(windowMs);
  const used = process.cpuUsage(before);
  return { cpuMs: (used.user + used.system) / 1000, connects: client.status().counters.connects };
}

test('a server that closes every connection at once: no busy loop (CPU time stays low)', async () => {
  const server = new RawServer();
  const port = await server.listen();
  server.onConnection = (socket) => socket.end();
  const client = createTransport(`tcp://127.0.0.1:${port}`, { backoff: { initialMs: 100, maxMs: 1_000 } });
  try {
    const { cpuMs, connects } = await cpuWhileDisconnected(client, 3_000);
    // Backoff 100 ms doubling: about 5 attempts in 3 s. A busy loop would make thousands and burn a core.
    assert.ok(server.connections <= 10, `connections: ${server.connections}`);
    assert.ok(connects <= 10, `connects: ${connects}`);
    assert.ok(cpuMs < 1_000, `CPU time over 3 s of downtime: ${cpuMs} ms`);
    assert.match(client.status().message, /retrying in \d+ s: the server closed the connection/);
  } finally {
    await client.close();
    await server.kill();
  }
});

test('a server that is down (connection refused): no busy loop either', async () => {
  const server = new RawServer();
  const port = await server.listen();
  await server.kill();
  const client = createTransport(`tcp://127.0.0.1:${port}`, { backoff: { initialMs: 100, maxMs: 1_000 } });
  try {
    const { cpuMs } = await cpuWhileDisconnected(client, 2_000);
    assert.ok(cpuMs < 1_000, `CPU time: ${cpuMs} ms`);
    assert.match(client.status().message, /ECONNREFUSED/);
  } finally {
    await client.close();
  }
});

test('+wo reads and discards what the server sends, so the server never blocks on us', async () => {
  const server = new RawServer();
  const port = await server.listen();
  let serverWritesDone = false;
  server.onConnection = (socket) => {
    const chunk = Buffer.from(encodeXmlString(pli(5)).repeat(1000)); // ~700 KB
    let left = 8;
    const writeMore = (): void => {
      while (left > 0) {
        left -= 1;
        if (!socket.write(chunk)) {
          socket.once('drain', writeMore);
          return;
        }
      }
      socket.write('', () => {
        serverWritesDone = true;
      });
    };
    writeMore();
  };
  const delivered: CotEvent[] = [];
  const client = createTransport(`tcp+wo://127.0.0.1:${port}`, { onEvent: (event) => delivered.push(event) });
  try {
    client.start();
    await waitUntil(() => serverWritesDone, 'server wrote 5.6 MB without being blocked');
    client.send(pli(9));
    await waitUntil(() => server.text.includes('JULIET-9"'), 'our event');
    assert.equal(delivered.length, 0, '+wo delivers nothing');
  } finally {
    await client.close();
    await server.kill();
  }
});

test('hello goes first on every connection; drops are counted when the queue overflows offline', async () => {
  const server = new RawServer();
  const port = await server.listen();
  await server.kill();
  const hello: CotEvent = { ...pli(99), uid: 'hello-uid' };
  const logger = recordingLogger();
  const client = createTransport(`tcp://127.0.0.1:${port}`, { hello: () => hello, maxQueue: 5, backoff: fastBackoff, logger });
  let server2: RawServer | undefined;
  try {
    client.start();
    for (let i = 0; i < 50; i += 1) client.send(pli(i));
    assert.equal(client.status().counters.eventsDropped, 45);
    assert.equal(logger.lines.filter((l) => l.msg === 'dropping events').length, 1, 'one log line, not 45');
    server2 = new RawServer();
    await server2.listen(port);
    const s = server2;
    await waitUntil(() => count(s.text, '</event>') === 6, 'hello plus the 5 newest');
    const uids = [...s.text.matchAll(/uid="([^"]+)"/g)].map((m) => m[1]);
    assert.equal(uids[0], 'hello-uid');
    assert.deepEqual(uids.slice(1), [45, 46, 47, 48, 49].map((i) => pli(i).uid));
  } finally {
    await client.close();
    await server2?.kill();
  }
});

test('a client that gives up after maxAttempts makes flush() reject with the cause', async () => {
  const server = new RawServer();
  const port = await server.listen();
  await server.kill();
  const client = createTransport(`tcp://127.0.0.1:${port}`, { maxAttempts: 2, backoff: fastBackoff });
  try {
    client.start();
    client.send(pli(1));
    await assert.rejects(client.flush(), /ECONNREFUSED/);
    assert.equal(client.status().state, 'failed');
  } finally {
    await client.close();
  }
});

test('a consumer that throws is logged; the connection and later events are unaffected', async () => {
  const received: CotEvent[] = [];
  const logger = recordingLogger();
  const listener = createTransport('tcp+listen://127.0.0.1:0', {
    logger,
    onEvent: (event) => {
      if (event.uid === pli(1).uid) throw new Error('consumer bug');
      received.push(event);
    },
  }) as StreamListener;
  listener.start();
  await listener.listening();
  const client = createTransport(`tcp://127.0.0.1:${listener.port}`);
  try {
    client.start();
    client.send(pli(1));
    client.send(pli(2));
    await waitUntil(() => received.length === 1, 'the event after the failing one');
    assert.equal(received[0]?.uid, pli(2).uid);
    assert.ok(logger.lines.some((l) => l.level === 'error' && l.msg === 'event consumer failed'));
    assert.equal(client.status().counters.connects, 1);
  } finally {
    await client.close();
    await listener.close();
  }
});

test('a listener refuses clients beyond maxClients and logs it once', async () => {
  const logger = recordingLogger();
  const listener = createTransport('tcp+listen://127.0.0.1:0', { maxClients: 2, logger }) as StreamListener;
  listener.start();
  await listener.listening();
  const sockets: Socket[] = [];
  try {
    for (let i = 0; i < 5; i += 1) {
      const socket = connect(listener.port as number, '127.0.0.1');
      socket.on('error', () => undefined);
      sockets.push(socket);
    }
    await waitUntil(() => sockets.filter((s) => s.destroyed).length === 3, 'three refused');
    assert.equal(listener.clientCount, 2);
    assert.equal(logger.lines.filter((l) => l.msg === 'connection refused: listener limit reached').length, 1);
    assert.equal(listener.status().counters['refused.full'], 3);
  } finally {
    for (const socket of sockets) socket.destroy();
    await listener.close();
  }
});
