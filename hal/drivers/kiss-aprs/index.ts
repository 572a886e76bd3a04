// The kiss-aprs driver record: APRS over a KISS TNC on serial (Mobilinkd, TNC-Pi, NinoTNC…)
// or KISS over TCP (Dire Wolf, port 8001).
import type { Driver } from '../../contract.js';
import { KissFramer } from '../../framers/kiss.js';
import { AprsDecoder } from './decoder.js';
import type { AprsPacket } from './packet.js';
import { createAprsToCot } from './to-cot.js';

export const kissAprsDriver: Driver<Buffer, AprsPacket> = {
  name: 'kiss-aprs',
  summary: 'APRS over a KISS TNC (serial, or Dire Wolf KISS-over-TCP on 8001) → station/object tracks',
  defaults: { baud: 9600, port: 8001 },
  // KISS TNCs sit behind generic USB-serial chips (FTDI, CP210x, CH340) that also carry GPS
  // receivers: no fingerprint says "TNC", so the driver is chosen in the config.
  usb: [],
  framer: () => new KissFramer(),
  decoder: () => new AprsDecoder(),
  toCot: createAprsToCot(),
};

export { AprsDecoder } from './decoder.js';
export type { AprsPacket } from './packet.js';
export { createAprsToCot, type AprsCotOptions } from './to-cot.js';
export { createAprsPipeline, type AprsPipeline } from './pipeline.js';
export { AprsBeacon, beaconConfigProblem, positionReport, type BeaconOptions } from './beacon.js';
