// `takd config show`: every effective value with its origin; secrets redacted.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { drivers } from '../hal/index.js';
import { DRIVER_NAMES } from '../config/schema.js';
import { showConfig } from '../config/show.js';
import { load, TempDir } from './support/config-fixtures.js';
import { TAKD_MAIN } from './support/daemon-process.js';

const dir = new TempDir();
after(() => dir.remove());

describe('config show', () => {
  it('prints each value with default, FILE:LINE, env or flag as its origin', () => {
    const file = dir.file('show.ini', '[takd]\ncallsign = ALPHA-1\n[output.server]\nurl = tls://tak.example.org:8089\npassword = hunter2\n');
    const text = showConfig(load(['-c', file, '--team', 'Red'], { TAKD_LOG_LEVEL: 'debug', PYTAK_TLS_CLIENT_PASSWORD: 's3cret' }));
    assert.match(text, new RegExp(`^callsign = ALPHA-1 +; ${file}:2$`, 'm'));
    assert.match(text, /^team = Red +; flag --team$/m);
    assert.match(text, /^level = debug +; env TAKD_LOG_LEVEL$/m);
    assert.match(text, /^format = auto +; default$/m);
    assert.match(text, /^password = <redacted> +; env PYTAK_TLS_CLIENT_PASSWORD$/m);
    assert.match(text, /^pytak_tls_client_password = <redacted> +; env PYTAK_TLS_CLIENT_PASSWORD$/m);
    assert.ok(!text.includes('hunter2') && !text.includes('s3cret'));
  });

  it('the CLI prints it and exits 0', () => {
    const result = spawnSync(process.execPath, [TAKD_MAIN, 'config', 'show', '--no-config', '--callsign', 'X-1'], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^; takd effective configuration — file: none \(embedded default\)$/m);
    assert.match(result.stdout, /^callsign = X-1 +; flag --callsign$/m);
  });

  it("shows a source's link with the driver's defaults where the URL says nothing, and says so", () => {
    const file = dir.file(
      'radios.ini',
      [
        '[source.radio]', 'driver = meshtastic', 'link = serial:///dev/ttyACM0',
        '[source.ais]', 'driver = ais', 'link = serial:///dev/ttyUSB1',
        '[source.gps]', 'driver = nmea-gnss', 'link = serial:///dev/ttyUSB0?baud=9600',
        '[source.gpsd]', 'driver = gpsd', 'link = tcp://127.0.0.1',
        '[source.sim]', 'driver = sim', 'link = sim://?speed=walk',
        '',
      ].join('\n'),
    );
    const result = spawnSync(process.execPath, [TAKD_MAIN, 'config', 'show', '-c', file], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    assert.equal(result.status, 0, result.stderr);
    const at = (line: number): string => `${file}:${line}`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    assert.match(result.stdout, new RegExp(`^link += serial:///dev/ttyACM0\\?baud=115200 +; ${at(3)}; baud 115200: driver default \\(meshtastic\\)$`, 'm'));
    assert.match(result.stdout, new RegExp(`^link += serial:///dev/ttyUSB1\\?baud=38400 +; ${at(6)}; baud 38400: driver default \\(ais\\)$`, 'm'));
    assert.match(result.stdout, new RegExp(`^link += serial:///dev/ttyUSB0\\?baud=9600 +; ${at(9)}$`, 'm'), 'the URL says: no default');
    assert.match(result.stdout, new RegExp(`^link += tcp://127.0.0.1:2947 +; ${at(12)}; port 2947: driver default \\(gpsd\\)$`, 'm'));
    assert.match(result.stdout, new RegExp(`^link += sim://\\?speed=walk +; ${at(15)}$`, 'm'));
  });

  it('every driver in the HAL registry can be named in config, but a hidden one (the template)', () => {
    for (const driver of drivers) assert.equal(DRIVER_NAMES.includes(driver.name), driver.hidden !== true, driver.name);
  });
});
