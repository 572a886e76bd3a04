// TAK protocol v1 (protobuf): the codec's public surface.
export { encodeTakMessage, decodeTakMessage } from './message.js';
export type { DecodedTakMessage } from './message.js';
export type { TakControlInfo } from './control.js';
export { encodeProtoStream, encodeProtoMesh } from './framing.js';
export { TAK_MAGIC, SUPPORTED_VERSION } from './header.js';
export { ProtoStreamDeframer, DEFAULT_MAX_FRAME_BYTES } from './deframer.js';
export type { ProtoStreamDeframerOptions, ProtoDeframerCounters } from './deframer.js';
