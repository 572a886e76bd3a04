import { clockSynchronised } from '../../hal/index.js';

/**
 * The clock CoT timestamps come from. In the field there is often no network time: when the
 * system clock is not synchronised and differs from GPS time by more than a threshold, CoT
 * times follow GPS time (system time plus the offset measured at the last fix). A synchronised
 * clock is always trusted.
 */
export interface CotClockOptions {
  /** System time, epoch ms (injected for tests). */
  systemNow?: () => number;
  /** Whether the system clock is synchronised. Default: hal's clockSynchronised (systemd-timesyncd's flag). */
  isSynchronised?: () => boolean;
  /** Difference above which GPS time wins, ms. Default 2000. */
  thresholdMs?: number;
}

export class CotClock {
  private offsetMs = 0;
  private readonly systemNow: () => number;
  private readonly isSynchronised: () => boolean;
  private readonly thresholdMs: number;

  constructor(options: CotClockOptions = {}) {
    this.systemNow = options.systemNow ?? Date.now;
    this.isSynchronised = options.isSynchronised ?? clockSynchronised;
    this.thresholdMs = options.thresholdMs ?? 2000;
  }

  /** A fix with GPS time arrived (now, by the system clock): re-measure the offset. */
  observeGpsTime(gpsTime: number | undefined): void {
    if (gpsTime === undefined) return;
    const offset = gpsTime - this.systemNow();
    this.offsetMs = !this.isSynchronised() && Math.abs(offset) > this.thresholdMs ? offset : 0;
  }

  /** true while CoT times follow GPS time rather than the system clock. */
  get usingGpsTime(): boolean {
    return this.offsetMs !== 0;
  }

  now(): number {
    return this.systemNow() + this.offsetMs;
  }
}
