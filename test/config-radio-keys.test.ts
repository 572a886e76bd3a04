// The drivers' own [source.*] keys as the daemon reads them: only what was given, under
// the key's name (each driver applies its own defaults), and refused on any other driver.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ConfigError } from '../config/errors.js';
import { viewConfig } from '../config/view.js';
import { meshSendKinds } from '../hal/drivers/meshtastic/index.js';
import { load, TempDir } from './support/config-fixtures.js';

const dir = new TempDir();
after(() => dir.remove());

function sources(ini: string): ReturnType<typeof viewConfig>['sources'] {
  return viewConfig(load(['-c', dir.file('radio.ini', ini)])).sources;
}

describe('[source.*] driver keys', () => {
  it('carry the AIS and APRS CoT settings, own position and the beacon', () => {
    const [ais, aprs, gps] = sources([
      '[source.ais]', 'driver = ais', 'link = tcp://127.0.0.1:5050', 'uid_prefix = SHIP-', 'cot_type = a-n-S-X-M', 'stale = 600', 'own_position = yes',
      '[source.aprs]', 'driver = kiss-aprs', 'link = tcp://127.0.0.1:8001', 'callsign = kd0abc-9', 'beacon_interval = 900',
      '[source.gps]', 'driver = gpsd',
      '',
    ].join('\n'));
    assert.deepEqual(ais?.settings, { uid_prefix: 'SHIP-', cot_type: 'a-n-S-X-M', stale: 600, own_position: true });
    assert.deepEqual(aprs?.settings, { callsign: 'kd0abc-9', beacon_interval: 900 });
    assert.deepEqual(gps?.settings, {});
  });
  it('reads the meshtastic send list and PLI interval', () => {
    const [both, none, unset] = sources([
      '[source.a]', 'driver = meshtastic', 'link = tcp://127.0.0.1:4403', 'send = chat, PLI', 'pli_interval = 45',
      '[source.b]', 'driver = meshtastic', 'link = tcp://127.0.0.1:4404', 'send = none',
      '[source.c]', 'driver = meshtastic', 'link = tcp://127.0.0.1:4405',
      '',
    ].join('\n'));
    assert.deepEqual(both?.settings, { send: 'chat, PLI', pli_interval: 45 });
    assert.deepEqual(meshSendKinds(both?.settings ?? {}), ['pli', 'chat']);
    assert.deepEqual(meshSendKinds(none?.settings ?? {}), []);
    assert.deepEqual(meshSendKinds(unset?.settings ?? {}), ['pli', 'chat']);
  });
  it('refuses a key of another driver, at its line, with the keys the driver has', () => {
    const file = dir.file('wrong.ini', ['[source.gps]', 'driver = nmea-gnss', 'link = serial:///dev/ttyUSB0', 'callsign = KD0ABC-9', '[source.ais]', 'driver = ais', 'link = udp://0.0.0.0:5050', 'send = pli', ''].join('\n'));
    assert.throws(() => load(['-c', file]), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, new RegExp(`${file}:4: callsign: not a key of driver nmea-gnss \\(it has none\\)`));
      assert.match(error.message, new RegExp(`${file}:8: send: not a key of driver ais \\(its keys: uid_prefix, cot_type, stale, own_position\\)`));
      return true;
    });
  });
  it('refuses a driver key given in the environment or on the command line too', () => {
    assert.throws(() => load(['--set', 'source.gps.driver=gpsd', '--set', 'source.gps.own_position=true']), /own_position: not a key of driver gpsd/);
  });
  it('does not offer a hidden driver (the template)', () => {
    assert.throws(() => load(['--set', 'source.t.driver=_template', '--set', 'source.t.link=tcp://127.0.0.1:1']), /driver/);
  });
});
