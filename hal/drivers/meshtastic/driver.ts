// The meshtastic driver record for one radio session: a Meshtastic radio's stream API on
// serial (115200) or TCP (4403). The record alone decodes what the radio sends after the
// handshake that onOpen starts; MeshtasticClient adds the rest of the session (handshake
// retries, reboots, heartbeats, sending TAK packets with an airtime budget).
import type { Driver, HalLogger } from '../../contract.js';
import { MeshtasticFramer } from '../../framers/meshtastic.js';
import { silentLogger } from '../../logger.js';
import { MeshtasticDecoder } from './decoder.js';
import type { MeshtasticMessage } from './messages.js';
import type { MeshtasticSession } from './session.js';
import { createMeshtasticToCot } from './to-cot.js';

export function createMeshtasticDriver(session: MeshtasticSession, logger: HalLogger = silentLogger): Driver<Buffer, MeshtasticMessage> {
  const debugLog = logger.child({ radio: 'console' });
  return {
    name: 'meshtastic',
    summary: 'Meshtastic radio (stream API: serial 115200 or TCP 4403) → node PLI, GeoChat, TAK packets',
    defaults: { baud: 115200, port: 4403 },
    usb: [
      // Boards whose USB id is their own MCU's (not a generic bridge chip shared with GPS pucks).
      { vendorId: '239a', productId: '8029', note: 'nRF52840 with the Adafruit bootloader (RAK4631, Seeed T1000-E and other Meshtastic nRF52 boards)' },
      { vendorId: '303a', productId: '1001', note: 'ESP32-S3 native USB (Heltec V3, T-Beam S3 and other Meshtastic boards)' },
    ],
    framer: () => new MeshtasticFramer((line) => debugLog.debug({ line }, 'radio console')),
    decoder: () => new MeshtasticDecoder(session, logger),
    toCot: createMeshtasticToCot(),
    onOpen: () => session.openingBytes(),
  };
}

