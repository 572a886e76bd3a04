/**
 * Type 24 part A names waiting for their part B, as gpsd pairs them: a part B is reported
 * (with the name merged in) only when its part A is waiting, and the pairing consumes it.
 * The table is small (gpsd keeps 8 slots; the oldest is overwritten), which is also why a
 * part B heard long after its part A is not reported. The full static data is kept in the
 * VesselCache regardless; this only decides what `takd ais decode` reports.
 */
export class Type24Pairs {
  private readonly names = new Map<number, string>();

  constructor(private readonly slots = 8) {}

  partA(mmsi: number, name: string): void {
    this.names.delete(mmsi);
    if (this.names.size >= this.slots) this.names.delete(this.names.keys().next().value as number);
    this.names.set(mmsi, name);
  }

  /** The waiting part A name for this MMSI, removed from the table; undefined if none. */
  takePartA(mmsi: number): string | undefined {
    const name = this.names.get(mmsi);
    if (name !== undefined) this.names.delete(mmsi);
    return name;
  }

  clear(): void {
    this.names.clear();
  }
}
