// The ais driver record: AIS receivers (dAISy and similar) on serial at 38400 baud, or
// AIVDM over TCP (AIS-catcher, AIS Dispatcher) or UDP, or a capture file.
import type { Driver, DriverSettings } from '../../contract.js';
import { plainInstance } from '../../open.js';
import { booleanSetting, COT_TYPE, numberSetting, stringSetting, trackKeys } from '../settings.js';
import { AisDecoder, type AisMessage } from './decoder.js';
import { aisLineFramer } from './pipeline.js';
import { createAisToCot, ownShipFix } from './to-cot.js';

const ownPosition = (settings: DriverSettings): boolean => booleanSetting(settings, 'own_position') ?? false;

export const aisDriver: Driver<string, AisMessage> = {
  name: 'ais',
  summary: 'AIS receiver (!AIVDM/!AIVDO; types 1-5, 9, 18, 19, 21, 24, 27) → vessel tracks',
  produces: 'cot',
  defaults: { baud: 38400, port: 5050 },
  // AIS receivers use generic USB-serial chips (dAISy: the MCU's own CDC, others FTDI/CP210x)
  // that say nothing about AIS, so no fingerprint here: configure the driver by name.
  usb: [],
  keys: [
    ...trackKeys('AIS.', 'MMSI', { key: 'cot_type', type: COT_TYPE, defaultText: 'a-u-S-X-M', doc: 'CoT type when the ship type says nothing more' }),
    { key: 'own_position', type: { kind: 'boolean' }, defaultText: 'false', doc: "own-ship reports (!AIVDO) are the box's position, like a GPS" },
  ],
  framer: aisLineFramer,
  decoder: () => new AisDecoder(),
  toCot: createAisToCot(),
  open(options) {
    const { settings } = options;
    const instance = plainInstance(aisDriver, options);
    instance.toCot = createAisToCot({ uidPrefix: stringSetting(settings, 'uid_prefix'), defaultType: stringSetting(settings, 'cot_type'), staleSeconds: numberSetting(settings, 'stale') });
    if (ownPosition(settings)) instance.ownFix = (message) => ownShipFix(message, Date.now());
    return instance;
  },
  givesOwnFix: ownPosition,
};

export { AisDecoder, type AisMessage } from './decoder.js';
export { createAisToCot, ownShipFix, type AisCotOptions } from './to-cot.js';
