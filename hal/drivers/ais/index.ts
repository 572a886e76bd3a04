// The ais driver record: AIS receivers (dAISy and similar) on serial at 38400 baud, or
// AIVDM over TCP (AIS-catcher, AIS Dispatcher) or UDP, or a capture file.
import type { Driver } from '../../contract.js';
import { AisDecoder, type AisMessage } from './decoder.js';
import { aisLineFramer } from './pipeline.js';
import { createAisToCot } from './to-cot.js';

export const aisDriver: Driver<string, AisMessage> = {
  name: 'ais',
  summary: 'AIS receiver (!AIVDM/!AIVDO; types 1-5, 9, 18, 19, 21, 24, 27) → vessel tracks',
  defaults: { baud: 38400, port: 5050 },
  // AIS receivers use generic USB-serial chips (dAISy: the MCU's own CDC, others FTDI/CP210x)
  // that say nothing about AIS, so no fingerprint here: configure the driver by name.
  usb: [],
  framer: aisLineFramer,
  decoder: () => new AisDecoder(),
  toCot: createAisToCot(),
};

export { AisDecoder, type AisMessage } from './decoder.js';
export { createAisToCot, ownShipFix, type AisCotOptions } from './to-cot.js';
