import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listFromSysfs, matchUsb } from './discovery.js';
import { drivers } from './registry.js';

/** A miniature sysfs + /dev: one USB serial adapter, one absent UART, one virtual console. */
function fakeSystem(root: string): { ttyClass: string; byId: string; dev: string } {
  const usbDevice = join(root, 'sys/devices/pci0000:00/usb1/1-1');
  const ttyDevice = join(usbDevice, '1-1:1.0/ttyUSB0');
  mkdirSync(ttyDevice, { recursive: true });
  writeFileSync(join(usbDevice, 'idVendor'), '067b\n');
  writeFileSync(join(usbDevice, 'idProduct'), '2303\n');
  writeFileSync(join(usbDevice, 'manufacturer'), 'Prolific Technology Inc.\n');
  const uart = join(root, 'sys/devices/platform/serial8250/tty/ttyS0');
  mkdirSync(uart, { recursive: true });
  const ttyClass = join(root, 'sys/class/tty');
  for (const name of ['ttyUSB0', 'ttyS0', 'tty1']) mkdirSync(join(ttyClass, name), { recursive: true });
  symlinkSync(ttyDevice, join(ttyClass, 'ttyUSB0/device'));
  symlinkSync(uart, join(ttyClass, 'ttyS0/device'));
  writeFileSync(join(ttyClass, 'ttyS0/type'), '0\n');
  const dev = join(root, 'dev');
  const byId = join(dev, 'serial/by-id');
  mkdirSync(byId, { recursive: true });
  symlinkSync('../../ttyUSB0', join(byId, 'usb-Prolific_Technology_Inc._USB-Serial_Controller-if00-port0'));
  return { ttyClass, byId, dev };
}

test('discovery: USB serial adapters are listed by their stable by-id path with ids and a likely driver', () => {
  const root = mkdtempSync(join(tmpdir(), 'takd-sysfs-'));
  try {
    const devices = listFromSysfs(drivers, fakeSystem(root));
    assert.equal(devices.length, 1, 'the absent UART and the virtual console are not listed');
    const [device] = devices;
    assert.equal(device.path, join(root, 'dev/serial/by-id/usb-Prolific_Technology_Inc._USB-Serial_Controller-if00-port0'));
    assert.equal(device.node, join(root, 'dev/ttyUSB0'));
    assert.equal(device.vendorId, '067b');
    assert.equal(device.productId, '2303');
    assert.equal(device.manufacturer, 'Prolific Technology Inc.');
    assert.match(device.likelyDriver ?? '', /^nmea-gnss \(Prolific PL2303/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('discovery: vendor+product beats vendor-only; unknown ids match nothing', () => {
  assert.equal(matchUsb('1546', '01a7', drivers)?.note, 'u-blox 7');
  assert.equal(matchUsb('1546', '01a8', drivers)?.note, 'u-blox GNSS receiver');
  assert.equal(matchUsb('dead', 'beef', drivers), undefined);
  assert.equal(matchUsb(undefined, undefined, drivers), undefined);
});
