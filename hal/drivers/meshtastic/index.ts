// The meshtastic driver: the driver-table row, and the session client for tests and tools.
export { meshtasticDriver, meshSendKinds, type MeshSendKind } from './driver.js';
export { createMeshtasticDriver, MESH_PLI_INTERVAL_SECONDS } from './record.js';
export { MeshtasticClient, type MeshtasticClientOptions } from './client.js';
export type { MeshtasticMessage, MeshNode, MeshPosition } from './messages.js';
export { createMeshtasticToCot, type MeshtasticCotOptions } from './to-cot.js';
export { MeshtasticSession } from './session.js';
