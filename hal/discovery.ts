/**
 * Serial devices on this machine, with USB ids and the driver each looks like. On Linux it
 * reads sysfs and /dev/serial/by-id directly (no udevadm needed); elsewhere it asks
 * serialport, which on Linux would spawn udevadm (guarded: a missing udevadm must not crash).
 */
import { existsSync, readFileSync, readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { DeviceInfo } from './contract.js';
import type { RegisteredDriver } from './registry.js';

export interface UsbMatch {
  driver: string;
  note: string;
}

/** The driver whose USB fingerprint matches; a vendor+product match beats a vendor-only one. */
export function matchUsb(vendorId: string | undefined, productId: string | undefined, table: readonly RegisteredDriver[]): UsbMatch | undefined {
  if (vendorId === undefined) return undefined;
  const vid = vendorId.toLowerCase();
  const pid = productId?.toLowerCase();
  let vendorOnly: UsbMatch | undefined;
  for (const driver of table) {
    for (const row of driver.usb) {
      if (row.vendorId !== vid) continue;
      if (row.productId === undefined) vendorOnly ??= { driver: driver.name, note: row.note };
      else if (row.productId === pid) return { driver: driver.name, note: row.note };
    }
  }
  return vendorOnly;
}

function readAttribute(dir: string, name: string): string | undefined {
  try {
    return readFileSync(join(dir, name), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** /dev/ttyUSB0 → /dev/serial/by-id/usb-… (the stable name), from the by-id symlinks. */
function byIdLinks(byIdDir: string): Map<string, string> {
  const links = new Map<string, string>();
  if (!existsSync(byIdDir)) return links;
  for (const name of readdirSync(byIdDir)) {
    const link = join(byIdDir, name);
    try {
      links.set(resolve(byIdDir, readlinkSync(link)), link);
    } catch {
      // a dangling or unreadable link: skip it
    }
  }
  return links;
}

export interface SysfsRoots {
  ttyClass: string;
  byId: string;
  dev: string;
}

const LINUX_ROOTS: SysfsRoots = { ttyClass: '/sys/class/tty', byId: '/dev/serial/by-id', dev: '/dev' };

/** Serial devices from sysfs: ttys with a real device behind them (UARTs with type 0 are absent ports). */
export function listFromSysfs(table: readonly RegisteredDriver[], roots: SysfsRoots = LINUX_ROOTS): DeviceInfo[] {
  if (!existsSync(roots.ttyClass)) return [];
  const stable = byIdLinks(roots.byId);
  const devices: DeviceInfo[] = [];
  for (const name of readdirSync(roots.ttyClass).sort()) {
    const ttyDir = join(roots.ttyClass, name);
    const deviceLink = join(ttyDir, 'device');
    if (!existsSync(deviceLink)) continue; // virtual consoles, ptys
    if (name.startsWith('ttyS') && readAttribute(ttyDir, 'type') === '0') continue;
    const node = join(roots.dev, name);
    const info: DeviceInfo = { path: stable.get(node) ?? node, node };
    // Walk up from the tty's device to the USB device that carries idVendor/idProduct.
    let dir = realpathSync(deviceLink);
    for (let depth = 0; depth < 8 && dir !== '/' && basename(dir) !== 'devices'; depth++) {
      const vendorId = readAttribute(dir, 'idVendor');
      if (vendorId !== undefined) {
        info.vendorId = vendorId;
        const productId = readAttribute(dir, 'idProduct');
        const manufacturer = readAttribute(dir, 'manufacturer') ?? readAttribute(dir, 'product');
        const serialNumber = readAttribute(dir, 'serial');
        if (productId !== undefined) info.productId = productId;
        if (manufacturer !== undefined) info.manufacturer = manufacturer;
        if (serialNumber !== undefined) info.serialNumber = serialNumber;
        break;
      }
      dir = dirname(dir);
    }
    const match = matchUsb(info.vendorId, info.productId, table);
    if (match !== undefined) info.likelyDriver = `${match.driver} (${match.note})`;
    devices.push(info);
  }
  return devices;
}

function udevadmAvailable(): boolean {
  return (process.env.PATH ?? '/usr/bin:/bin').split(':').some((dir) => existsSync(join(dir, 'udevadm')));
}

export async function listSerialDevices(table: readonly RegisteredDriver[]): Promise<DeviceInfo[]> {
  if (process.platform === 'linux') {
    const fromSysfs = listFromSysfs(table);
    if (fromSysfs.length > 0 || !udevadmAvailable()) return fromSysfs;
  }
  try {
    const { serialportList } = await import('./links/serial.js');
    const ports = await serialportList();
    return ports.map((p) => {
      const info: DeviceInfo = { path: p.path, node: p.path };
      if (p.vendorId) info.vendorId = p.vendorId.toLowerCase();
      if (p.productId) info.productId = p.productId.toLowerCase();
      if (p.manufacturer) info.manufacturer = p.manufacturer;
      if (p.serialNumber) info.serialNumber = p.serialNumber;
      const match = matchUsb(info.vendorId, info.productId, table);
      if (match !== undefined) info.likelyDriver = `${match.driver} (${match.note})`;
      return info;
    });
  } catch {
    return [];
  }
}
