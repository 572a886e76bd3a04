// The Source contract against the mock link: messages flow, an unplug is reported and
// retried, a replug resumes, stop() ends the iteration. test/serial-pty.test.ts runs the
// same story against a real pty.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GnssFix, LinkOptions } from './contract.js';
import { aisDriver } from './drivers/ais/index.js';
import { gpsdDriver } from './drivers/gpsd/index.js';
import { kissAprsDriver } from './drivers/kiss-aprs/index.js';
import { meshtasticDriver } from './drivers/meshtastic/index.js';
import { nmeaGnssDriver } from './drivers/nmea-gnss/index.js';
import type { RegisteredDriver } from './registry.js';
import { epochSentences, type SimulatedFix } from './drivers/sim/nmea-writer.js';
import { MockLinkProvider } from './links/mock.js';
import { startSource } from './source.js';
import { waitUntil } from '../test/support/wait.js';

function simulated(second: number): SimulatedFix {
  return {
    time: Date.UTC(2026, 0, 1, 12, 0, second), lat: 59.9, lon: 10.7, altMSL: 20, geoidSep: 40, speed: 1, track: 90, valid: true,
    satellites: [{ prn: 1, elevation: 40, azimuth: 100, snr: 40, used: true }], hdop: 1, vdop: 1.5, pdop: 1.8,
  };
}

test('source: mock device → fixes; unplug → retrying; plug in → resumes; stop → iteration ends', async () => {
  const mock = new MockLinkProvider();
  const device = mock.device('/dev/ttyGPS');
  const source = startSource({ id: 'source.gps', url: 'mock:///dev/ttyGPS', driver: nmeaGnssDriver, providers: new Map([['mock', mock]]), retryInitialMs: 10, retryMaxMs: 50 });
  const fixes: GnssFix[] = [];
  const consumer = (async () => {
    for await (const fix of source.messages()) fixes.push(fix);
  })();
  await waitUntil(() => device.isOpen, 'condition', 5000);
  for (let s = 0; s < 3; s++) device.send(epochSentences(simulated(s)));
  await waitUntil(() => fixes.length >= 2, 'condition', 5000);
  assert.equal(fixes[0].time, Date.UTC(2026, 0, 1, 12, 0, 0));
  assert.equal(fixes[0].mode, 3);

  device.unplug();
  await waitUntil(() => source.status().state === 'retrying', 'condition', 5000);
  assert.equal(source.status().disconnects, 1);
  assert.match(source.status().detail, /device gone .*retrying in/);
  const afterUnplug = fixes.length;

  device.plugIn();
  await waitUntil(() => source.status().state === 'connected' && device.isOpen, 'condition', 5000);
  assert.equal(source.status().connects, 2);
  for (let s = 10; s < 13; s++) device.send(epochSentences(simulated(s)));
  await waitUntil(() => fixes.length >= afterUnplug + 2, 'condition', 5000);
  assert.equal(fixes[afterUnplug].time, Date.UTC(2026, 0, 1, 12, 0, 10));

  await source.stop();
  await consumer; // ends: the iteration finished after stop()
  assert.equal(source.status().state, 'stopped');
  assert.equal(device.isOpen, false);
});

test('source: a device that is not there yet is retried until it appears', async () => {
  const mock = new MockLinkProvider();
  const source = startSource({ id: 'source.gps', url: 'mock:///dev/late', driver: nmeaGnssDriver, providers: new Map([['mock', mock]]), retryInitialMs: 5, retryMaxMs: 20 });
  await waitUntil(() => source.status().state === 'retrying', 'condition', 5000);
  assert.match(source.status().lastError ?? '', /no such device/);
  const device = mock.device('/dev/late');
  await waitUntil(() => device.isOpen, 'condition', 5000);
  assert.equal(source.status().state, 'connected');
  await source.stop();
});

test('source: driver onOpen bytes are written to the device; write() reaches it', async () => {
  const mock = new MockLinkProvider();
  const device = mock.device('/dev/x');
  const driver = { ...nmeaGnssDriver, onOpen: () => Buffer.from('HELLO\r\n') };
  const source = startSource({ id: 's', url: 'mock:///dev/x', driver, providers: new Map([['mock', mock]]) });
  await waitUntil(() => device.written.length === 1, 'condition', 5000);
  await source.write(Buffer.from('$PUBX,00*33\r\n'));
  assert.deepEqual(device.written.map((b) => b.toString()), ['HELLO\r\n', '$PUBX,00*33\r\n']);
  await source.stop();
});

test("a link URL that does not say is opened with the driver's link defaults: baud on serial, the port on tcp", async () => {
  const serial = new MockLinkProvider('serial');
  const tcp = new MockLinkProvider('tcp');
  const providers = new Map([['serial', serial], ['tcp', tcp]]);
  const cases: [string, RegisteredDriver, string, (options: LinkOptions) => unknown, unknown][] = [
    ['serial:///dev/ttyACM0', meshtasticDriver as RegisteredDriver, '/dev/ttyACM0', (o) => o.baud, 115200],
    ['serial:///dev/ttyAIS', aisDriver as RegisteredDriver, '/dev/ttyAIS', (o) => o.baud, 38400],
    ['serial:///dev/ttyTNC', kissAprsDriver as RegisteredDriver, '/dev/ttyTNC', (o) => o.baud, 9600],
    ['serial:///dev/ttyGPS', nmeaGnssDriver as RegisteredDriver, '/dev/ttyGPS', (o) => o.baud, 4800],
    ['serial:///dev/ttyUSB9?baud=4800', aisDriver as RegisteredDriver, '/dev/ttyUSB9', (o) => o.baud, 4800],
    ['tcp://127.0.0.1', gpsdDriver as RegisteredDriver, '127.0.0.1:2947', (o) => o.url.href, 'tcp://127.0.0.1:2947'],
    ['tcp://radio.local', meshtasticDriver as RegisteredDriver, 'radio.local:4403', (o) => o.url.port, '4403'],
    ['tcp://127.0.0.1:10110', aisDriver as RegisteredDriver, '127.0.0.1:10110', (o) => o.url.port, '10110'],
  ];
  for (const [url, driver, path, read, expected] of cases) {
    const device = (url.startsWith('tcp:') ? tcp : serial).device(path);
    const source = startSource({ id: 'source.x', url, driver, providers, retryInitialMs: 10, retryMaxMs: 50 });
    await waitUntil(() => device.isOpen, `${url} opened`, 5000);
    assert.equal(read(device.openedWith.at(-1) as LinkOptions), expected, `${url} with ${driver.name}`);
    await source.stop();
  }
});
