// The Source contract against the mock link: messages flow, an unplug is reported and
// retried, a replug resumes, stop() ends the iteration. test/serial-pty.test.ts runs the
// same story against a real pty.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { GnssFix } from './contract.js';
import { nmeaGnssDriver } from './drivers/nmea-gnss/index.js';
import { epochSentences, type SimulatedFix } from './drivers/sim/nmea-writer.js';
import { MockLinkProvider } from './links/mock.js';
import { startSource } from './source.js';

function simulated(second: number): SimulatedFix {
  return {
    time: Date.UTC(2026, 0, 1, 12, 0, second), lat: 59.9, lon: 10.7, altMSL: 20, geoidSep: 40, speed: 1, track: 90, valid: true,
    satellites: [{ prn: 1, elevation: 40, azimuth: 100, snr: 40, used: true }], hdop: 1, vdop: 1.5, pdop: 1.8,
  };
}

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await sleep(10);
  assert.ok(condition(), 'condition not reached in 5 s');
}

test('source: mock device → fixes; unplug → retrying; plug in → resumes; stop → iteration ends', async () => {
  const mock = new MockLinkProvider();
  const device = mock.device('/dev/ttyGPS');
  const source = startSource({ id: 'source.gps', url: 'mock:///dev/ttyGPS', driver: nmeaGnssDriver, providers: new Map([['mock', mock]]), retryInitialMs: 10, retryMaxMs: 50 });
  const fixes: GnssFix[] = [];
  const consumer = (async () => {
    for await (const fix of source.messages()) fixes.push(fix);
  })();
  await waitFor(() => device.isOpen);
  for (let s = 0; s < 3; s++) device.send(epochSentences(simulated(s)));
  await waitFor(() => fixes.length >= 2);
  assert.equal(fixes[0].time, Date.UTC(2026, 0, 1, 12, 0, 0));
  assert.equal(fixes[0].mode, 3);

  device.unplug();
  await waitFor(() => source.status().state === 'retrying');
  assert.equal(source.status().disconnects, 1);
  assert.match(source.status().detail, /device gone .*retrying in/);
  const afterUnplug = fixes.length;

  device.plugIn();
  await waitFor(() => source.status().state === 'running' && device.isOpen);
  assert.equal(source.status().connects, 2);
  for (let s = 10; s < 13; s++) device.send(epochSentences(simulated(s)));
  await waitFor(() => fixes.length >= afterUnplug + 2);
  assert.equal(fixes[afterUnplug].time, Date.UTC(2026, 0, 1, 12, 0, 10));

  await source.stop();
  await consumer; // ends: the iteration finished after stop()
  assert.equal(source.status().state, 'stopped');
  assert.equal(device.isOpen, false);
});

test('source: a device that is not there yet is retried until it appears', async () => {
  const mock = new MockLinkProvider();
  const source = startSource({ id: 'source.gps', url: 'mock:///dev/late', driver: nmeaGnssDriver, providers: new Map([['mock', mock]]), retryInitialMs: 5, retryMaxMs: 20 });
  await waitFor(() => source.status().state === 'retrying');
  assert.match(source.status().lastError ?? '', /no such device/);
  const device = mock.device('/dev/late');
  await waitFor(() => device.isOpen);
  assert.equal(source.status().state, 'running');
  await source.stop();
});

test('source: driver onOpen bytes are written to the device; write() reaches it', async () => {
  const mock = new MockLinkProvider();
  const device = mock.device('/dev/x');
  const driver = { ...nmeaGnssDriver, onOpen: () => Buffer.from('HELLO\r\n') };
  const source = startSource({ id: 's', url: 'mock:///dev/x', driver, providers: new Map([['mock', mock]]) });
  await waitFor(() => device.written.length === 1);
  await source.write(Buffer.from('$PUBX,00*33\r\n'));
  assert.deepEqual(device.written.map((b) => b.toString()), ['HELLO\r\n', '$PUBX,00*33\r\n']);
  await source.stop();
});
