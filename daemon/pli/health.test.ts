import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HealthTelemetry } from './health.js';

test('health telemetry: battery goes to status, the rest to remarks; nothing before the first probe', async () => {
  const telemetry = new HealthTelemetry(async () => ({ load1: 0.5, memoryUsedPercent: 40, cpuTemperatureC: 60, battery: { percent: 55, charging: false } }));
  assert.deepEqual(telemetry.extras(), {});
  await telemetry.refresh();
  assert.deepEqual(telemetry.extras(), { battery: 55, remarks: 'cpu 60.0°C, load 0.5, mem 40.0%, battery 55%' });
});

test('health telemetry: a failing probe keeps the last good values; no battery → no battery field', async () => {
  let fail = false;
  const telemetry = new HealthTelemetry(async () => {
    if (fail) throw new Error('sysfs gone');
    return { load1: 1, memoryUsedPercent: 10 };
  });
  await telemetry.refresh();
  fail = true;
  await telemetry.refresh();
  assert.deepEqual(telemetry.extras(), { remarks: 'load 1, mem 10.0%' });
});
