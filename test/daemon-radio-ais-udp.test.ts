// `takd run` with an AIS source fed over UDP, as AIS-catcher sends it: unicast datagrams
// to a loopback port → the AIS decoder → a vessel track on a loopback tcp+listen:// output.
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { freePort } from './support/gpsfake.js';
import { aisCorpusDir } from './support/paths.js';
import { tcpClient, TakdProcess, waitFor } from './support/daemon-process.js';

const takd = new TakdProcess();
after(() => takd.cleanup());

test('takd run: AIS over UDP (AIS-catcher style) becomes vessel tracks', { timeout: 60_000 }, async () => {
  const udpPort = await freePort();
  const phonePort = await freePort();
  // sample.aivdm: single-sentence position reports from gpsd's corpus, with gpsd's decode beside it.
  const lines = readFileSync(join(aisCorpusDir, 'sample.aivdm'), 'latin1').split(/\r?\n/).filter((l) => l.startsWith('!AIVDM,1,1'));
  const expected = readFileSync(join(aisCorpusDir, 'sample.aivdm.ais.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: number; mmsi: number; lat?: number })
    .find((r) => r.type <= 3 && r.lat !== undefined)!;
  takd.writeConfig([
    '[takd]', 'callsign = AIS-UDP-TEST',
    '[pli]', 'enabled = false',
    '[source.ais]', 'driver = ais', `link = udp://127.0.0.1:${udpPort}`,
    '[output.phones]', `url = tcp+listen://127.0.0.1:${phonePort}`,
    '',
  ].join('\n'));
  takd.start();
  await takd.waitForState('output.phones', 'connected');
  await takd.waitForState('source.ais', 'connected');
  const phone = await tcpClient(phonePort);
  const sender = createSocket('udp4');
  const uid = `AIS.${expected.mmsi}`;
  // Keep sending (one sentence per datagram, no line ends) until the phone has the track.
  let next = 0;
  const timer = setInterval(() => sender.send(Buffer.from(lines[next++ % lines.length]), udpPort, '127.0.0.1'), 5);
  try {
    await waitFor(`the track ${uid}`, () => (phone.text().includes(`uid="${uid}"`) ? true : undefined), 30_000);
  } finally {
    clearInterval(timer);
    sender.close();
    phone.socket.destroy();
  }
  assert.equal(takd.component('source.ais')?.state, 'connected');
  assert.equal(await takd.stop('SIGTERM'), 0);
});
