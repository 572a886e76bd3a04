// The meshtastic record's fixed slots, and the record for one radio session: framer, decoder
// and onOpen sharing that session's state (MeshtasticClient builds its Source from it).
import type { Driver, DriverKeyType, HalLogger } from '../../contract.js';
import { MeshtasticFramer } from '../../framers/meshtastic.js';
import { silentLogger } from '../../logger.js';
import { seconds } from '../settings.js';
import { MeshtasticDecoder } from './decoder.js';
import type { MeshtasticMessage } from './messages.js';
import type { MeshtasticSession } from './session.js';
import { createMeshtasticToCot } from './to-cot.js';

/** One PLI per 30 s on air (the airtime budget) unless pli_interval says. */
export const MESH_PLI_INTERVAL_SECONDS = 30;

/** What a meshtastic source sends to the mesh: `pli`, `chat`, both, or `none`. */
const MESH_SEND: DriverKeyType = { kind: 'string', pattern: /^\s*(none|(pli|chat)(\s*,\s*(pli|chat))*)\s*$/i, hint: 'pli, chat, "pli, chat" or none' };

/** The slots every meshtastic record shares. */
export const record: Pick<Driver, 'name' | 'summary' | 'produces' | 'defaults' | 'usb' | 'keys'> = {
  name: 'meshtastic',
  summary: 'Meshtastic radio (stream API: serial 115200 or TCP 4403) → node PLI, GeoChat, TAK packets',
  produces: 'cot',
  defaults: { baud: 115200, port: 4403 },
  usb: [
    // Boards whose USB id is their own MCU's (not a generic bridge chip shared with GPS pucks).
    { vendorId: '239a', productId: '8029', note: 'nRF52840 with the Adafruit bootloader (RAK4631, Seeed T1000-E and other Meshtastic nRF52 boards)' },
    { vendorId: '303a', productId: '1001', note: 'ESP32-S3 native USB (Heltec V3, T-Beam S3 and other Meshtastic boards)' },
  ],
  keys: [
    { key: 'pli_interval', type: seconds(15, 3600), defaultText: String(MESH_PLI_INTERVAL_SECONDS), doc: 'at most one position report per this many seconds on air (our own and relayed)' },
    { key: 'send', type: MESH_SEND, defaultText: 'pli, chat', doc: 'what goes to the mesh as TAK packets: pli (our own and relayed positions), chat (GeoChat)' },
  ],
};

/** The record for one radio session, with the handshake that onOpen starts (MeshtasticClient's). */
export function createMeshtasticDriver(session: MeshtasticSession, logger: HalLogger = silentLogger): Driver<Buffer, MeshtasticMessage> {
  const debugLog = logger.child({ radio: 'console' });
  return {
    ...record,
    framer: () => new MeshtasticFramer((line) => debugLog.debug({ line }, 'radio console')),
    decoder: () => new MeshtasticDecoder(session, logger),
    toCot: createMeshtasticToCot(),
    onOpen: () => session.openingBytes(),
  };
}

