/**
 * The machine itself as a device: model and OS (for the PLI's takv), battery, health
 * telemetry (CPU temperature, load, memory, disk, Raspberry Pi throttling), the stable
 * machine id, and whether the system clock is synchronised. Every probe is best effort:
 * a value the machine cannot give is left out, never invented.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg, totalmem, freemem } from 'node:os';

type SystemInformation = typeof import('systeminformation');

/**
 * systeminformation is loaded on the first probe, not with this module: it is large (its
 * modules stay resident) and a daemon with PLI and health telemetry off never asks.
 */
async function loadSystemInformation(): Promise<SystemInformation> {
  const loaded = (await import('systeminformation')) as SystemInformation & { default?: SystemInformation };
  return loaded.default ?? loaded;
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

export async function machineIdentity(): Promise<MachineIdentity> {
  const si = await loadSystemInformation();
  const [system, os] = await Promise.all([si.system().catch(() => undefined), si.osInfo().catch(() => undefined)]);
  // The Pi's firmware names the board in the device tree; systeminformation's model is generic there.
  const deviceTreeModel = readText('/proc/device-tree/model')?.replace(/\0/g, '').trim();
  const device = deviceTreeModel || [system?.manufacturer, system?.model].filter((s) => s && s !== '-').join(' ') || 'unknown';
  const osText = os ? `${os.distro} ${os.release} (${os.platform} ${os.kernel})`.trim() : process.platform;
  return { device, os: osText };
}

export async function batteryState(): Promise<BatteryState | undefined> {
  const si = await loadSystemInformation();
  const battery = await si.battery().catch(() => undefined);
  if (battery === undefined || !battery.hasBattery) return undefined;
  return { percent: Math.max(0, Math.min(100, Math.round(battery.percent))), charging: battery.isCharging };
}

export async function healthSnapshot(): Promise<HealthSnapshot> {
  const si = await loadSystemInformation();
  const [temperature, disks, battery, throttledText] = await Promise.all([
    si.cpuTemperature().catch(() => undefined),
    si.fsSize().catch(() => []),
    batteryState(),
    vcgencmdPath() ? run(vcgencmdPath() as string, ['get_throttled']) : Promise.resolve(undefined),
  ]);
  const snapshot: HealthSnapshot = {
    load1: Math.round(loadavg()[0] * 100) / 100,
    memoryUsedPercent: Math.round((1 - freemem() / totalmem()) * 1000) / 10,
  };
  if (typeof temperature?.main === 'number' && Number.isFinite(temperature.main)) snapshot.cpuTemperatureC = temperature.main;
  const root = disks.find((d) => d.mount === '/');
  if (root !== undefined) snapshot.diskUsedPercent = root.use;
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
