// The radio drivers' [source.*] keys as the daemon reads them: units, the send list, and
// only what was given (each driver applies its own defaults).
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { viewConfig } from '../config/view.js';
import { load, TempDir } from './support/config-fixtures.js';

const dir = new TempDir();
after(() => dir.remove());

function sources(ini: string): ReturnType<typeof viewConfig>['sources'] {
  return viewConfig(load(['-c', dir.file('radio.ini', ini)])).sources;
}

describe('[source.*] radio keys', () => {
  it('carry the AIS and APRS CoT settings, own position and the beacon', () => {
    const [ais, aprs] = sources([
      '[source.ais]', 'driver = ais', 'link = tcp://127.0.0.1:5050', 'uid_prefix = SHIP-', 'cot_type = a-n-S-X-M', 'stale = 600', 'own_position = yes',
      '[source.aprs]', 'driver = kiss-aprs', 'link = tcp://127.0.0.1:8001', 'callsign = kd0abc-9', 'beacon_interval = 900',
      '',
    ].join('\n'));
    assert.deepEqual(ais?.radio, { uidPrefix: 'SHIP-', cotType: 'a-n-S-X-M', staleSeconds: 600, ownPosition: true });
    assert.deepEqual(aprs?.radio, { ownPosition: false, callsign: 'KD0ABC-9', beaconIntervalSeconds: 900 });
  });
  it('reads the meshtastic send list and PLI interval', () => {
    const [both, none, unset] = sources([
      '[source.a]', 'driver = meshtastic', 'link = tcp://127.0.0.1:4403', 'send = chat, PLI', 'pli_interval = 45',
      '[source.b]', 'driver = meshtastic', 'link = tcp://127.0.0.1:4404', 'send = none',
      '[source.c]', 'driver = meshtastic', 'link = tcp://127.0.0.1:4405',
      '',
    ].join('\n'));
    assert.deepEqual(both?.radio, { ownPosition: false, send: ['pli', 'chat'], pliIntervalSeconds: 45 });
    assert.deepEqual(none?.radio.send, []);
    assert.equal(unset?.radio.send, undefined);
  });
});
