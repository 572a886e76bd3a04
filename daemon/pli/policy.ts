/**
 * When to send the own-position report, as ATAK's dynamic reporting rate does it:
 * - stationary (below ~0.45 m/s): the slow interval;
 * - moving: the interval shrinks linearly with speed from `movingSlowestMs` (just above
 *   stationary) to `movingFastestMs` (at `fastSpeed` and above);
 * - at once on a large altitude or speed change, an identity change (callsign, team, role,
 *   type) or after moving `distanceMetres` since the last report;
 * - and always before the last report goes stale: stale = interval × staleFactor + 15 s.
 * Pure: the caller passes the time, so tests run on a simulated clock.
 */
export interface ReportingOptions {
  stationaryIntervalMs: number;
  movingSlowestMs: number;
  movingFastestMs: number;
  /** m/s below which the box counts as stationary. */
  stationarySpeed: number;
  /** m/s at and above which the fastest rate applies. */
  fastSpeed: number;
  altitudeJumpMetres: number;
  speedChange: number;
  distanceMetres: number;
  staleFactor: number;
  /** A forced report goes out this long before the previous one would go stale. */
  staleMarginMs: number;
}

/** ATAK's defaults for the dynamic rate (20 s slowest moving, 2 s fastest, 180 s stationary). */
export const DEFAULT_REPORTING: ReportingOptions = {
  stationaryIntervalMs: 180_000,
  movingSlowestMs: 20_000,
  movingFastestMs: 2_000,
  stationarySpeed: 0.45,
  fastSpeed: 20,
  altitudeJumpMetres: 30,
  speedChange: 5,
  distanceMetres: 100,
  staleFactor: 2,
  staleMarginMs: 5_000,
};

const STALE_EXTRA_MS = 15_000;

export interface PositionSample {
  lat: number;
  lon: number;
  /** metres HAE, when known */
  hae?: number;
  /** m/s, when known */
  speed?: number;
  /** Anything that changes what others see besides the position (callsign|team|role|type). */
  identity: string;
}

export type ReportReason = 'first' | 'identity' | 'altitude' | 'speed' | 'distance' | 'interval' | 'forced';

export interface ReportDecision {
  reason: ReportReason;
  /** How long the report stays valid, ms. */
  staleMs: number;
}

export class ReportingPolicy {
  private last: { at: number; sample: PositionSample; staleMs: number } | undefined;

  constructor(readonly options: ReportingOptions = DEFAULT_REPORTING) {}

  /** The reporting interval for a speed (m/s; undefined counts as stationary). */
  intervalFor(speed: number | undefined): number {
    const o = this.options;
    if (speed === undefined || speed < o.stationarySpeed) return o.stationaryIntervalMs;
    const fraction = Math.min(1, (speed - o.stationarySpeed) / (o.fastSpeed - o.stationarySpeed));
    return Math.round(o.movingSlowestMs + fraction * (o.movingFastestMs - o.movingSlowestMs));
  }

  staleFor(speed: number | undefined): number {
    return this.intervalFor(speed) * this.options.staleFactor + STALE_EXTRA_MS;
  }

  /** A new fix arrived at `now`: report it, and why, or undefined to wait. Records the report. */
  onSample(sample: PositionSample, now: number): ReportDecision | undefined {
    const reason = this.reasonToReport(sample, now);
    if (reason === undefined) return undefined;
    return this.record(sample, now, reason);
  }

  /** No new fix: must the last position be re-sent now so that it does not go stale? */
  forcedDue(now: number): boolean {
    return this.last !== undefined && now >= this.last.at + this.last.staleMs - this.options.staleMarginMs;
  }

  /** Records a forced (re-)report of `sample`. */
  recordForced(sample: PositionSample, now: number): ReportDecision {
    return this.record(sample, now, 'forced');
  }

  /** When the last report goes stale (epoch ms), if there was one. */
  get staleAt(): number | undefined {
    return this.last === undefined ? undefined : this.last.at + this.last.staleMs;
  }

  private reasonToReport(sample: PositionSample, now: number): ReportReason | undefined {
    const last = this.last;
    if (last === undefined) return 'first';
    const o = this.options;
    const before = last.sample;
    if (sample.identity !== before.identity) return 'identity';
    if (sample.hae !== undefined && before.hae !== undefined && Math.abs(sample.hae - before.hae) >= o.altitudeJumpMetres) return 'altitude';
    if (Math.abs((sample.speed ?? 0) - (before.speed ?? 0)) >= o.speedChange) return 'speed';
    if (distanceMetres(before, sample) >= o.distanceMetres) return 'distance';
    if (now - last.at >= this.intervalFor(sample.speed)) return 'interval';
    if (this.forcedDue(now)) return 'forced';
    return undefined;
  }

  private record(sample: PositionSample, now: number, reason: ReportReason): ReportDecision {
    const staleMs = this.staleFor(sample.speed);
    this.last = { at: now, sample, staleMs };
    return { reason, staleMs };
  }
}

/** Great-circle distance, metres (haversine). */
export function distanceMetres(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(h)));
}
