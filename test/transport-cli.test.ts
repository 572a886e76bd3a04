// takd send and takd listen as a user runs them: child processes, real sockets, exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CotEvent } from '../daemon/codec/event.js';
import { encodeXmlString } from '../daemon/codec/xml/encode.js';
import { createTransport } from './support/transports.js';
import type { StreamListener } from '../daemon/transports/stream-listener.js';
import { makeTestPki, opensslUnavailableReason } from './support/certs.js';
import { pli } from './support/transport-fixtures.js';
import { waitUntil } from './support/wait.js';
import { runTakd, TAKD_MAIN, type TakdRun } from './support/takd-cli.js';


const run = runTakd;

async function freeTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const port = socket.address().port;
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

const input = Array.from({ length: 25 }, (_, i) => encodeXmlString(pli(i))).join('\n');

test('takd send delivers every event to a listener and exits 0', async () => {
  const received: CotEvent[] = [];
  const listener = createTransport('tcp+listen://127.0.0.1:0', { onEvent: (event) => received.push(event) }) as StreamListener;
  listener.start();
  await listener.listening();
  try {
    const result = await run(['send', `tcp://127.0.0.1:${listener.port}`], input);
    assert.equal(result.status, 0, result.stderr);
    await waitUntil(() => received.length === 25, 'all 25 events');
    assert.equal(received[24]?.contact?.callsign, 'JULIET-24');
  } finally {
    await listener.close();
  }
});

test('takd send --proto 1 to a listener that offers v1', async () => {
  const received: CotEvent[] = [];
  const versions: number[] = [];
  const listener = createTransport('tcp+listen://127.0.0.1:0', { proto: 1, onEvent: (event, origin) => { received.push(event); versions.push(origin.version); } }) as StreamListener;
  listener.start();
  await listener.listening();
  try {
    const result = await run(['send', `tcp://127.0.0.1:${listener.port}`, '--proto', '1'], input);
    assert.equal(result.status, 0, result.stderr);
    await waitUntil(() => received.length === 25, 'all 25 events');
    assert.deepEqual(new Set(versions), new Set([1]), 'all sent as v1 after the negotiation');
  } finally {
    await listener.close();
  }
});

test('takd listen --json --count prints one event per line and exits 0', async () => {
  const port = await freeTcpPort();
  const child = run(['listen', `tcp+listen://127.0.0.1:${port}`, '--json', '--count', '3']);
  const client = createTransport(`tcp://127.0.0.1:${port}`, { backoff: { initialMs: 50, maxMs: 200 } });
  try {
    client.start();
    for (let i = 0; i < 3; i += 1) client.send(pli(i));
    const result = await child;
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines.length, 3);
    assert.deepEqual(lines.map((l) => (JSON.parse(l) as { contact: { callsign: string } }).contact.callsign), ['JULIET-0', 'JULIET-1', 'JULIET-2']);
  } finally {
    await client.close();
  }
});

test('takd send udp (mesh v1) → takd listen udp prints XML lines', async () => {
  const port = await freeUdpPort();
  const listening = run(['listen', `udp+ro://127.0.0.1:${port}`, '--count', '2']);
  // The listener needs a moment to bind; resend until it has what it needs (datagrams may be lost before that).
  let result: TakdRun | undefined;
  void listening.then((r) => (result = r));
  const two = [pli(1), pli(2)].map((e) => encodeXmlString(e)).join('');
  while (result === undefined) {
    await run(['send', `udp+wo://127.0.0.1:${port}`, '--proto', '1'], two);
  }
  assert.equal(result.status, 0, result.stderr);
  const lines = result.stdout.trim().split('\n');
  assert.equal(lines.length, 2);
  assert.match(lines[0] as string, /^<event version="2\.0" uid="ANDROID-[0-9a-f]+".*<\/event>$/);
});

test('takd send file:// appends; log://stdout prints', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'takd-send-'));
  try {
    const path = join(dir, 'out.cot');
    for (let i = 0; i < 2; i += 1) assert.equal((await run(['send', `file://${path}`], input)).status, 0);
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    assert.equal(lines.length, 50);
    const stdout = await run(['send', 'log://stdout'], input);
    assert.equal(stdout.stdout.trim().split('\n').length, 25);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('exit statuses: 1 with the cause when nothing listens, 2 naming the problem for bad usage', async () => {
  const port = await freeTcpPort();
  const refused = await run(['send', `tcp://127.0.0.1:${port}`, '--retries', '2'], input);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /could not deliver to tcp:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);
  const cases: [string[], RegExp][] = [
    [['send', 'tcp://host:99999'], /url: bad port '99999'/],
    [['send'], /missing URL/],
    [['send', 'tcp+listen://0.0.0.0:8087'], /not a listener URL/],
    [['send', 'tls://localhost:8089', '--cert', '/nonexistent.p12'], /cert: cannot read \/nonexistent\.p12/],
    [['send', 'udp://239.2.3.1', '--ttl', '300'], /--ttl: '300' is not a TTL/],
    [['listen', 'log://stdout'], /is an output/],
    [['listen', 'tcp://h', '--bogus'], /unknown option '--bogus'/],
  ];
  for (const [args, message] of cases) {
    const result = await run(args);
    assert.equal(result.status, 2, args.join(' '));
    assert.match(result.stderr, message, args.join(' '));
  }
  const env = await run(['send', 'tcp://127.0.0.1:1'], '', { TAK_PROTO: '7' });
  assert.equal(env.status, 2);
  assert.match(env.stderr, /TAK_PROTO: '7'/);
});

test('--help shows examples for both commands', async () => {
  for (const command of ['send', 'listen']) {
    const result = await run([command, '--help']);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /Examples:\n {2}takd /);
  }
});

/** A long-running takd child whose stdout lines are collected as they come. */
function background(args: string[]): { child: ChildProcess; lines: () => string[] } {
  const child = spawn(process.execPath, [TAKD_MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  return { child, lines: () => stdout.split('\n').filter((l) => l !== '') };
}

test('a takd listen server killed with SIGKILL mid-stream and restarted: the client reconnects and resumes', async () => {
  const port = await freeTcpPort();
  const url = `tcp+listen://127.0.0.1:${port}`;
  const first = background(['listen', url, '--json']);
  let second: ReturnType<typeof background> | undefined;
  const client = createTransport(`tcp+wo://127.0.0.1:${port}`, { backoff: { initialMs: 100, maxMs: 500 } });
  try {
    client.start();
    for (let i = 0; i < 5; i += 1) client.send(pli(i));
    await waitUntil(() => first.lines().length === 5, 'first five events at the first server');
    first.child.kill('SIGKILL');
    await waitUntil(() => client.status().state === 'retrying', 'the client notices the crash');
    for (let i = 5; i < 10; i += 1) client.send(pli(i));
    second = background(['listen', url, '--json']);
    const restarted = second;
    await waitUntil(() => restarted.lines().length === 5, 'the five held events at the restarted server');
    const callsigns = restarted.lines().map((l) => (JSON.parse(l) as { contact: { callsign: string } }).contact.callsign);
    assert.deepEqual(callsigns, ['JULIET-5', 'JULIET-6', 'JULIET-7', 'JULIET-8', 'JULIET-9']);
    assert.equal(client.status().counters.connects, 2);
  } finally {
    await client.close();
    first.child.kill('SIGKILL');
    second?.child.kill('SIGKILL');
  }
});

test('TLS end to end: takd listen tls+listen with a client CA, takd send with flags and with PyTAK environment keys', { skip: opensslUnavailableReason() }, async () => {
  const pki = makeTestPki();
  try {
    const port = await freeTcpPort();
    const listening = run(['listen', `tls+listen://127.0.0.1:${port}`, '--cert', pki.serverCert, '--key', pki.serverKey, '--client-ca', pki.caCert, '--json', '--count', '4']);
    const two = [pli(1), pli(2)].map((e) => encodeXmlString(e)).join('');
    let sent: TakdRun | undefined;
    // Retry while the listener is still starting (connection refused → exit 1).
    for (let attempt = 0; attempt < 20 && sent?.status !== 0; attempt += 1) {
      sent = await run(['send', `tls://localhost:${port}`, '--cert', pki.clientP12, '--password-file', pki.p12PasswordFile, '--ca', pki.caCert, '--retries', '1'], two);
    }
    assert.equal(sent?.status, 0, sent?.stderr);
    const viaEnv = await run(['send', `ssl://127.0.0.1:${port}`], two, {
      PYTAK_TLS_CLIENT_CERT: pki.clientCert,
      PYTAK_TLS_CLIENT_KEY: pki.clientKey,
      PYTAK_TLS_CLIENT_CAFILE: pki.caCert,
      PYTAK_TLS_SERVER_EXPECTED_HOSTNAME: 'localhost',
    });
    assert.equal(viaEnv.status, 0, viaEnv.stderr);
    const result = await listening;
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim().split('\n').length, 4);
  } finally {
    pki.cleanup();
  }
});
