/**
 * The values of an output's routing keys ([output.*] types, from, bbox, radius, rate_*,
 * fsync): their types and the parsers from INI text. Owned here so config/ describes them
 * without importing the daemon; daemon/routing takes these types as its options. Each
 * parser throws a RoutingSettingError whose message says what is allowed; the config
 * loader turns it into `FILE:LINE: key: …`.
 */

export interface BoundingBox {
  south: number;
  west: number;
  north: number;
  east: number;
}

export interface Circle {
  lat: number;
  lon: number;
  meters: number;
}

export interface OutputFilterConfig {
  /** Type prefixes taken (`a-f-`, `b-t-f`); none: every type. */
  types?: readonly string[];
  /** Type prefixes refused, checked after `types`. */
  excludeTypes?: readonly string[];
  /** Source ids or roles taken; none: the role defaults (roles.ts). */
  from?: readonly string[];
  /** Source ids or roles refused (e.g. `self` for an output with `pli = false`). */
  excludeFrom?: readonly string[];
  /** Only events inside this box (west > east crosses the antimeridian). */
  bbox?: BoundingBox;
  /** Only events within this distance of a point. */
  radius?: Circle;
}

export interface RateLimit {
  /** Sustained bytes per second; undefined: unlimited. */
  bytesPerSecond?: number;
  /** Largest burst in bytes; default one second's worth. */
  burstBytes?: number;
  /** Sustained events per minute; undefined: unlimited. */
  eventsPerMinute?: number;
  /** Largest burst in events; default five seconds' worth, at least 1. */
  burstEvents?: number;
}

/** How often the durable queue syncs to disk (daemon/routing/store/durable-queue.ts). */
export type FsyncPolicy = { mode: 'always' } | { mode: 'interval'; intervalMs: number } | { mode: 'never' };

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
