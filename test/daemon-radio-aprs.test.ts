// `takd run` with a KISS TNC on TCP (a loopback server playing Dire Wolf's KISS port): a
// station heard on the air becomes a track with the configured uid prefix and type on a
// loopback tcp+listen:// output, and with a callsign configured takd beacons its own
// position (from the simulated GPS) through the same TNC.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import type { AprsPacket } from '../hal/drivers/kiss-aprs/packet.js';
import { encodeAx25 } from '../hal/drivers/kiss-aprs/ax25.js';
import { positionReport } from '../hal/drivers/kiss-aprs/beacon.js';
import { AprsDecoder } from '../hal/drivers/kiss-aprs/decoder.js';
import { KissFramer, kissEncode } from '../hal/framers/kiss.js';
import { freePort } from './support/gpsfake.js';
import { tcpClient, TakdProcess, waitFor } from './support/daemon-process.js';

const SIM_LAT = 59.9139;
const SIM_LON = 10.7522;
const BEACON_CALL = 'KD0ABC-9';

/** A KISS frame of another station's position report, as a TNC hands it over. */
function heardStation(): Buffer {
  const info = positionReport({ time: 0, mode: 3, lat: 47.5, lon: 8.25, sentences: [] }, { comment: 'heard on 144.800' }) ?? '';
  return kissEncode(encodeAx25('APRS', 'HB9XYZ-7', ['WIDE1-1'], Buffer.from(info)), 0, 0);
}

/** The loopback "TNC": sends `frame` to each connection, decodes what takd writes. */
class FakeTnc {
  readonly server = createServer((socket) => this.accept(socket));
  readonly received: AprsPacket[] = [];
  private readonly sockets = new Set<Socket>();

  constructor(private readonly frame: Buffer) {}

  async listen(): Promise<number> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return (this.server.address() as { port: number }).port;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    const framer = new KissFramer();
    const decoder = new AprsDecoder();
    socket.on('data', (chunk: Buffer) => framer.push(chunk, (frame) => decoder.decode(frame, (packet) => this.received.push(packet))));
    // Again every half second: a phone that connects late still sees the station.
    const timer = setInterval(() => socket.write(this.frame), 500);
    socket.on('close', () => clearInterval(timer));
    socket.write(this.frame);
  }
}

const takd = new TakdProcess();
const tnc = new FakeTnc(heardStation());
after(async () => {
  await takd.cleanup();
  await tnc.close();
});

describe('takd run with a KISS TNC', () => {
  it('tracks stations heard and beacons our own position with the configured callsign', { timeout: 60_000 }, async () => {
    const tncPort = await tnc.listen();
    const phonePort = await freePort();
    takd.writeConfig([
      '[takd]', 'callsign = APRS-GW-TEST',
      '[source.gps]', 'driver = sim', `link = sim://?lat=${SIM_LAT}&lon=${SIM_LON}&speed=walk&radius=150`,
      '[source.aprs]', 'driver = kiss-aprs', `link = tcp://127.0.0.1:${tncPort}`,
      'uid_prefix = HAM.', 'cot_type = a-f-G-U-C-I', 'callsign = kd0abc-9', 'beacon_interval = 60',
      '[pli]', 'enabled = false',
      '[output.phones]', `url = tcp+listen://127.0.0.1:${phonePort}`,
      '',
    ].join('\n'));
    takd.start();
    await takd.waitForState('output.phones', 'connected');
    const phone = await tcpClient(phonePort);

    const event = await waitFor('the heard station on the phone', () => /<event [^>]*uid="HAM\.HB9XYZ-7"[\s\S]*?<\/event>/.exec(phone.text())?.[0], 30_000);
    phone.socket.destroy();
    assert.match(event, /type="a-f-G-U-C-I"/);
    assert.match(event, /<point lat="47\.5"/);

    const beacon = await waitFor('our beacon through the TNC', () => tnc.received.find((p) => p.from === BEACON_CALL), 30_000);
    assert.ok(Math.abs(beacon.latitude - SIM_LAT) < 0.01, `beacon lat ${beacon.latitude}`);
    assert.ok(Math.abs(beacon.longitude - SIM_LON) < 0.01, `beacon lon ${beacon.longitude}`);
    // One beacon per interval: the first is due at once, the next not for 60 s.
    assert.equal(tnc.received.filter((p) => p.from === BEACON_CALL).length, 1);
    // status.json is rewritten once a second: wait for the one written after the beacon.
    const status = await waitFor('the beacon in status.json', () => {
      const aprs = takd.component('source.aprs');
      return (aprs?.counters.beaconsSent ?? 0) >= 1 ? aprs : undefined;
    });
    assert.equal(status.state, 'connected');
    assert.equal(status.counters.beaconsSent, 1);
    assert.equal(await takd.stop('SIGTERM'), 0);
  });
});
