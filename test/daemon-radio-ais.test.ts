// `takd run` with an AIS source: a corpus capture replayed through the real decoder, with
// the [source.*] CoT settings (uid_prefix, cot_type, stale) applied to the tracks a phone
// sees on a loopback tcp+listen:// output.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { freePort } from './support/gpsfake.js';
import { aisCorpusDir } from './support/paths.js';
import { tcpClient, TakdProcess, waitFor } from './support/daemon-process.js';

const CAPTURE = join(aisCorpusDir, 'ais-18-27.log');
const takd = new TakdProcess();
const ownShip = new TakdProcess();
after(() => Promise.all([takd.cleanup(), ownShip.cleanup()]));

/** gpsd's decode of the capture's first class B position report: what the track must show. */
function firstClassBReport(capture = 'ais-18-27', talker = 'AIVDM'): { mmsi: number; lat: number; lon: number } {
  const lines = readFileSync(join(aisCorpusDir, `${capture}.ais.jsonl`), 'utf8').trim().split('\n');
  const reports = lines.map((l) => JSON.parse(l) as { talker: string; type: number; mmsi: number; lat?: number; lon?: number });
  const report = reports.find((r) => r.talker === talker && r.type === 18 && r.lat !== undefined && r.lon !== undefined);
  assert.ok(report?.lat !== undefined && report.lon !== undefined, 'the capture has a type 18 report');
  return { mmsi: report.mmsi, lat: report.lat, lon: report.lon };
}

describe('takd run with an AIS source', () => {
  it('publishes vessel tracks with the configured uid prefix, type and stale', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const expected = firstClassBReport();
    takd.writeConfig([
      '[takd]', 'callsign = RADIO-AIS-TEST',
      '[pli]', 'enabled = false',
      '[source.ais]', 'driver = ais',
      // Receiver pace (38400 baud) and looped, so a phone that connects late still sees tracks.
      `link = file://${CAPTURE}?pace=baud&baud=38400&loop=1`,
      'uid_prefix = SHIP-', 'cot_type = a-n-S-X-M', 'stale = 120',
      '[output.phones]', `url = tcp+listen://127.0.0.1:${port}`,
      '',
    ].join('\n'));
    takd.start();
    await takd.waitForState('output.phones', 'connected');
    const phone = await tcpClient(port);
    const uid = `SHIP-${expected.mmsi}`;
    // The vessel also sends long-range (type 27) reports, which have their own stale: take
    // the event at the type 18 report's position.
    const atReport = (event: string): boolean => Math.abs(Number(/<point lat="([-\d.]+)"/.exec(event)?.[1]) - expected.lat) < 1e-5;
    const tracks = (): string[] => phone.text().match(new RegExp(`<event [^>]*uid="${uid}"[\\s\\S]*?</event>`, 'g')) ?? [];
    const event = await waitFor(`the track ${uid}`, () => tracks().find(atReport), 30_000);
    phone.socket.destroy();

    const attribute = (name: string): string => new RegExp(`<event [^>]*\\b${name}="([^"]*)"`).exec(event)?.[1] ?? '';
    // No ship type in a type 18 report: the configured default type, with its affiliation.
    assert.equal(attribute('type'), 'a-n-S-X-M');
    const staleSeconds = (Date.parse(attribute('stale')) - Date.parse(attribute('time'))) / 1000;
    assert.equal(staleSeconds, 120);
    const lon = Number(/<point [^>]*lon="([-\d.]+)"/.exec(event)?.[1]);
    assert.ok(Math.abs(lon - expected.lon) < 1e-5, `lon ${lon} is gpsd's ${expected.lon}`);
    // No track carries the driver's default prefix.
    assert.doesNotMatch(phone.text(), /uid="AIS\./);

    const source = await waitFor('decoded messages in status.json', () => {
      const ais = takd.component('source.ais');
      return (ais?.counters.messages ?? 0) > 0 ? ais : undefined;
    });
    assert.equal(source.state, 'connected');
    assert.equal(await takd.stop('SIGTERM'), 0);
  });

  it('with own_position, own-ship reports (!AIVDO) are the box\'s position', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const own = firstClassBReport('ait250', 'AIVDO');
    ownShip.writeConfig([
      '[takd]', 'callsign = OWN-SHIP-TEST',
      '[source.ais]', 'driver = ais', `link = file://${join(aisCorpusDir, 'ait250.log')}?pace=baud&baud=38400&loop=1`, 'own_position = true',
      '[pli]', 'moving_fastest = 1', 'moving_slowest = 2', 'stationary_interval = 2',
      '[output.phones]', `url = tcp+listen://127.0.0.1:${port}`,
      '',
    ].join('\n'));
    ownShip.start();
    await ownShip.waitForState('output.phones', 'connected');
    const phone = await tcpClient(port);
    const pli = await waitFor('our own PLI', () => /<event [^>]*>(?:(?!<\/event>)[\s\S])*callsign="OWN-SHIP-TEST"[\s\S]*?<\/event>/.exec(phone.text())?.[0], 30_000);
    phone.socket.destroy();
    const lat = Number(/<point lat="([-\d.]+)"/.exec(pli)?.[1]);
    assert.ok(Math.abs(lat - own.lat) < 0.001, `own lat ${lat} near the AIVDO report's ${own.lat}`);
    // The own ship is the box, not a vessel track: no AIS.<own mmsi> event.
    assert.doesNotMatch(phone.text(), new RegExp(`uid="AIS\\.${own.mmsi}"`));
    const status = await waitFor('an own fix in status.json', () => {
      const current = ownShip.status();
      return current?.gps.fix === '2d' ? current : undefined;
    });
    assert.ok(Math.abs((status.gps.lat ?? 0) - own.lat) < 0.001);
    assert.equal(await ownShip.stop('SIGTERM'), 0);
  });
});
