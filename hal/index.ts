// The HAL's public surface: what daemon/ may import besides hal/contract.ts.
export type * from './contract.js';
export { LineFramer, type LineFramerOptions, type LineFramerCounters } from './framers/lines.js';
export { NmeaGnssDecoder, type NmeaDecoderOptions } from './drivers/nmea-gnss/decoder.js';
export { createNmeaPipeline, type NmeaPipeline } from './drivers/nmea-gnss/pipeline.js';
export { toTpv, type TpvReport } from './drivers/nmea-gnss/tpv.js';
export { nmeaGnssDriver, createNmeaGnssDriver } from './drivers/nmea-gnss/index.js';
export { GpsdDecoder, gpsdDriver, GPSD_WATCH, GPSD_DEFAULT_PORT } from './drivers/gpsd/index.js';
export { simDriver, SimLinkProvider, SimTrack, SIM_SPEEDS } from './drivers/sim/index.js';
export { epochSentences, type SimulatedFix } from './drivers/sim/nmea-writer.js';
export { MockLinkProvider, MockDevice } from './links/mock.js';
export { applyLinkDefaults, defaultLinkProviders, resolveLink, type LinkProviders, type LinkWithDefaults } from './links/index.js';
export { startSource, type SourceOptions } from './source.js';
export { silentLogger } from './logger.js';
export {
  batteryState, clockSynchronised, healthRemarks, healthSnapshot, machineId, machineIdentity, parseThrottled,
  type BatteryState, type HealthSnapshot, type MachineIdentity,
} from './system.js';
export { drivers, findDriver } from './registry.js';
export { listSerialDevices, listFromSysfs, matchUsb, type UsbMatch, type SysfsRoots } from './discovery.js';
// Radio drivers (AIS, APRS over KISS, Meshtastic).
export { createAisPipeline, aisLineFramer, type AisPipeline } from './drivers/ais/pipeline.js';
export { AisDecoder, type AisMessage, type AisDecoderOptions } from './drivers/ais/decoder.js';
export type { AisReport } from './drivers/ais/report.js';
export { aisDriver, createAisToCot, ownShipFix, type AisCotOptions } from './drivers/ais/index.js';
export {
  kissAprsDriver, createAprsPipeline, createAprsToCot, AprsBeacon, beaconConfigProblem,
  type AprsPipeline, type AprsPacket, type AprsCotOptions, type BeaconOptions,
} from './drivers/kiss-aprs/index.js';
export {
  meshtasticDriver, createMeshtasticDriver, MeshtasticClient, MeshtasticSession, createMeshtasticToCot,
  type MeshtasticClientOptions, type MeshtasticMessage, type MeshtasticCotOptions,
} from './drivers/meshtastic/index.js';
