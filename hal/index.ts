// The HAL's public surface: what daemon/ may import besides hal/contract.ts. The driver
// table and the contract; links, sources and the system probes. A driver's own parts
// (decoders, factories, its record) stay in its folder: the daemon reaches a driver only
// through its row (tests may import a driver directly).
export type * from './contract.js';
export { drivers, findDriver, userDrivers, type RegisteredDriver } from './registry.js';
export { openDriver, givesOwnFix } from './open.js';
export { startSource, type SourceOptions } from './source.js';
export { MockLinkProvider, MockDevice } from './links/mock.js';
export { SimLinkProvider } from './drivers/sim/link.js';
export { applyLinkDefaults, defaultLinkProviders, resolveLink, type LinkProviders, type LinkWithDefaults } from './links/index.js';
export { silentLogger } from './logger.js';
export {
  batteryState, clockSynchronised, healthRemarks, healthSnapshot, machineId, machineIdentity, parseThrottled,
  type BatteryState, type HealthSnapshot, type MachineIdentity,
} from './system.js';
export { listSerialDevices, listFromSysfs, matchUsb, type UsbMatch, type SysfsRoots } from './discovery.js';
// The capture decoders of `takd gps|ais|aprs decode`, commands about one device family each.
export { createNmeaPipeline, type NmeaPipeline } from './drivers/nmea-gnss/pipeline.js';
export { toTpv, type TpvReport } from './drivers/nmea-gnss/tpv.js';
export { createAisPipeline, type AisPipeline } from './drivers/ais/pipeline.js';
export type { AisMessage } from './drivers/ais/decoder.js';
export { createAprsPipeline, type AprsPipeline } from './drivers/kiss-aprs/pipeline.js';
export type { AprsPacket } from './drivers/kiss-aprs/packet.js';
