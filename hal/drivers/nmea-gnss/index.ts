// The nmea-gnss driver record: any NMEA 0183 GNSS receiver on serial, TCP or a capture file.
import type { Driver, GnssFix } from '../../contract.js';
import { LineFramer } from '../../framers/lines.js';
import { NmeaGnssDecoder } from './decoder.js';

export const nmeaGnssDriver: Driver<string, GnssFix> = {
  name: 'nmea-gnss',
  summary: 'NMEA 0183 GNSS receiver (GGA RMC GSA GSV VTG GLL GST ZDA GNS, any talker)',
  produces: 'fix',
  defaults: { baud: 4800 },
  usb: [
    { vendorId: '1546', note: 'u-blox GNSS receiver' },
    { vendorId: '067b', productId: '2303', note: 'Prolific PL2303 (GlobalSat BU-353 and many pucks)' },
    { vendorId: '10c4', productId: 'ea60', note: 'Silicon Labs CP210x (many GNSS modules)' },
    { vendorId: '2c7c', note: 'Quectel GNSS/LTE module' },
    { vendorId: '1546', productId: '01a7', note: 'u-blox 7' },
  ],
  keys: [],
  framer: () => new LineFramer(),
  decoder: () => new NmeaGnssDecoder(),
};
