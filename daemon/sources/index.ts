/**
 * The [source.*] sections as components, from the driver table alone: no driver is named
 * here. What a driver produces, which keys it takes and whether it sends are its row's.
 */
import type { CotEvent } from '../codec/event.js';
import { findDriver, givesOwnFix, type GnssFix, type LinkProviders } from '../../hal/index.js';
import type { SourceConfig } from '../../config/view.js';
import type { Logger } from '../log.js';
import type { Component } from '../lifecycle/component.js';
import type { RoutingStage } from '../lifecycle/routing-stage.js';
import { SourceComponent } from './component.js';

export { SourceComponent, sourceStatus, type SourceComponentOptions } from './component.js';

export interface SourceDeps {
  providers: LinkProviders;
  /** The source's own logger (a child named by its id). */
  logger: Logger;
  queueCapacity: number;
  routing: Pick<RoutingStage, 'setOutput' | 'removeOutput'>;
  publish: (event: CotEvent, from: string) => void;
  /** A fix of the box's own position, for the PLI reporter. */
  onOwnFix: (fix: GnssFix) => void;
  /** The box's latest own fix (a fresh one only), for outbound position reports. */
  ownFix: () => GnssFix | undefined;
}

/** The component of one source section; one that fails at start when its driver is not in this build. */
export function sourceComponent(source: SourceConfig, deps: SourceDeps): Component {
  const driver = findDriver(source.driver);
  if (driver === undefined) return missingDriver(source.id, source.driver);
  return new SourceComponent({
    id: source.id,
    link: source.link,
    driver,
    settings: source.settings,
    providers: deps.providers,
    logger: deps.logger,
    queueCapacity: deps.queueCapacity,
    onFix: deps.onOwnFix,
    onEvent: deps.publish,
    ownFix: deps.ownFix,
    routing: deps.routing,
  });
}

/** The enabled sources that take our own PLI (a router output each, under the source id). */
export function ownPliTargets(sources: readonly SourceConfig[]): string[] {
  return sources.filter((s) => s.enabled && findDriver(s.driver)?.takesOwnPli?.(s.settings) === true).map((s) => s.id);
}

/** Whether any enabled source feeds the box's own position (a GPS, AIS own ship). */
export function feedsOwnPosition(sources: readonly SourceConfig[]): boolean {
  return sources.some((s) => {
    const driver = findDriver(s.driver);
    return s.enabled && driver !== undefined && givesOwnFix(driver, s.settings);
  });
}

function missingDriver(id: string, driverName: string): Component {
  return {
    id,
    kind: 'source',
    start: () => Promise.reject(new Error(`driver '${driverName}' is not in this build of takd`)),
    stop: () => Promise.resolve(),
    status: () => ({ id, kind: 'source', state: 'failed', detail: `driver '${driverName}' is not in this build`, counters: {} }),
  };
}
