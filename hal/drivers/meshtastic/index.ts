// The meshtastic driver: the driver-table row and the session client.
import { createMeshtasticDriver } from './driver.js';
import { MeshtasticSession } from './session.js';

/** The driver-table row: one radio per row instance (use MeshtasticClient for the whole session). */
export const meshtasticDriver = createMeshtasticDriver(new MeshtasticSession());

export { createMeshtasticDriver } from './driver.js';
export { MeshtasticClient, type MeshtasticClientOptions } from './client.js';
export type { MeshtasticMessage, MeshNode, MeshPosition } from './messages.js';
export { createMeshtasticToCot, type MeshtasticCotOptions } from './to-cot.js';
export { MeshtasticSession } from './session.js';
