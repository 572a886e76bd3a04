// Meshtastic over a real serial pty: the fake radio (test/support/fake-meshtastic.ts, its own
// process behind socat) and MeshtasticClient on serial://. Checks the handshake, inbound
// position/text → CoT, the send path with the airtime budget, heartbeats, and reconnect
// after the "USB cable" is pulled (socat killed) and put back (socat again, same paths).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CotEvent } from '../daemon/codec/event.js';
import { MeshtasticClient } from '../hal/drivers/meshtastic/client.js';
import type { MeshtasticMessage } from '../hal/drivers/meshtastic/messages.js';
import { createMeshtasticToCot } from '../hal/drivers/meshtastic/to-cot.js';
import { defaultLinkProviders } from '../hal/links/index.js';
import { REMOTE_NAME, REMOTE_TEXT } from './support/fake-meshtastic.js';
import { socatAvailable } from './support/pty.js';
import { meshtasticFrame } from '../hal/framers/meshtastic.js';
import { ToRadioType, encodePlain } from '../hal/drivers/meshtastic/schema.js';
import { eventually } from './support/wait.js';

/** A ToRadio text packet, the fake radio's cue to reboot. */
const textPacketFrame = (text: string): Buffer =>
  meshtasticFrame(encodePlain(ToRadioType, { packet: { to: 0xffffffff, id: 77, hopLimit: 3, decoded: { portnum: 1, payload: Buffer.from(text) } } }));

const fakeRadio = fileURLToPath(new URL('./support/fake-meshtastic.js', import.meta.url));
const MY_NODE = 0x11223344;

/** socat: a pty (the host side, takd opens it) joined to the fake radio's stdin/stdout. */
async function plugIn(hostPath: string, logPath: string): Promise<ChildProcess> {
  const child = spawn('socat', [`pty,raw,echo=0,link=${hostPath}`, `EXEC:${process.execPath} ${fakeRadio} ${logPath} ${MY_NODE.toString(16)}`], { stdio: 'ignore' });
  assert.ok(await eventually(() => existsSync(hostPath) || child.exitCode !== null, 5000), 'socat made the pty');
  return child;
}

async function unplug(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

function radioLog(logPath: string): { kind: string; [key: string]: unknown }[] {
  if (!existsSync(logPath)) return [];
  return readFileSync(logPath, 'utf8').trim().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { kind: string });
}

const pli = (uid: string, lat: number): CotEvent => ({
  uid, type: 'a-f-G-U-C', how: 'm-g', time: 0, start: 0, stale: 0,
  point: { lat, lon: -1.5, hae: 42.4, ce: 5, le: 9999999 },
  contact: { callsign: 'TAKD-1' }, group: { name: 'Blue', role: 'Team Lead' }, track: { speed: 3.2, course: 181 },
});

const chat = (text: string): CotEvent => ({
  uid: 'GeoChat.ANDROID-abc.All Chat Rooms.1', type: 'b-t-f', how: 'h-g-i-g-o', time: 0, start: 0, stale: 0,
  point: { lat: 0, lon: 0, hae: 9999999, ce: 9999999, le: 9999999 },
  xmlDetail: `<__chat chatroom="All Chat Rooms" senderCallsign="ALPHA"/><remarks source="x">${text}</remarks>`,
});

test('meshtastic over a pty: handshake, inbound CoT, budgeted sends, heartbeat, reconnect', { skip: !socatAvailable() && 'socat not installed', timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'takd-mesh-'));
  const hostPath = join(dir, 'radio');
  const logPath = join(dir, 'radio.log');
  const client = new MeshtasticClient({
    id: 'source.mesh',
    url: `serial://${hostPath}?baud=115200`,
    providers: defaultLinkProviders(),
    heartbeatMs: 400,
    tickMs: 50,
    budget: { pliIntervalMs: 600, chatIntervalMs: 0 },
    retryInitialMs: 50,
    retryMaxMs: 200,
  });
  const toCot = createMeshtasticToCot();
  const messages: MeshtasticMessage[] = [];
  const events: CotEvent[] = [];
  const consumer = (async () => {
    for await (const message of client.messages()) {
      messages.push(message);
      const event = toCot(message, { sourceId: 'source.mesh', now: Date.now() });
      if (event !== undefined) events.push(event);
    }
  })();
  let socat = await plugIn(hostPath, logPath);
  try {
    // Handshake: want_config answered with our nonce; the radio's console text stays out of the data path.
    assert.ok(await eventually(() => client.session.configComplete, 10_000), client.source.status().detail);
    assert.equal(client.session.myNodeNum, MY_NODE);
    assert.equal(client.session.firmwareVersion, '2.7.15.fake');
    const wantConfig = radioLog(logPath).find((e) => e.kind === 'want-config');
    assert.equal(wantConfig?.nonce, client.session.nonce);

    // Inbound: the remote node's dump entry, position and text arrive as CoT.
    assert.ok(await eventually(() => events.some((e) => e.type === 'b-t-f'), 5000));
    const positions = events.filter((e) => e.uid === 'MESHTASTIC-!0badcafe');
    assert.equal(positions.length, 2, 'node DB entry + POSITION_APP');
    assert.deepEqual([positions[1].contact?.callsign, positions[1].point.hae, positions[1].track?.course, positions[1].status?.battery], [REMOTE_NAME, 30, 180, 77]);
    assert.ok(Math.abs((positions[1].track?.speed ?? 0) - 10) < 1e-9, '36 km/h');
    assert.match(events.find((e) => e.type === 'b-t-f')?.xmlDetail ?? '', new RegExp(REMOTE_TEXT));
    assert.ok(client.source.status().framer.frames >= 8);

    // Outbound: chat first; three PLIs of one uid collapse to the newest; at most one PLI per interval.
    assert.equal(client.send(pli('ANDROID-takd', 51.1)), 'queued');
    assert.equal(client.send(pli('ANDROID-takd', 51.2)), 'queued');
    assert.equal(client.send(pli('ANDROID-takd', 51.3)), 'queued');
    assert.equal(client.send(chat('on my way')), 'queued');
    assert.equal(client.send({ ...pli('x', 1), type: 'u-d-f' }), 'unsupported-type');
    assert.ok(await eventually(() => radioLog(logPath).filter((e) => e.kind === 'packet').length >= 2, 5000));
    const packets = radioLog(logPath).filter((e) => e.kind === 'packet') as unknown as { tak: { chat?: { message: string }; pli?: { latitudeI: number } }; hopLimit: number; portnum: number; bytes: number; id: number }[];
    assert.equal(packets[0].tak.chat?.message, 'on my way', 'chat goes first');
    assert.equal(packets[1].tak.pli?.latitudeI, 513000000, 'only the newest PLI');
    assert.ok(packets.every((p) => p.portnum === 72 && p.hopLimit === 3 && p.bytes <= 233 && p.id !== 0));
    assert.equal(client.budget.counters.superseded, 2);
    assert.equal(client.counters.refused['unsupported-type'], 1);
    assert.ok(await eventually(() => radioLog(logPath).some((e) => e.kind === 'heartbeat'), 5000), 'heartbeats after the handshake');

    // Unplug and plug back in: the source reopens, the handshake runs again with a new nonce.
    const firstNonce = client.session.nonce;
    await unplug(socat);
    assert.ok(await eventually(() => client.source.status().disconnects >= 1, 10_000), client.source.status().detail);
    assert.equal(client.session.configComplete, true, 'still the old session until the radio is back');
    socat = await plugIn(hostPath, logPath);
    assert.ok(await eventually(() => client.counters.handshakesCompleted >= 2, 15_000), client.source.status().detail);
    assert.notEqual(client.session.nonce, firstNonce);
    assert.equal(radioLog(logPath).filter((e) => e.kind === 'boot').length, 2);

    // A radio that reboots (it says so with FromRadio.rebooted): the client redoes the handshake.
    await client.source.write(textPacketFrame('reboot please'));
    assert.ok(await eventually(() => client.counters.reboots === 1 && client.counters.handshakesCompleted >= 3, 10_000), JSON.stringify(client.counters));
    t.diagnostic(`client ${JSON.stringify(client.counters)}; source ${client.source.status().detail}`);
  } finally {
    await client.stop();
    await consumer;
    await unplug(socat);
    rmSync(dir, { recursive: true, force: true });
  }
});
