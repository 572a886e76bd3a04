/**
 * The machine itself as a device: model and OS (for the PLI's takv), battery, health
 * telemetry (CPU temperature, load, memory, disk, Raspberry Pi throttling), the stable
 * machine id, and whether the system clock is synchronised. Every probe is best effort:
 * a value the machine cannot give is left out, never invented.
 *
 * Read from Linux's own files (/proc, /sys, /etc/os-release, statfs), which is all takd
 * runs on: no probing library (the one used before was ~420 KB of the single binary's
 * bundle, resident in every daemon). `root` lets the tests point the probes at a fixture.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statfsSync } from 'node:fs';
import { loadavg, release, totalmem, freemem } from 'node:os';
import { join } from 'node:path';

/** Where /proc, /sys and /etc are: the machine's own, or a test fixture's copy. */
export interface SystemRoot {
  root?: string;
}

function at(options: SystemRoot, path: string): string {
  return options.root === undefined ? path : join(options.root, path);
}

export interface MachineIdentity {
  /** e.g. "Raspberry Pi 4 Model B Rev 1.4", "Dell Inc. Latitude 5420". */
  device: string;
  /** e.g. "Debian GNU/Linux 12 (linux 6.1.0-rpi7)". */
  os: string;
}

export interface BatteryState {
  percent: number;
  charging: boolean;
}

export interface HealthSnapshot {
  cpuTemperatureC?: number;
  /** 1-minute load average. */
  load1: number;
  memoryUsedPercent: number;
  /** Use of the root filesystem. */
  diskUsedPercent?: number;
  battery?: BatteryState;
  /** Raspberry Pi firmware throttling flags (vcgencmd get_throttled), when vcgencmd exists. */
  throttled?: { raw: number; flags: string[] };
}

/** Bits of `vcgencmd get_throttled` (Raspberry Pi firmware documentation). */
const THROTTLE_BITS: readonly [number, string][] = [
  [0, 'under-voltage'],
  [1, 'arm-frequency-capped'],
  [2, 'throttled'],
  [3, 'soft-temperature-limit'],
  [16, 'under-voltage-occurred'],
  [17, 'arm-frequency-capping-occurred'],
  [18, 'throttling-occurred'],
  [19, 'soft-temperature-limit-occurred'],
];

export function parseThrottled(output: string): { raw: number; flags: string[] } | undefined {
  const match = /throttled=(0x[0-9a-f]+|\d+)/i.exec(output);
  if (match === null) return undefined;
  const raw = Number(match[1]);
  return { raw, flags: THROTTLE_BITS.filter(([bit]) => (raw & (1 << bit)) !== 0).map(([, name]) => name) };
}

function run(command: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 2000 }, (error, stdout) => resolve(error ? undefined : stdout));
  });
}

/** Firmware placeholders vendors leave in DMI fields: not a name. */
const DMI_PLACEHOLDER = /^(to be filled by o\.?e\.?m\.?|default string|system manufacturer|system product name|not specified|none|n\/a|0+|-)$/i;

function dmiField(options: SystemRoot, name: string): string | undefined {
  const value = readText(at(options, `/sys/class/dmi/id/${name}`))?.trim();
  return value && !DMI_PLACEHOLDER.test(value) ? value : undefined;
}

/** /etc/os-release's KEY=value lines (values may be quoted). */
export function parseOsRelease(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S*))\s*$/.exec(line.trim());
    if (match) fields[match[1] as string] = (match[2]?.replace(/\\(.)/g, '$1') ?? match[3] ?? match[4] ?? '');
  }
  return fields;
}

export async function machineIdentity(options: SystemRoot = {}): Promise<MachineIdentity> {
  // The Pi's firmware names the board in the device tree; PCs name themselves in DMI.
  const deviceTreeModel = readText(at(options, '/proc/device-tree/model'))?.replace(/\0/g, '').trim();
  const dmi = [dmiField(options, 'sys_vendor'), dmiField(options, 'product_name')].filter((s) => s !== undefined).join(' ');
  const device = deviceTreeModel || dmi || 'unknown';
  const osRelease = parseOsRelease(readText(at(options, '/etc/os-release')) ?? readText(at(options, '/usr/lib/os-release')) ?? '');
  const distro = [osRelease.NAME, osRelease.VERSION_ID].filter((s) => s).join(' ') || osRelease.PRETTY_NAME || '';
  const osText = `${distro} (${process.platform} ${release()})`.trim();
  return { device, os: osText };
}

/** The first battery of the machine itself (not a mouse's: scope Device) in /sys/class/power_supply. */
export async function batteryState(options: SystemRoot = {}): Promise<BatteryState | undefined> {
  const dir = at(options, '/sys/class/power_supply');
  for (const name of listDir(dir).sort()) {
    const field = (file: string): string | undefined => readText(join(dir, name, file))?.trim();
    if (field('type') !== 'Battery' || field('scope') === 'Device' || field('present') === '0') continue;
    const percent = Number(field('capacity'));
    if (!Number.isFinite(percent) || field('capacity') === undefined) continue;
    return { percent: Math.max(0, Math.min(100, Math.round(percent))), charging: field('status') === 'Charging' };
  }
  return undefined;
}

/** The CPU's temperature in °C: a thermal zone or hwmon sensor that names the CPU, else the first zone. */
export function cpuTemperature(options: SystemRoot = {}): number | undefined {
  const celsius = (path: string): number | undefined => {
    const milli = Number(readText(path)?.trim());
    return readText(path) !== undefined && Number.isFinite(milli) && milli > -50_000 && milli < 200_000 ? milli / 1000 : undefined;
  };
  const zones = at(options, '/sys/class/thermal');
  const readings: { type: string; celsius: number }[] = [];
  for (const zone of listDir(zones).filter((z) => z.startsWith('thermal_zone')).sort()) {
    const value = celsius(join(zones, zone, 'temp'));
    if (value !== undefined) readings.push({ type: readText(join(zones, zone, 'type'))?.trim() ?? '', celsius: value });
  }
  const hwmon = at(options, '/sys/class/hwmon');
  for (const sensor of listDir(hwmon).sort()) {
    const value = celsius(join(hwmon, sensor, 'temp1_input'));
    if (value !== undefined) readings.push({ type: readText(join(hwmon, sensor, 'name'))?.trim() ?? '', celsius: value });
  }
  const cpu = readings.find((r) => /x86_pkg_temp|coretemp|k10temp|zenpower|cpu|soc/i.test(r.type));
  return (cpu ?? readings[0])?.celsius;
}

/** Use of the filesystem holding `path`, as df counts it (blocks for unprivileged users). */
export function diskUsedPercent(path = '/'): number | undefined {
  try {
    const stats = statfsSync(path);
    const used = stats.blocks - stats.bfree;
    const usable = used + stats.bavail;
    return usable > 0 ? Math.round((used / usable) * 1000) / 10 : undefined;
  } catch {
    return undefined;
  }
}

export async function healthSnapshot(options: SystemRoot = {}): Promise<HealthSnapshot> {
  const [battery, throttledText] = await Promise.all([
    batteryState(options),
    vcgencmdPath() ? run(vcgencmdPath() as string, ['get_throttled']) : Promise.resolve(undefined),
  ]);
  const snapshot: HealthSnapshot = {
    load1: Math.round(loadavg()[0] * 100) / 100,
    memoryUsedPercent: Math.round((1 - freemem() / totalmem()) * 1000) / 10,
  };
  const temperature = cpuTemperature(options);
  if (temperature !== undefined) snapshot.cpuTemperatureC = temperature;
  const disk = diskUsedPercent(options.root ?? '/');
  if (disk !== undefined) snapshot.diskUsedPercent = disk;
  if (battery !== undefined) snapshot.battery = battery;
  const throttled = throttledText === undefined ? undefined : parseThrottled(throttledText);
  if (throttled !== undefined) snapshot.throttled = throttled;
  return snapshot;
}

/** One line for CoT remarks, e.g. "cpu 51.2°C, load 0.42, mem 38.0%, disk 22.2%, battery 87%". */
export function healthRemarks(health: HealthSnapshot): string {
  const parts: string[] = [];
  if (health.cpuTemperatureC !== undefined) parts.push(`cpu ${health.cpuTemperatureC.toFixed(1)}°C`);
  parts.push(`load ${health.load1}`, `mem ${health.memoryUsedPercent.toFixed(1)}%`);
  if (health.diskUsedPercent !== undefined) parts.push(`disk ${health.diskUsedPercent.toFixed(1)}%`);
  if (health.battery !== undefined) parts.push(`battery ${health.battery.percent}%${health.battery.charging ? ' charging' : ''}`);
  if (health.throttled !== undefined && health.throttled.flags.length > 0) parts.push(`throttled: ${health.throttled.flags.join(' ')}`);
  return parts.join(', ');
}

function vcgencmdPath(): string | undefined {
  return ['/usr/bin/vcgencmd', '/opt/vc/bin/vcgencmd'].find((p) => existsSync(p));
}

function listDir(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** /etc/machine-id (or D-Bus's copy): stable for the life of the installation. */
export function machineId(): string | undefined {
  for (const path of ['/etc/machine-id', '/var/lib/dbus/machine-id']) {
    const id = readText(path)?.trim();
    if (id && /^[0-9a-f]{32}$/i.test(id)) return id.toLowerCase();
  }
  return undefined;
}

/**
 * Whether the system clock is known to be synchronised to network time: systemd-timesyncd
 * marks it with a file; without it we cannot tell, and say no (GPS time then wins when the
 * two differ by more than the PLI's threshold).
 */
export function clockSynchronised(): boolean {
  return existsSync('/run/systemd/timesync/synchronized');
}
