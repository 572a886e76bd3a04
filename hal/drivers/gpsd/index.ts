// The gpsd driver: takd as a gpsd client (`tcp://127.0.0.1:2947`), for boxes where gpsd
// already owns the receiver. Asks for JSON reports on connect; TPV and SKY become fixes.
import type { Driver, GnssFix } from '../../contract.js';
import { LineFramer } from '../../framers/lines.js';
import { GpsdDecoder } from './decoder.js';

export const GPSD_DEFAULT_PORT = 2947;
export const GPSD_WATCH = '?WATCH={"enable":true,"json":true}\n';

export const gpsdDriver: Driver<string, GnssFix> = {
  name: 'gpsd',
  summary: 'gpsd client (TPV and SKY reports), default link tcp://127.0.0.1:2947',
  produces: 'fix',
  defaults: { port: GPSD_DEFAULT_PORT },
  defaultLink: `tcp://127.0.0.1:${GPSD_DEFAULT_PORT}`,
  usb: [],
  keys: [],
  // gpsd's reports are single lines; SKY with many satellites runs to a few kilobytes.
  framer: () => new LineFramer({ startChars: '{', restartOnStartChar: false, requireChecksum: false, maxLength: 64 * 1024 }),
  decoder: () => new GpsdDecoder(),
  onOpen: () => Buffer.from(GPSD_WATCH),
};

export { GpsdDecoder } from './decoder.js';
