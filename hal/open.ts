// One source from one row of the driver table: the driver's own open() when it has one,
// else the plain source (its framer, decoder and onOpen on a reconnecting Source; its toCot).
import type { Driver, DriverInstance, DriverOpenOptions, DriverSettings } from './contract.js';
import { startSource } from './source.js';

/** Opens a source of `driver`; throws at once (kind open-failed) for a URL no provider handles. */
export function openDriver<F, M>(driver: Driver<F, M>, options: DriverOpenOptions): DriverInstance<M> {
  return driver.open?.(options) ?? plainInstance(driver, options);
}

/**
 * The plain source of a driver, for drivers without per-source state and for a driver's
 * open() to build on (spread the result and add toCot, ownFix, counters…).
 */
export function plainInstance<F, M>(driver: Driver<F, M>, options: DriverOpenOptions): DriverInstance<M> & { toCot?: Driver<F, M>['toCot'] } {
  const source = startSource({ id: options.id, url: options.url, driver, providers: options.providers, logger: options.logger, queueCapacity: options.queueCapacity });
  const instance: DriverInstance<M> = { source, stop: () => source.stop() };
  if (driver.toCot !== undefined) instance.toCot = driver.toCot;
  return instance;
}

/** Whether a source of this driver with these settings feeds the box's own position. */
export function givesOwnFix(driver: Driver<unknown, unknown>, settings: DriverSettings): boolean {
  return driver.givesOwnFix?.(settings) ?? driver.produces === 'fix';
}
