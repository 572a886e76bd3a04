// mqtt:// and mqtts:// through a real Debian mosquitto on loopback: two `takd run` boxes of
// one fleet exchange events each way through the broker (topic tak/<fleet>/<box uid>/cot,
// subscription tak/<fleet>/+/cot), plain, over TLS with certificates made at test time, and
// with a password file; a broker restart mid-stream loses no chat or marker (QoS 1, durable
// queue, persistent session); mosquitto_sub and mosquitto_pub read and write as independent
// peers; a bad payload is counted and the link lives on. Loopback only.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { join } from 'node:path';
import type { CotEvent } from '../daemon/codec/event.js';
import { encodeXml, encodeXmlString } from '../daemon/codec/xml/encode.js';
import { opensslUnavailableReason, makeTestPki, type TestPki } from './support/certs.js';
import { TAKD_MAIN, TakdProcess, waitFor } from './support/daemon-process.js';
import { freePort, Mosquitto, mosquittoPub, MosquittoSub, mosquittoUnavailableReason } from './support/mosquitto.js';
import { makeEvent } from './support/routing.js';

const skip = mosquittoUnavailableReason() ?? opensslUnavailableReason();
const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

let pkiMade: TestPki | undefined;
function pki(): TestPki {
  if (pkiMade === undefined) {
    pkiMade = makeTestPki();
    const made = pkiMade;
    cleanups.push(() => made.cleanup());
  }
  return pkiMade;
}

async function broker(options: ConstructorParameters<typeof Mosquitto>[0] = {}): Promise<Mosquitto> {
  const mosquitto = new Mosquitto(options);
  cleanups.push(() => mosquitto.cleanup());
  await mosquitto.start();
  return mosquitto;
}

interface Box {
  uid: string;
  takd: TakdProcess;
  record: string;
  phone: Socket;
}

/** A takd box: phones on a tcp+listen input, the fleet output, and a file recording what it got. */
async function box(uid: string, fleetUrl: string, extra: string[] = []): Promise<Box> {
  const takd = new TakdProcess();
  cleanups.push(() => takd.cleanup());
  const phonePort = await freePort();
  const record = join(takd.dir, 'record.xml');
  takd.writeConfig(
    [
      '[takd]',
      `uid = ${uid}`,
      `callsign = ${uid.toUpperCase()}`,
      '[input.phones]',
      `url = tcp+listen://127.0.0.1:${phonePort}`,
      '[output.fleet]',
      `url = ${fleetUrl}`,
      'hello = false',
      ...extra,
      '[output.record]',
      `url = file://${record}`,
      '[log]',
      'level = warn',
    ].join('\n'),
  );
  takd.start();
  await takd.waitForState('output.fleet', 'connected', 15_000);
  await takd.waitForState('input.phones', 'connected', 15_000);
  const phone = createConnection({ host: '127.0.0.1', port: phonePort });
  await once(phone, 'connect');
  cleanups.push(() => void phone.destroy());
  return { uid, takd, record, phone };
}

function fleetUrl(scheme: string, port: number, uid: string, userinfo = ''): string {
  return `${scheme}://${userinfo}127.0.0.1:${port}/tak/f1/${uid}/cot?subscribe=tak/f1/%2B/cot`;
}

function recorded(b: Box): string[] {
  if (!existsSync(b.record)) return [];
  return [...readFileSync(b.record, 'utf8').matchAll(/<event [^>]*?uid="([^"]+)"/g)].map((m) => m[1] as string);
}

function count(list: string[], uid: string): number {
  return list.filter((u) => u === uid).length;
}

async function arrives(b: Box, uids: string[], timeoutMs = 15_000): Promise<void> {
  await waitFor(`${uids.join(', ')} at ${b.uid} (stderr: ${b.takd.stderr.slice(-400)})`, () => {
    const got = recorded(b);
    return uids.every((uid) => got.includes(uid)) ? true : undefined;
  }, timeoutMs);
}

function say(b: Box, events: CotEvent[]): void {
  for (const event of events) b.phone.write(encodeXml(event, { declaration: true }));
}

function counters(b: Box): Record<string, number> {
  return b.takd.component('output.fleet')?.counters ?? {};
}

test('mqtt://: two boxes exchange events both ways; nothing is published twice; mosquitto_sub and mosquitto_pub as peers; a bad payload is counted', { skip, timeout: 90_000 }, async () => {
  const mosquitto = await broker();
  const sub = new MosquittoSub(mosquitto, 'tak/f1/#');
  cleanups.push(() => sub.stop());
  const a = await box('box-a', fleetUrl('mqtt', mosquitto.port, 'box-a'));
  const b = await box('box-b', fleetUrl('mqtt', mosquitto.port, 'box-b'), ['mqtt_qos = 1']);
  const now = Date.now();
  say(a, [makeEvent('from-a-1', 'a-f-G-U-C', now), makeEvent('GeoChat.a.All.1', 'b-t-f', now)]);
  say(b, [makeEvent('from-b-1', 'a-h-G', now), makeEvent('GeoChat.b.All.1', 'b-t-f', now)]);
  await arrives(b, ['from-a-1', 'GeoChat.a.All.1']);
  await arrives(a, ['from-b-1', 'GeoChat.b.All.1']);

  // An independent publisher: its event reaches both boxes.
  const external = encodeXmlString(makeEvent('from-pub', 'a-n-G', now), { declaration: false });
  assert.equal(await mosquittoPub(mosquitto, 'tak/f1/ext/cot', external), 0);
  await arrives(a, ['from-pub']);
  await arrives(b, ['from-pub']);

  // A bad payload is counted; the link lives on and the next good event arrives.
  assert.equal(await mosquittoPub(mosquitto, 'tak/f1/ext/cot', '<event uid="broken"'), 0);
  assert.equal(await mosquittoPub(mosquitto, 'tak/f1/ext/cot', '\xbf\x05garbage'), 0);
  await waitFor('decode errors counted at both boxes', () => ((counters(a).decodeErrors ?? 0) >= 2 && (counters(b).decodeErrors ?? 0) >= 2 ? true : undefined));
  assert.equal(await mosquittoPub(mosquitto, 'tak/f1/ext/cot', encodeXmlString(makeEvent('after-garbage', 'a-n-G', now), { declaration: false })), 0);
  await arrives(a, ['after-garbage']);
  await arrives(b, ['after-garbage']);
  assert.equal(a.takd.component('output.fleet')?.state, 'connected');
  assert.equal(counters(a).disconnects, 0);

  // Loop-free: each box published only what its own phones said, once, on its own topic;
  // nothing a box received from the broker went back to it.
  await waitFor('mosquitto_sub saw both boxes', () => (sub.lines().length >= 4 + 4 ? true : undefined));
  const published = sub.lines().filter((line) => line.startsWith('tak/f1/box-'));
  const onTopic = (topic: string): string[] => published.filter((l) => l.startsWith(`${topic} `)).map((l) => /uid="([^"]+)"/.exec(l)?.[1] ?? '?');
  assert.deepEqual(onTopic('tak/f1/box-a/cot').sort(), ['GeoChat.a.All.1', 'from-a-1']);
  assert.deepEqual(onTopic('tak/f1/box-b/cot').sort(), ['GeoChat.b.All.1', 'from-b-1']);
  // Each box recorded every event once: its own phones' and the fleet's, no echo of its own.
  for (const x of [a, b]) {
    for (const uid of ['from-a-1', 'from-b-1', 'GeoChat.a.All.1', 'GeoChat.b.All.1', 'from-pub', 'after-garbage']) assert.equal(count(recorded(x), uid), 1, `${uid} once at ${x.uid}`);
  }
  assert.equal(await a.takd.stop(), 0);
  assert.equal(await b.takd.stop(), 0);
});

test('mqtt://: a broker restart mid-stream loses no chat or marker (QoS 1, store = true)', { skip, timeout: 120_000 }, async () => {
  const mosquitto = await broker({ persistent: true });
  const store = ['mqtt_qos = 1', 'store = true', 'fsync = always'];
  const a = await box('box-a', fleetUrl('mqtt', mosquitto.port, 'box-a'), store);
  const b = await box('box-b', fleetUrl('mqtt', mosquitto.port, 'box-b'), store);
  const now = Date.now();
  const chat = (phase: string, i: number): CotEvent => makeEvent(`GeoChat.a.All.${phase}.${i}`, 'b-t-f', now + i, { how: 'h-g-i-g-o' });
  const marker = (phase: string, i: number): CotEvent => makeEvent(`marker-${phase}-${i}`, 'a-h-G', now + i, { how: 'h-g-i-g-o' });
  const phase = (name: string): CotEvent[] => Array.from({ length: 5 }, (_, i) => [chat(name, i), marker(name, i)]).flat();
  const before = phase('before');
  say(a, before);
  await arrives(b, before.map((e) => e.uid));

  await mosquitto.stop();
  await a.takd.waitForState('output.fleet', 'retrying', 15_000);
  const during = phase('during');
  say(a, during);
  await waitFor('stored while the broker is away', () => ((a.takd.status()?.router.outputs.find((o) => o.name === 'output.fleet')?.counters.stored ?? 0) >= during.length ? true : undefined), 15_000);
  await mosquitto.start(mosquitto.port);
  const afterRestart = phase('after');
  say(a, afterRestart);
  await arrives(b, [...during, ...afterRestart].map((e) => e.uid), 60_000);
  for (const event of [...before, ...during, ...afterRestart]) assert.equal(count(recorded(b), event.uid), 1, `${event.uid} once at box-b`);
  assert.equal(await a.takd.stop(), 0);
  assert.equal(await b.takd.stop(), 0);
});

test('mqtts://: TLS with client certificates made at test time, TAK v1 payload one way, XML the other', { skip, timeout: 90_000 }, async () => {
  const p = pki();
  const mosquitto = await broker({ tls: { ca: p.caCert, cert: p.serverCert, key: p.serverKey, requireClientCert: true } });
  const tls = [`ca = ${p.caCert}`, `cert = ${p.clientCert}`, `key = ${p.clientKey}`];
  // The server certificate is for localhost.
  const url = (uid: string): string => fleetUrl('mqtts', mosquitto.port, uid).replace('127.0.0.1', 'localhost');
  const a = await box('box-a', url('box-a'), [...tls, 'proto = 1']);
  const b = await box('box-b', url('box-b'), [`cert = ${p.clientP12}`, `password_file = ${p.p12PasswordFile}`, `ca = ${p.caCert}`]);
  const sub = new MosquittoSub(mosquitto, 'tak/f1/box-b/cot', ['--cert', p.clientCert, '--key', p.clientKey]);
  cleanups.push(() => sub.stop());
  await waitFor('mosquitto_sub connected', () => (sub.child.pid !== undefined ? true : undefined));
  const now = Date.now();
  say(a, [makeEvent('tls-from-a', 'a-f-G', now)]);
  await arrives(b, ['tls-from-a']);
  // mosquitto_sub may subscribe a moment after it started: repeat until it has seen one.
  for (let i = 0; !sub.output.includes('tls-from-b'); i++) {
    say(b, [makeEvent('tls-from-b', 'a-f-G', now + i)]);
    await waitFor('a little time', () => (Date.now() > now + i * 200 ? true : undefined));
    if (i > 50) break;
  }
  await arrives(a, ['tls-from-b']);
  assert.match(sub.output, /tak\/f1\/box-b\/cot <event [^\n]*uid="tls-from-b"/);
  assert.equal(await mosquittoPub(mosquitto, 'tak/f1/ext/cot', encodeXmlString(makeEvent('tls-pub', 'a-n-G', now), { declaration: false }), ['--cert', p.clientCert, '--key', p.clientKey]), 0);
  await arrives(a, ['tls-pub']);
  await arrives(b, ['tls-pub']);
  assert.equal(await a.takd.stop(), 0);
  assert.equal(await b.takd.stop(), 0);
});

test('mqtt://: a broker with a password file; user from the URL or mqtt_username/mqtt_password; a wrong password keeps retrying', { skip, timeout: 90_000 }, async () => {
  const mosquitto = await broker({ users: { alpha: 'pass-a', bravo: 'pass-b' } });
  const a = await box('box-a', fleetUrl('mqtt', mosquitto.port, 'box-a', 'alpha:pass-a@'));
  const b = await box('box-b', fleetUrl('mqtt', mosquitto.port, 'box-b'), ['mqtt_username = bravo', 'mqtt_password = pass-b']);
  const now = Date.now();
  say(a, [makeEvent('auth-from-a', 'a-f-G', now)]);
  say(b, [makeEvent('auth-from-b', 'a-f-G', now)]);
  await arrives(b, ['auth-from-a']);
  await arrives(a, ['auth-from-b']);

  const c = new TakdProcess();
  cleanups.push(() => c.cleanup());
  c.writeConfig(['[takd]', 'uid = box-c', '[output.fleet]', `url = ${fleetUrl('mqtt', mosquitto.port, 'box-c', 'alpha:wrong@')}`, '[log]', 'level = warn'].join('\n'));
  c.start();
  const refused = await c.waitForState('output.fleet', 'retrying', 15_000);
  assert.equal(refused.counters.connects, 0);
  assert.equal(await c.stop(), 0);
  assert.equal(await a.takd.stop(), 0);
  assert.equal(await b.takd.stop(), 0);
});

test('takd send and takd listen with mqtt:// (MQTT_QOS from the environment, a wildcard subscription)', { skip, timeout: 60_000 }, async () => {
  const mosquitto = await broker();
  const listen = spawn(process.execPath, [TAKD_MAIN, 'listen', `mqtt+ro://127.0.0.1:${mosquitto.port}/tak/f1/+/cot`, '--count', '1', '--json'], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, MQTT_QOS: '1' } });
  cleanups.push(() => void listen.kill('SIGKILL'));
  let printed = '';
  listen.stdout.setEncoding('utf8').on('data', (text: string) => (printed += text));
  const listened = once(listen, 'exit');
  // The listener subscribes a moment after it starts: send until it has printed one.
  const event = encodeXmlString(makeEvent('cli-sent', 'a-f-G', Date.now()), { declaration: true });
  for (let i = 0; printed === '' && i < 40; i++) {
    const send = spawn(process.execPath, [TAKD_MAIN, 'send', `mqtt://127.0.0.1:${mosquitto.port}/tak/f1/cli/cot`], { stdio: ['pipe', 'ignore', 'pipe'], env: { PATH: process.env.PATH, MQTT_QOS: '1' } });
    send.stdin.end(event);
    const [code] = (await once(send, 'exit')) as [number | null];
    assert.equal(code, 0);
  }
  const [code] = (await listened) as [number | null];
  assert.equal(code, 0);
  assert.equal((JSON.parse(printed.split('\n')[0] as string) as { uid: string }).uid, 'cli-sent');
});
