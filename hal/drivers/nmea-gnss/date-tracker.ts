// Turns time-of-day into full UTC times. Most sentences carry only hhmmss; the date comes from
// RMC or ZDA now and then. The tracker remembers the last date and moves it on at midnight,
// and optionally undoes the GPS week-number rollover of old receivers.

const DAY_MS = 86_400_000;
const HALF_DAY_MS = DAY_MS / 2;
/** 1024 GPS weeks: what a receiver with a 10-bit week counter is off by after a rollover. */
export const GPS_ROLLOVER_MS = 1024 * 7 * DAY_MS;

export class DateTracker {
  private day: number | undefined;
  private lastTimeOfDay = 0;

  /**
   * @param notBefore epoch ms: times earlier than this are moved forward by 1024-week steps
   *   (a receiver that lost its week count after a GPS rollover). Undefined: never.
   */
  constructor(private readonly notBefore?: number) {}

  /** A sentence of this epoch gave the date explicitly. */
  setDay(day: number, timeOfDay: number | undefined): void {
    this.day = day;
    if (timeOfDay !== undefined) this.lastTimeOfDay = timeOfDay;
  }

  /** Full UTC time for a time of day, or undefined while no date is known. */
  resolve(timeOfDay: number): number | undefined {
    if (this.day === undefined) return undefined;
    if (timeOfDay < this.lastTimeOfDay - HALF_DAY_MS) this.day++; // passed midnight since the date was given
    else if (timeOfDay > this.lastTimeOfDay + HALF_DAY_MS) this.day--; // a late sentence from before midnight
    this.lastTimeOfDay = timeOfDay;
    let time = this.day * DAY_MS + timeOfDay;
    if (this.notBefore !== undefined) {
      while (time < this.notBefore) time += GPS_ROLLOVER_MS;
    }
    return time;
  }

  reset(): void {
    this.day = undefined;
    this.lastTimeOfDay = 0;
  }
}
