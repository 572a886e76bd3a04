// The sim driver: a simulated NMEA receiver (link `sim://…`) decoded by the real NMEA
// framer and decoder. Powers the demo and the no-hardware tests.
import type { Driver, GnssFix } from '../../contract.js';
import { nmeaGnssDriver } from '../nmea-gnss/index.js';

export const simDriver: Driver<string, GnssFix> = {
  ...nmeaGnssDriver,
  name: 'sim',
  summary: 'simulated GNSS receiver (link sim://?lat=&lon=&speed=walk|drive|m/s): NMEA through the real decoder',
  defaults: {},
  usb: [],
  keys: [],
};

export { SimLinkProvider, simTrackOptions } from './link.js';
export { SimTrack, SIM_SPEEDS } from './track.js';
