/**
 * Components for the radio drivers' [source.*] sections: AIS and APRS with their CoT
 * settings (uid prefix, type, stale), AIS own-ship fixes as the box's position, the APRS
 * beacon, and one Meshtastic client per radio that is also a router output.
 */
import type { CotEvent } from '../codec/event.js';
import {
  aisDriver, AprsBeacon, beaconConfigProblem, createAisToCot, createAprsToCot, kissAprsDriver, ownShipFix,
  type AisMessage, type Driver, type GnssFix, type LinkProviders,
} from '../../hal/index.js';
import type { SourceConfig } from '../../config/view.js';
import type { Logger } from '../log.js';
import { BeaconTimer } from './aprs-beacon.js';
import type { Component, ComponentStatus } from './component.js';
import { SourceComponent } from './components.js';
import { MeshtasticComponent } from './meshtastic-component.js';
import type { RoutingStage } from './routing-stage.js';

export const RADIO_DRIVERS = new Set(['ais', 'kiss-aprs', 'meshtastic']);

/** Meshtastic defaults: one PLI per 30 s on air (the airtime budget), PLI and chat sent. */
export const MESH_PLI_INTERVAL_SECONDS = 30;
const MESH_SEND_DEFAULT = ['pli', 'chat'] as const;

export interface RadioDeps {
  providers: LinkProviders;
  logger: Logger;
  queueCapacity: number;
  routing: Pick<RoutingStage, 'setOutput' | 'removeOutput'>;
  publish: (event: CotEvent, from: string) => void;
  /** A fix of the box's own position (AIS own ship), for the PLI reporter. */
  onOwnFix: (fix: GnssFix) => void;
  /** The box's latest own fix, for the APRS beacon. */
  ownFix: () => GnssFix | undefined;
}

/** The component for a radio source, or undefined when the driver is not a radio. */
export function radioSourceComponent(source: SourceConfig, deps: RadioDeps): Component | undefined {
  switch (source.driver) {
    case 'ais':
      return aisSource(source, deps);
    case 'kiss-aprs':
      return aprsSource(source, deps);
    case 'meshtastic':
      return new MeshtasticComponent({
        id: source.id,
        link: source.link,
        providers: deps.providers,
        logger: deps.logger,
        routing: deps.routing,
        publish: deps.publish,
        pliIntervalMs: (source.radio.pliIntervalSeconds ?? MESH_PLI_INTERVAL_SECONDS) * 1000,
        send: source.radio.send ?? MESH_SEND_DEFAULT,
      });
    default:
      return undefined;
  }
}

/** The meshtastic sources that take our own PLI (`send` includes pli). */
export function meshPliTargets(sources: readonly SourceConfig[]): string[] {
  return sources.filter((s) => s.enabled && s.driver === 'meshtastic' && (s.radio.send ?? MESH_SEND_DEFAULT).includes('pli')).map((s) => s.id);
}

function aisSource(source: SourceConfig, deps: RadioDeps): SourceComponent {
  const { radio } = source;
  const driver: Driver<unknown, unknown> = {
    ...(aisDriver as Driver<unknown, unknown>),
    toCot: createAisToCot({ uidPrefix: radio.uidPrefix, defaultType: radio.cotType, staleSeconds: radio.staleSeconds }) as Driver<unknown, unknown>['toCot'],
  };
  const onMessage = radio.ownPosition
    ? (message: unknown): void => {
        const fix = ownShipFix(message as AisMessage, Date.now());
        if (fix !== undefined) deps.onOwnFix(fix);
      }
    : undefined;
  return new SourceComponent({ ...common(source, deps), driver, onEvent: deps.publish, ...(onMessage ? { onMessage } : {}) });
}

function aprsSource(source: SourceConfig, deps: RadioDeps): Component {
  const { radio } = source;
  const driver: Driver<unknown, unknown> = {
    ...(kissAprsDriver as Driver<unknown, unknown>),
    toCot: createAprsToCot({ uidPrefix: radio.uidPrefix, type: radio.cotType, staleSeconds: radio.staleSeconds }) as Driver<unknown, unknown>['toCot'],
  };
  const component = new SourceComponent({ ...common(source, deps), driver, onEvent: deps.publish });
  if (radio.callsign === undefined) return component;
  const beaconOptions = { callsign: radio.callsign, intervalSeconds: radio.beaconIntervalSeconds };
  const problem = beaconConfigProblem(beaconOptions);
  if (problem !== undefined) {
    deps.logger.warn({ problem }, 'APRS beacon off');
    return component;
  }
  const beacon = new BeaconTimer(new AprsBeacon(beaconOptions), deps.ownFix, (frame) => component.write(frame), deps.logger);
  return beaconing(component, beacon);
}

/** A kiss-aprs source with its beacon: started and stopped together, counters in one status. */
function beaconing(component: SourceComponent, beacon: BeaconTimer): Component {
  return {
    id: component.id,
    kind: component.kind,
    start: async () => {
      await component.start();
      beacon.start();
    },
    stop: async () => {
      beacon.stop();
      await component.stop();
    },
    status: (): ComponentStatus => {
      const status = component.status();
      status.counters = { ...status.counters, ...beacon.counters };
      return status;
    },
  };
}

function common(source: SourceConfig, deps: RadioDeps): { id: string; link: string; providers: LinkProviders; logger: Logger; queueCapacity: number } {
  return { id: source.id, link: source.link, providers: deps.providers, logger: deps.logger, queueCapacity: deps.queueCapacity };
}
