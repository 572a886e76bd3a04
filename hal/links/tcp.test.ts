import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { once } from 'node:events';
import { TcpLinkProvider } from './tcp.js';
import { isLinkError } from './errors.js';
import type { GnssFix } from '../contract.js';
import { startSource } from '../source.js';
import { nmeaGnssDriver } from '../drivers/nmea-gnss/index.js';
import { defaultLinkProviders } from './index.js';
import { epochSentences, type SimulatedFix } from '../drivers/sim/nmea-writer.js';
import { waitUntil } from '../../test/support/wait.js';

const fixAt = (second: number): SimulatedFix => ({
  time: Date.UTC(2026, 0, 1, 0, 0, second), lat: -33.9, lon: 151.2, altMSL: 50, geoidSep: 22, speed: 0, track: 0, valid: true,
  satellites: [], hdop: 0.9, vdop: 1.2, pdop: 1.5,
});

test('tcp: data flows both ways; the peer closing ends chunks() with disconnected; local close with canceled', async () => {
  const server = createServer();
  const accepted: Socket[] = [];
  server.on('connection', (s) => accepted.push(s));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  try {
    const provider = new TcpLinkProvider();
    const link = await provider.open({ url: new URL(`tcp://127.0.0.1:${port}`) });
    await waitUntil(() => accepted.length === 1, 'the server accepted the link');
    const received = once(accepted[0], 'data');
    await link.write(Buffer.from('?WATCH;\n'));
    assert.equal(String((await received)[0]), '?WATCH;\n');
    accepted[0].end('hello');
    const chunks: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const c of link.chunks()) chunks.push(String(c));
      })(),
      (e: unknown) => isLinkError(e) && e.kind === 'disconnected',
    );
    assert.deepEqual(chunks, ['hello']);

    const second = await provider.open({ url: new URL(`tcp://127.0.0.1:${port}`) });
    const iteration = (async () => {
      for await (const _ of second.chunks()) void _;
    })();
    const canceled = assert.rejects(iteration, (e: unknown) => isLinkError(e) && e.kind === 'canceled');
    await second.close();
    await canceled;
  } finally {
    for (const s of accepted) s.destroy();
    server.close();
  }
});

test('tcp: connection refused is open-failed', async () => {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  await assert.rejects(new TcpLinkProvider().open({ url: new URL(`tcp://127.0.0.1:${port}`) }), (e: unknown) => isLinkError(e) && e.kind === 'open-failed');
});

test('tcp: a source reconnects after the server drops it and decodes what comes next', async () => {
  const server = createServer();
  const accepted: Socket[] = [];
  server.on('connection', (s) => accepted.push(s));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const source = startSource({ id: 'source.gps', url: `tcp://127.0.0.1:${port}`, driver: nmeaGnssDriver, providers: defaultLinkProviders(), retryInitialMs: 10 });
  const fixes: GnssFix[] = [];
  const consumer = (async () => {
    for await (const f of source.messages()) fixes.push(f);
  })();
  try {
    await waitUntil(() => accepted.length === 1, 'the first connection');
    accepted[0].write(epochSentences(fixAt(0)) + epochSentences(fixAt(1)));
    await waitUntil(() => fixes.length >= 1, 'a fix from the first connection');
    accepted[0].destroy();
    await waitUntil(() => accepted.length === 2, 'the source reconnected');
    accepted[1].write(epochSentences(fixAt(5)) + epochSentences(fixAt(6)) + epochSentences(fixAt(7)));
    await waitUntil(() => fixes.some((f) => f.time === fixAt(6).time), 'a fix from the second connection');
    assert.equal(source.status().connects, 2);
    assert.equal(source.status().disconnects, 1);
  } finally {
    await source.stop();
    await consumer;
    for (const s of accepted) s.destroy();
    server.close();
  }
});
