/**
 * The APRS beacon of a kiss-aprs source: the box's own position, through the same TNC the
 * source reads, at most once per `beacon_interval`. It looks at the latest own fix on a
 * short timer rather than on every fix, because a fix arrives every second and a beacon
 * every few minutes; a write to a TNC that is gone is counted, and the next beacon retries.
 */
import type { GnssFix, HalLogger } from '../../contract.js';
import type { AprsBeacon } from './beacon.js';

/** How often the beacon checks whether one is due (well below any interval allowed). */
const CHECK_MS = 1000;

export interface BeaconCounters {
  beaconsSent: number;
  beaconWriteFailures: number;
}

export class BeaconTimer {
  readonly counters: BeaconCounters = { beaconsSent: 0, beaconWriteFailures: 0 };
  private timer: NodeJS.Timeout | undefined;
  private writing = false;

  constructor(
    private readonly beacon: AprsBeacon,
    private readonly ownFix: () => GnssFix | undefined,
    private readonly write: (frame: Buffer) => Promise<void>,
    private readonly logger: HalLogger,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.check(), CHECK_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async check(): Promise<void> {
    const fix = this.ownFix();
    if (this.writing || fix === undefined) return;
    const frame = this.beacon.next(fix, Date.now());
    if (frame === undefined) return;
    this.writing = true;
    try {
      await this.write(frame);
      this.counters.beaconsSent++;
      this.logger.debug({ lat: fix.lat, lon: fix.lon }, 'APRS beacon sent');
    } catch (error) {
      this.counters.beaconWriteFailures++;
      this.logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'APRS beacon not written');
    } finally {
      this.writing = false;
    }
  }
}
