// `takd run` with a Meshtastic radio: the fake radio (test/support/fake-meshtastic.ts, its
// own process behind socat, so takd opens a real pty as a serial port). Our own PLI (from
// the simulated GPS) reaches the radio as a TAKPacket on port 72, and the remote node's
// position from the mesh reaches a phone on a loopback tcp+listen:// output.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { freePort } from './support/gpsfake.js';
import { REMOTE_NAME } from './support/fake-meshtastic.js';
import { socatAvailable } from './support/pty.js';
import { tcpClient, TakdProcess, waitFor } from './support/daemon-process.js';

const fakeRadio = fileURLToPath(new URL('./support/fake-meshtastic.js', import.meta.url));
const MY_NODE = 0x11223344;
const CALLSIGN = 'MESH-GW-1';
const SIM_LAT = 59.9139;

interface RadioLogEntry {
  kind: string;
  portnum?: number;
  tak?: { contact?: { callsign?: string; deviceCallsign?: string }; pli?: { latitudeI?: number; longitudeI?: number } };
}

function radioLog(path: string): RadioLogEntry[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as RadioLogEntry);
}

const takd = new TakdProcess();
let socat: ChildProcess | undefined;
after(async () => {
  await takd.cleanup();
  if (socat !== undefined && socat.exitCode === null && socat.signalCode === null) {
    const exited = new Promise((resolve) => socat?.once('exit', resolve));
    socat.kill('SIGTERM');
    await exited;
  }
});

describe('takd run with a Meshtastic radio', { skip: !socatAvailable() && 'socat not installed' }, () => {
  it('sends our PLI to the mesh as a TAKPacket and relays the mesh to a phone', { timeout: 60_000 }, async () => {
    const hostPath = join(takd.dir, 'radio');
    const logPath = join(takd.dir, 'radio.log');
    socat = spawn('socat', [`pty,raw,echo=0,link=${hostPath}`, `EXEC:${process.execPath} ${fakeRadio} ${logPath} ${MY_NODE.toString(16)}`], { stdio: 'ignore' });
    await waitFor('the radio pty', () => (existsSync(hostPath) ? true : undefined), 5000);

    const port = await freePort();
    takd.writeConfig([
      '[takd]', `callsign = ${CALLSIGN}`, 'team = Blue',
      '[source.gps]', 'driver = sim', `link = sim://?lat=${SIM_LAT}&lon=10.7522&speed=walk&radius=150`,
      '[source.mesh]', 'driver = meshtastic', `link = serial://${hostPath}?baud=115200`, 'pli_interval = 15', 'send = pli',
      '[pli]', 'moving_fastest = 1', 'moving_slowest = 2', 'stationary_interval = 2',
      '[output.phones]', `url = tcp+listen://127.0.0.1:${port}`,
      '',
    ].join('\n'));
    takd.start();
    await takd.waitForState('output.phones', 'connected');
    const phone = await tcpClient(port);

    // Out: the handshake, then our own position as a TAK packet (port 72, ATAK_PLUGIN).
    const takPacket = await waitFor('our PLI on the radio', () => radioLog(logPath).find((e) => e.kind === 'packet' && e.portnum === 72 && e.tak?.pli !== undefined), 30_000);
    assert.ok(radioLog(logPath).some((e) => e.kind === 'want-config'), 'takd asked for the config first');
    assert.equal(takPacket.tak?.contact?.callsign, CALLSIGN);
    const lat = (takPacket.tak?.pli?.latitudeI ?? 0) / 1e7;
    assert.ok(Math.abs(lat - SIM_LAT) < 0.01, `lat ${lat} near the simulated walk`);

    // In: the remote node's position (POSITION_APP from Remote Bob) as a PLI for the phone.
    const event = await waitFor('the mesh node on the phone', () => new RegExp(`<event [^>]*>(?:(?!</event>)[\\s\\S])*callsign="${REMOTE_NAME}"[\\s\\S]*?</event>`).exec(phone.text())?.[0], 30_000);
    phone.socket.destroy();
    assert.match(event, /uid="MESHTASTIC-/);
    assert.match(event, /<point lat="51\.5/);

    // The budget: one PLI per 15 s, so the radio has not been flooded by the 1-2 s reports.
    // status.json is rewritten once a second: wait for the one written after the send.
    const status = await waitFor('the send in status.json', () => {
      const mesh = takd.component('source.mesh');
      return (mesh?.counters['airtime.sent'] ?? 0) >= 1 ? mesh : undefined;
    });
    assert.equal(status.state, 'connected');
    assert.ok((status.counters['radio.handshakesCompleted'] ?? 0) >= 1);
    const packets = radioLog(logPath).filter((e) => e.kind === 'packet' && e.portnum === 72).length;
    assert.ok(packets <= 2, `${packets} TAK packets on air within the budget`);
    assert.equal(await takd.stop('SIGTERM'), 0);
    // A clean stop tells the radio we are leaving.
    await waitFor('the disconnect on the radio', () => (radioLog(logPath).some((e) => e.kind === 'disconnect') ? true : undefined), 5000);
  });
});
