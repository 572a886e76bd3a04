// Health telemetry for the PLI: battery into <status battery>, the rest (CPU temperature,
// load, memory, disk, Pi throttling) as one line of <remarks>. Probing spawns processes and
// reads sysfs, so the owner (own-position.ts) refreshes it on its own slow timer and the
// reporter reads the cached values.
import { healthRemarks, healthSnapshot, type HealthSnapshot } from '../../hal/index.js';

/** Which values ride on the PLI ([health] battery, remarks). */
export interface HealthFields {
  battery: boolean;
  remarks: boolean;
}

export type HealthExtras = { battery?: number; remarks?: string };

const ALL_FIELDS: HealthFields = { battery: true, remarks: true };

export class HealthTelemetry {
  private latest: HealthExtras = {};

  constructor(private readonly probe: () => Promise<HealthSnapshot> = healthSnapshot) {}

  /** Probes now and keeps the chosen fields; a failing probe keeps the last good values. */
  async refresh(fields: HealthFields = ALL_FIELDS): Promise<void> {
    const snapshot = await this.probe().catch(() => undefined);
    if (snapshot === undefined) return;
    const extras: HealthExtras = {};
    if (fields.battery && snapshot.battery !== undefined) extras.battery = snapshot.battery.percent;
    if (fields.remarks) extras.remarks = healthRemarks(snapshot);
    this.latest = extras;
  }

  /** For PliReporter's `extras`: nothing before the first successful probe. */
  extras(): HealthExtras {
    return this.latest;
  }
}
