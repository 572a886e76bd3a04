// Meshtastic over TCP (the stream API on port 4403, here an ephemeral loopback port): the
// fake radio serves each connection; the client handshakes, receives, and sends a PLI.
// Then the radio drops the connection and the client reconnects by itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CotEvent } from '../daemon/codec/event.js';
import { MeshtasticClient } from '../hal/drivers/meshtastic/client.js';
import type { MeshtasticMessage } from '../hal/drivers/meshtastic/messages.js';
import { defaultLinkProviders } from '../hal/links/index.js';
import { runFakeRadio } from './support/fake-meshtastic.js';
import { eventually } from './support/wait.js';

test('meshtastic over TCP: handshake, inbound packets, a PLI out, reconnect after the radio hangs up', { timeout: 30_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'takd-mesh-tcp-'));
  const logPath = join(dir, 'radio.log');
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    runFakeRadio(logPath, 0x22334455, socket, socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const client = new MeshtasticClient({
    id: 'source.mesh-tcp',
    url: `tcp://127.0.0.1:${port}`,
    providers: defaultLinkProviders(),
    tickMs: 50,
    retryInitialMs: 50,
    retryMaxMs: 200,
  });
  const messages: MeshtasticMessage[] = [];
  const consumer = (async () => {
    for await (const message of client.messages()) messages.push(message);
  })();
  try {
    assert.ok(await eventually(() => client.session.configComplete, 10_000), client.source.status().detail);
    assert.equal(client.session.myNodeNum, 0x22334455);
    assert.ok(await eventually(() => messages.some((m) => m.kind === 'text'), 5000));
    const event: CotEvent = {
      uid: 'takd-box', type: 'a-f-G-U-C', how: 'm-g', time: 0, start: 0, stale: 0,
      point: { lat: 1.5, lon: 2.5, hae: 10, ce: 5, le: 9999999 }, contact: { callsign: 'BOX' },
    };
    assert.equal(client.send(event), 'queued');
    const log = (): { kind: string; tak?: { contact?: { deviceCallsign?: string } } }[] =>
      existsSync(logPath) ? readFileSync(logPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string }) : [];
    assert.ok(await eventually(() => log().some((e) => e.kind === 'packet'), 5000));
    assert.equal(log().find((e) => e.kind === 'packet')?.tak?.contact?.deviceCallsign, 'takd-box');

    sockets[0].destroy(); // the radio hangs up
    assert.ok(await eventually(() => client.counters.handshakesCompleted >= 2, 10_000), JSON.stringify(client.counters));
    assert.ok(client.source.status().disconnects >= 1);
  } finally {
    await client.stop();
    await consumer;
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  }
});
