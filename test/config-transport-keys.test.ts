// The transports' own [output.*] keys (each row's `keys`, daemon/transports/table.ts) as the
// daemon reads them: under the section's transport only, refused on any other, mapped to
// the transport's options by its row, and PyTAK's names still set them on every output.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ConfigError } from '../config/errors.js';
import { viewConfig } from '../config/view.js';
import { outputTransportOptions } from '../daemon/transports/output-settings.js';
import { load, TempDir } from './support/config-fixtures.js';

const dir = new TempDir();
after(() => dir.remove());

describe('[output.*] transport keys', () => {
  it('reach the transport that owns them, with their defaults, as its options', () => {
    const file = dir.file('own.ini', ['[output.fleet]', 'url = mqtt://127.0.0.1:1883/tak/cot', 'mqtt_qos = 1', 'mqtt_username = box', '[output.server]', 'url = marti://tak.example.org', 'marti_poll_interval = 2', '[output.mesh]', 'url = udp://239.2.3.1:6969', ''].join('\n'));
    const [fleet, mesh, server] = viewConfig(load(['-c', file])).outputs;
    assert.deepEqual(fleet?.own, { mqtt_qos: '1', mqtt_keepalive: 60, mqtt_username: 'box' });
    assert.deepEqual(outputTransportOptions(fleet ?? {}).mqtt, { qos: 1, keepaliveS: 60, username: 'box' });
    assert.deepEqual(server?.own, { marti_poll_interval: 2, marti_poll_seconds_ago: 30 });
    assert.deepEqual(outputTransportOptions(server ?? {}).marti, { pollIntervalMs: 2000, pollSecondsAgoMs: 30_000 });
    assert.deepEqual(mesh?.own, {});
    const options = outputTransportOptions(mesh ?? {});
    assert.equal(options.mqtt, undefined);
    assert.equal(options.marti, undefined);
  });
  it('refuses a key of another transport, at its line, with the keys that transport has', () => {
    const file = dir.file('wrong.ini', ['[output.server]', 'url = tcp://127.0.0.1:8087', 'mqtt_qos = 1', '[output.fleet]', 'url = mqtt://127.0.0.1/t', 'marti_cot_uid = x', ''].join('\n'));
    assert.throws(() => load(['-c', file]), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, new RegExp(`${file}:3: mqtt_qos: not a key of transport tcp:// \\(it has none\\)`));
      assert.match(error.message, new RegExp(`${file}:6: marti_cot_uid: not a key of transport mqtt:// \\(its keys: mqtt_qos, mqtt_keepalive, mqtt_client_id, mqtt_username, mqtt_password\\)`));
      return true;
    });
  });
  it('refuses one given on the command line too', () => {
    assert.throws(() => load(['--no-config', '--set', 'output.m.url=udp://239.2.3.1:6969', '--set', 'output.m.marti_poll_interval=1']), /marti_poll_interval: not a key of transport udp:\/\//);
  });
  it("PyTAK's names still set them on every output, without refusal", () => {
    const file = dir.file('pytak.ini', ['[aiscot]', 'MQTT_QOS = 2', 'COT_URL = tcp://127.0.0.1:8087', '[output.fleet]', 'url = mqtt://127.0.0.1/t', ''].join('\n'));
    const outputs = viewConfig(load(['-c', file])).outputs;
    assert.equal(outputs.find((o) => o.id === 'output.fleet')?.own.mqtt_qos, '2');
    assert.deepEqual(outputs.find((o) => o.id === 'output.cot_url')?.own, {});
  });
  it('does not offer a hidden transport (the template)', () => {
    assert.throws(() => load(['--no-config', '--set', 'output.t.url=template://a']), /unknown scheme 'template'/);
  });
});
