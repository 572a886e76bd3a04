import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { batteryState, cpuTemperature, healthRemarks, healthSnapshot, machineIdentity, parseOsRelease, parseThrottled, clockSynchronised, machineId } from './system.js';

/** A fixture root holding the given files (path → content). */
function fixture(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'takd-sys-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

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

test('system: a laptop from its /sys and /etc: DMI name, OS, the battery (not the mouse\'s), the CPU sensor', async () => {
  const root = fixture({
    '/sys/class/dmi/id/sys_vendor': 'LENOVO\n',
    '/sys/class/dmi/id/product_name': 'ThinkPad X1\n',
    '/etc/os-release': 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n',
    '/sys/class/power_supply/AC/type': 'Mains\n',
    '/sys/class/power_supply/hidpp_battery_0/type': 'Battery\n',
    '/sys/class/power_supply/hidpp_battery_0/scope': 'Device\n',
    '/sys/class/power_supply/hidpp_battery_0/capacity': '5\n',
    '/sys/class/power_supply/BAT0/type': 'Battery\n',
    '/sys/class/power_supply/BAT0/capacity': '87\n',
    '/sys/class/power_supply/BAT0/status': 'Charging\n',
    '/sys/class/thermal/thermal_zone0/type': 'acpitz\n',
    '/sys/class/thermal/thermal_zone0/temp': '30000\n',
    '/sys/class/thermal/thermal_zone1/type': 'x86_pkg_temp\n',
    '/sys/class/thermal/thermal_zone1/temp': '51250\n',
  });
  try {
    const identity = await machineIdentity({ root });
    assert.equal(identity.device, 'LENOVO ThinkPad X1');
    assert.match(identity.os, /^Debian GNU\/Linux 12 \(linux \S+\)$/);
    assert.deepEqual(await batteryState({ root }), { percent: 87, charging: true });
    assert.equal(cpuTemperature({ root }), 51.25);
    const health = await healthSnapshot({ root });
    assert.equal(health.cpuTemperatureC, 51.25);
    assert.deepEqual(health.battery, { percent: 87, charging: true });
    assert.ok(health.diskUsedPercent === undefined || (health.diskUsedPercent >= 0 && health.diskUsedPercent <= 100));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('system: a Raspberry Pi names itself in the device tree; placeholders and garbage are left out', async () => {
  const root = fixture({
    '/proc/device-tree/model': 'Raspberry Pi 4 Model B Rev 1.4\0',
    '/sys/class/dmi/id/sys_vendor': 'To Be Filled By O.E.M.\n',
    '/sys/class/power_supply/BAT0/type': 'Battery\n',
    '/sys/class/power_supply/BAT0/capacity': 'lots\n',
    '/sys/class/thermal/thermal_zone0/type': 'cpu-thermal\n',
    '/sys/class/thermal/thermal_zone0/temp': 'hot\n',
  });
  const empty = fixture({ '/sys/class/dmi/id/sys_vendor': 'Default string\n', '/sys/class/dmi/id/product_name': 'System Product Name\n' });
  try {
    assert.equal((await machineIdentity({ root })).device, 'Raspberry Pi 4 Model B Rev 1.4');
    assert.equal(await batteryState({ root }), undefined, 'a capacity that is not a number');
    assert.equal(cpuTemperature({ root }), undefined, 'a temperature that is not a number');
    assert.equal((await machineIdentity({ root: empty })).device, 'unknown');
    assert.equal(await batteryState({ root: empty }), undefined);
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(empty, { recursive: true, force: true });
  }
});

test('system: os-release lines, quoted, escaped, bare or malformed', () => {
  assert.deepEqual(parseOsRelease('NAME="Debian GNU/Linux"\nVERSION_ID=12\nX=\'a b\'\nY="say \\"hi\\""\n# comment\nnot a line\n=bad\n'), { NAME: 'Debian GNU/Linux', VERSION_ID: '12', X: 'a b', Y: 'say "hi"' });
  assert.deepEqual(parseOsRelease(''), {});
  assert.deepEqual(parseOsRelease('\0\0\xff'), {});
});
