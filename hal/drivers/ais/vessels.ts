/**
 * Static vessel data (types 5, 19, 21, 24A/B) by MMSI, so a position report can be shown
 * with its ship's name, call sign and type. Bounded: the least recently updated vessel is
 * forgotten first once `capacity` is reached (a busy port hears a few thousand).
 */
import type { AisReport } from './report.js';

export interface VesselStatic {
  shipname?: string;
  callsign?: string;
  shiptype?: number;
  destination?: string;
  imo?: number;
  /** Type 21 aid-to-navigation type, when the MMSI is an AtoN. */
  aidType?: number;
}

const STATIC_TYPES = new Set([5, 19, 21, 24]);

export class VesselCache {
  private readonly vessels = new Map<number, VesselStatic>();

  constructor(private readonly capacity = 4096) {}

  get size(): number {
    return this.vessels.size;
  }

  get(mmsi: number): VesselStatic | undefined {
    return this.vessels.get(mmsi);
  }

  /** Learns what a static report says; returns the merged record (undefined for other types). */
  learn(report: AisReport): VesselStatic | undefined {
    if (!STATIC_TYPES.has(report.type)) return undefined;
    const known = this.vessels.get(report.mmsi);
    const merged: VesselStatic = { ...known };
    const name = report.type === 21 ? report.name : report.shipname;
    if (name) merged.shipname = name;
    if (report.callsign) merged.callsign = report.callsign;
    if (report.shiptype !== undefined && report.shiptype !== 0) merged.shiptype = report.shiptype;
    if (report.destination) merged.destination = report.destination;
    if (report.imo) merged.imo = report.imo;
    if (report.aid_type !== undefined) merged.aidType = report.aid_type;
    if (known !== undefined) this.vessels.delete(report.mmsi); // re-insert: most recent last
    else if (this.vessels.size >= this.capacity) this.vessels.delete(this.vessels.keys().next().value as number);
    this.vessels.set(report.mmsi, merged);
    return merged;
  }

  clear(): void {
    this.vessels.clear();
  }
}
