// Health telemetry for the PLI: battery into <status battery>, the rest (CPU temperature,
// load, memory, disk, Pi throttling) as one line of <remarks>. Probing spawns processes and
// reads sysfs, so it runs on its own slow timer and the reporter reads the cached values.
import { healthRemarks, healthSnapshot, type HealthSnapshot } from '../../hal/index.js';

export class HealthTelemetry {
  private latest: HealthSnapshot | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly probe: () => Promise<HealthSnapshot> = healthSnapshot) {}

  async refresh(): Promise<void> {
    this.latest = await this.probe().catch(() => this.latest);
  }

  /** Refreshes now and then every `intervalMs` (default 60 s) without keeping the process alive. */
  start(intervalMs = 60_000): Promise<void> {
    this.timer = setInterval(() => void this.refresh(), intervalMs);
    this.timer.unref();
    return this.refresh();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** For PliReporter's `extras`. */
  extras(): { battery?: number; remarks?: string } {
    const health = this.latest;
    if (health === undefined) return {};
    const extras: { battery?: number; remarks?: string } = { remarks: healthRemarks(health) };
    if (health.battery !== undefined) extras.battery = health.battery.percent;
    return extras;
  }
}
