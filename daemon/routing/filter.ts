/**
 * Per-output selection: by CoT type prefix, by source (id or role), by geography.
 * Compiled once at start; `matches` runs per event per output, so it allocates nothing.
 */
import type { CotEvent } from '../codec/event.js';
import type { BoundingBox, Circle, OutputFilterConfig } from '../../config/routing-values.js';
import { acceptsByDefault, type LinkRole } from './roles.js';

export type { BoundingBox, Circle, OutputFilterConfig };

export interface EventSource {
  /** The link or source name, e.g. `server` or `gps`. */
  id: string;
  role: LinkRole;
}

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** Great-circle distance (haversine), metres. */
export function distanceMeters(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

function insideBox(box: BoundingBox, lat: number, lon: number): boolean {
  if (lat < box.south || lat > box.north) return false;
  return box.west <= box.east ? lon >= box.west && lon <= box.east : lon >= box.west || lon <= box.east;
}

function hasPrefix(prefixes: readonly string[], type: string): boolean {
  for (const prefix of prefixes) if (type.startsWith(prefix)) return true;
  return false;
}

export class OutputFilter {
  constructor(
    private readonly outputRole: LinkRole,
    private readonly config: OutputFilterConfig = {},
  ) {}

  matchesSource(source: EventSource): boolean {
    const { from, excludeFrom } = this.config;
    if (excludeFrom && (excludeFrom.includes(source.id) || excludeFrom.includes(source.role))) return false;
    if (from && from.length > 0) return from.includes(source.id) || from.includes(source.role);
    return acceptsByDefault(this.outputRole, source.role);
  }

  matchesType(type: string): boolean {
    const { types, excludeTypes } = this.config;
    if (types && types.length > 0 && !hasPrefix(types, type)) return false;
    return !(excludeTypes && hasPrefix(excludeTypes, type));
  }

  /**
   * Events at exactly 0,0 carry no location (chat with location sharing off, control
   * events): geography does not apply to them, so they pass.
   */
  matchesPlace(event: CotEvent): boolean {
    const { bbox, radius } = this.config;
    const { lat, lon } = event.point;
    if (lat === 0 && lon === 0) return true;
    if (bbox && !insideBox(bbox, lat, lon)) return false;
    return !(radius && distanceMeters(radius.lat, radius.lon, lat, lon) > radius.meters);
  }

  matches(event: CotEvent, source: EventSource): boolean {
    return this.matchesSource(source) && this.matchesType(event.type) && this.matchesPlace(event);
  }
}
