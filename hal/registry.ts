// The driver table: config's `driver = …` → the Driver record. Adding a device family is
// one row here and one folder under drivers/ (start from drivers/_template/). Nothing else
// names a driver: config, docs, the daemon and the CLI read what a driver is from its row.
import type { Driver } from './contract.js';
import { templateDriver } from './drivers/_template/index.js';
import { aisDriver } from './drivers/ais/index.js';
import { gpsdDriver } from './drivers/gpsd/index.js';
import { kissAprsDriver } from './drivers/kiss-aprs/index.js';
import { meshtasticDriver } from './drivers/meshtastic/index.js';
import { nmeaGnssDriver } from './drivers/nmea-gnss/index.js';
import { simDriver } from './drivers/sim/index.js';

/**
 * A driver of any frame and message type. The frame type only matters between a driver's
 * own framer and decoder, which the Source connects without looking at it.
 */
export type RegisteredDriver = Driver<unknown, unknown>;

/** Every row, hidden ones (the template) included; users see userDrivers(). */
export const drivers: readonly RegisteredDriver[] = [
  nmeaGnssDriver,
  gpsdDriver,
  simDriver,
  aisDriver,
  kissAprsDriver,
  meshtasticDriver,
  templateDriver,
];

export function findDriver(name: string): RegisteredDriver | undefined {
  return drivers.find((d) => d.name === name);
}

/** The drivers a user may configure, in table order. */
export function userDrivers(): RegisteredDriver[] {
  return drivers.filter((d) => !d.hidden);
}
