/**
 * Routing settings as they are written in takd.ini, parsed into the router's options.
 * Each parser throws a RoutingSettingError whose message says what is allowed; the config
 * loader turns it into `FILE:LINE: key: …`.
 */
import { join } from 'node:path';
import type { BoundingBox, Circle } from './filter.js';
import type { FsyncPolicy } from './store/durable-queue.js';

export class RoutingSettingError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
    this.name = 'RoutingSettingError';
  }
}

function numbers(key: string, text: string, count: number, form: string): number[] {
  const parts = text.split(',').map((part) => part.trim());
  const values = parts.map(Number);
  if (parts.length !== count || parts.some((part) => part === '') || values.some((value) => !Number.isFinite(value))) {
    throw new RoutingSettingError(key, `expected ${form}, got "${text}"`);
  }
  return values;
}

function checkLatLon(key: string, lat: number, lon: number): void {
  if (lat < -90 || lat > 90 || lon < -180 || lon > 180) throw new RoutingSettingError(key, 'latitude must be within ±90 and longitude within ±180');
}

/** `bbox = south,west,north,east` in decimal degrees (west > east crosses the antimeridian). */
export function parseBoundingBox(text: string, key = 'bbox'): BoundingBox {
  const [south, west, north, east] = numbers(key, text, 4, 'south,west,north,east in degrees');
  checkLatLon(key, south, west);
  checkLatLon(key, north, east);
  if (south > north) throw new RoutingSettingError(key, 'south must not be north of north');
  return { south, west, north, east };
}

/** `radius = lat,lon,metres`. */
export function parseCircle(text: string, key = 'radius'): Circle {
  const [lat, lon, meters] = numbers(key, text, 3, 'lat,lon,metres');
  checkLatLon(key, lat, lon);
  if (meters <= 0) throw new RoutingSettingError(key, 'the radius must be more than 0 metres');
  return { lat, lon, meters };
}

/** `fsync = always | never | <seconds>` (a batch interval, e.g. 1 or 0.1). */
export function parseFsyncPolicy(text: string, key = 'fsync'): FsyncPolicy {
  const value = text.trim().toLowerCase();
  if (value === 'always') return { mode: 'always' };
  if (value === 'never') return { mode: 'never' };
  const seconds = Number(value);
  if (value === '' || !Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) {
    throw new RoutingSettingError(key, `expected always, never or an interval in seconds (0 < s <= 3600), got "${text}"`);
  }
  return { mode: 'interval', intervalMs: Math.round(seconds * 1000) };
}

/** `$STATE_DIRECTORY` (set by systemd's StateDirectory=), else /var/lib/takd. */
export function stateDirectory(env: NodeJS.ProcessEnv = process.env): string {
  // systemd may pass several directories separated by ':'; the first is ours.
  return env.STATE_DIRECTORY?.split(':')[0] || '/var/lib/takd';
}

/** One durable queue directory per output. Output names are config section names ([a-z0-9_-]). */
export function queueDirectory(stateDir: string, outputName: string): string {
  // '.' and '..' would leave the queue directory: escape them like any other separator.
  return join(stateDir, 'queue', encodeURIComponent(outputName).replace(/^\.+$/, (dots) => '%2E'.repeat(dots.length)));
}
