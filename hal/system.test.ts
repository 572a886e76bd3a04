import { test } from 'node:test';
import assert from 'node:assert/strict';
import { healthRemarks, healthSnapshot, machineIdentity, parseThrottled, clockSynchronised, machineId } from './system.js';

test('system: vcgencmd get_throttled flags decode by bit', () => {
  assert.deepEqual(parseThrottled('throttled=0x50005\n'), {
    raw: 0x50005,
    flags: ['under-voltage', 'throttled', 'under-voltage-occurred', 'throttling-occurred'],
  });
  assert.deepEqual(parseThrottled('throttled=0x0'), { raw: 0, flags: [] });
  assert.equal(parseThrottled('error'), undefined);
});

test('system: health remarks name each value with its unit', () => {
  assert.equal(
    healthRemarks({ cpuTemperatureC: 51.25, load1: 0.42, memoryUsedPercent: 38, diskUsedPercent: 22.18, battery: { percent: 87, charging: true }, throttled: { raw: 1, flags: ['under-voltage'] } }),
    'cpu 51.3°C, load 0.42, mem 38.0%, disk 22.2%, battery 87% charging, throttled: under-voltage',
  );
  assert.equal(healthRemarks({ load1: 1, memoryUsedPercent: 50 }), 'load 1, mem 50.0%');
});

test('system: this machine answers with plausible values (and leaves out what it lacks)', async () => {
  const health = await healthSnapshot();
  assert.ok(health.load1 >= 0);
  assert.ok(health.memoryUsedPercent > 0 && health.memoryUsedPercent <= 100);
  if (health.battery !== undefined) assert.ok(health.battery.percent >= 0 && health.battery.percent <= 100);
  const identity = await machineIdentity();
  assert.ok(identity.device.length > 0 && identity.os.length > 0);
  assert.equal(typeof clockSynchronised(), 'boolean');
  const id = machineId();
  if (id !== undefined) assert.match(id, /^[0-9a-f]{32}$/);
});
