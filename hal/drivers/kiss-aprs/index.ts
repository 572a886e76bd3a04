// The kiss-aprs driver record: APRS over a KISS TNC on serial (Mobilinkd, TNC-Pi, NinoTNC…)
// or KISS over TCP (Dire Wolf, port 8001). Outbound: with a callsign, the box's own position
// as an APRS beacon through the same TNC.
import type { Driver, DriverInstance, DriverKeyType, DriverOpenOptions } from '../../contract.js';
import { KissFramer } from '../../framers/kiss.js';
import { plainInstance } from '../../open.js';
import { COT_TYPE, numberSetting, seconds, stringSetting, trackKeys } from '../settings.js';
import { AprsBeacon, beaconConfigProblem } from './beacon.js';
import { BeaconTimer } from './beacon-timer.js';
import { AprsDecoder } from './decoder.js';
import type { AprsPacket } from './packet.js';
import { createAprsToCot } from './to-cot.js';

/** AX.25 callsign with optional SSID (the APRS beacon's source address). */
const AX25_CALLSIGN: DriverKeyType = { kind: 'string', pattern: /^[A-Za-z0-9]{1,6}(-(1[0-5]|[0-9]))?$/, hint: 'an amateur callsign of 1-6 letters/digits, optional -SSID 0-15, e.g. KD0ABC-9' };

export const kissAprsDriver: Driver<Buffer, AprsPacket> = {
  name: 'kiss-aprs',
  summary: 'APRS over a KISS TNC (serial, or Dire Wolf KISS-over-TCP on 8001) → station/object tracks',
  produces: 'cot',
  defaults: { baud: 9600, port: 8001 },
  // KISS TNCs sit behind generic USB-serial chips (FTDI, CP210x, CH340) that also carry GPS
  // receivers: no fingerprint says "TNC", so the driver is chosen in the config.
  usb: [],
  keys: [
    ...trackKeys('APRS.', 'callsign-SSID', { key: 'cot_type', type: COT_TYPE, defaultText: 'a-f-G-I-U-T-r', doc: 'CoT type of every station' }),
    { key: 'callsign', type: AX25_CALLSIGN, doc: 'amateur callsign to beacon our position with (unset or N0CALL: no transmit)' },
    { key: 'beacon_interval', type: seconds(60, 86400), defaultText: '600', doc: 'seconds between position beacons' },
  ],
  framer: () => new KissFramer(),
  decoder: () => new AprsDecoder(),
  toCot: createAprsToCot(),
  open(options) {
    const { settings } = options;
    const instance = plainInstance(kissAprsDriver, options);
    instance.toCot = createAprsToCot({ uidPrefix: stringSetting(settings, 'uid_prefix'), type: stringSetting(settings, 'cot_type'), staleSeconds: numberSetting(settings, 'stale') });
    return withBeacon(instance, options);
  },
};

/** The source with its beacon, when a usable callsign is configured: started and stopped together. */
function withBeacon(instance: DriverInstance<AprsPacket>, options: DriverOpenOptions): DriverInstance<AprsPacket> {
  const callsign = stringSetting(options.settings, 'callsign')?.toUpperCase();
  if (callsign === undefined) return instance;
  const beaconOptions = { callsign, intervalSeconds: numberSetting(options.settings, 'beacon_interval') };
  const problem = beaconConfigProblem(beaconOptions);
  if (problem !== undefined) {
    options.logger.warn({ problem }, 'APRS beacon off');
    return instance;
  }
  const { source } = instance;
  const beacon = new BeaconTimer(new AprsBeacon(beaconOptions), options.ownFix, (frame) => source.write(frame), options.logger);
  beacon.start();
  return {
    ...instance,
    counters: () => ({ ...beacon.counters }),
    stop: async () => {
      beacon.stop();
      await instance.stop();
    },
  };
}

export { AprsDecoder } from './decoder.js';
export type { AprsPacket } from './packet.js';
export { createAprsToCot, type AprsCotOptions } from './to-cot.js';
export { createAprsPipeline, type AprsPipeline } from './pipeline.js';
export { AprsBeacon, beaconConfigProblem, positionReport, type BeaconOptions } from './beacon.js';
