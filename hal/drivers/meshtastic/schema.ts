/**
 * The Meshtastic messages takd speaks, written from the field tables in spec/radios.md §1.5–1.6
 * (Meshtastic's own .proto files are GPL-3.0 and are not used). Declared as a table and
 * turned into protobufjs reflection types once, on first use (a daemon without a Meshtastic
 * radio should not keep the Root and its generated code resident), like the TAK schema in
 * daemon/codec/proto/schema.ts. Only the fields a client needs are declared; protobuf skips
 * the rest by wire type. Enums are plain integers here (names in tables.ts).
 *
 * protobufjs treats these descriptors as proto3: zero values are not written, and on decode
 * `toObject(…, { defaults: false })` shows which fields were present ("optional" fields).
 */
import { createRequire } from 'node:module';
import type protobuf from 'protobufjs';

/**
 * protobufjs's light build (reflection from JSON descriptors), loaded when the first
 * message is encoded or decoded rather than imported: every daemon loads the driver table,
 * few have a Meshtastic radio, and protobufjs keeps ~1.5 MiB resident. In the single
 * binary's CommonJS bundle `require` exists and esbuild turns this call into a lazy require
 * of the bundled copy; run from tsc's ES modules, Node's createRequire loads it.
 */
function loadProtobuf(): typeof protobuf {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (typeof require === 'function' ? require('protobufjs/light.js') : createRequire(import.meta.url)('protobufjs/light.js')) as typeof protobuf;
}

type Scalar = 'string' | 'bytes' | 'bool' | 'uint32' | 'int32' | 'sint32' | 'fixed32' | 'sfixed32' | 'float';

/** message → field name → [field number, type]. */
export const MESH_SCHEMA: Record<string, Record<string, [number, string]>> = {
  ToRadio: { packet: [1, 'MeshPacket'], wantConfigId: [3, 'uint32'], disconnect: [4, 'bool'], heartbeat: [7, 'Heartbeat'] },
  Heartbeat: { nonce: [1, 'uint32'] },
  FromRadio: {
    id: [1, 'uint32'],
    packet: [2, 'MeshPacket'],
    myInfo: [3, 'MyNodeInfo'],
    nodeInfo: [4, 'NodeInfo'],
    config: [5, 'Config'],
    logRecord: [6, 'LogRecord'],
    configCompleteId: [7, 'uint32'],
    rebooted: [8, 'bool'],
    channel: [10, 'Channel'],
    queueStatus: [11, 'QueueStatus'],
    metadata: [13, 'DeviceMetadata'],
    clientNotification: [16, 'ClientNotification'],
  },
  MeshPacket: {
    from: [1, 'fixed32'],
    to: [2, 'fixed32'],
    channel: [3, 'uint32'],
    decoded: [4, 'Data'],
    encrypted: [5, 'bytes'],
    id: [6, 'fixed32'],
    rxTime: [7, 'fixed32'],
    rxSnr: [8, 'float'],
    hopLimit: [9, 'uint32'],
    wantAck: [10, 'bool'],
    priority: [11, 'uint32'],
    rxRssi: [12, 'int32'],
    viaMqtt: [14, 'bool'],
    hopStart: [15, 'uint32'],
  },
  Data: { portnum: [1, 'uint32'], payload: [2, 'bytes'], wantResponse: [3, 'bool'], requestId: [6, 'fixed32'], replyId: [7, 'fixed32'], emoji: [8, 'fixed32'] },
  Position: {
    latitudeI: [1, 'sfixed32'],
    longitudeI: [2, 'sfixed32'],
    altitude: [3, 'int32'],
    time: [4, 'fixed32'],
    locationSource: [5, 'uint32'],
    altitudeSource: [6, 'uint32'],
    timestamp: [7, 'fixed32'],
    altitudeHae: [9, 'sint32'],
    PDOP: [11, 'uint32'],
    HDOP: [12, 'uint32'],
    gpsAccuracy: [14, 'uint32'],
    groundSpeed: [15, 'uint32'],
    groundTrack: [16, 'uint32'],
    fixType: [18, 'uint32'],
    satsInView: [19, 'uint32'],
    precisionBits: [23, 'uint32'],
  },
  User: { id: [1, 'string'], longName: [2, 'string'], shortName: [3, 'string'], hwModel: [5, 'uint32'], isLicensed: [6, 'bool'], role: [7, 'uint32'] },
  NodeInfo: { num: [1, 'uint32'], user: [2, 'User'], position: [3, 'Position'], snr: [4, 'float'], lastHeard: [5, 'fixed32'], deviceMetrics: [6, 'DeviceMetrics'], channel: [7, 'uint32'], hopsAway: [9, 'uint32'] },
  MyNodeInfo: { myNodeNum: [1, 'uint32'], rebootCount: [8, 'uint32'], nodedbCount: [15, 'uint32'] },
  DeviceMetadata: { firmwareVersion: [1, 'string'], role: [7, 'uint32'], hwModel: [9, 'uint32'] },
  Config: { device: [1, 'DeviceConfig'], lora: [6, 'LoRaConfig'] },
  DeviceConfig: { role: [1, 'uint32'] },
  LoRaConfig: { modemPreset: [2, 'uint32'], region: [7, 'uint32'], hopLimit: [8, 'uint32'] },
  Channel: { index: [1, 'int32'], settings: [2, 'ChannelSettings'], role: [3, 'uint32'] },
  ChannelSettings: { psk: [2, 'bytes'], name: [3, 'string'], id: [4, 'fixed32'] },
  QueueStatus: { res: [1, 'int32'], free: [2, 'uint32'], maxlen: [3, 'uint32'], meshPacketId: [4, 'uint32'] },
  LogRecord: { message: [1, 'string'], time: [2, 'fixed32'], source: [3, 'string'], level: [4, 'uint32'] },
  ClientNotification: { replyId: [1, 'uint32'], time: [2, 'fixed32'], level: [3, 'uint32'], message: [4, 'string'] },
  Routing: { errorReason: [3, 'uint32'] },
  Telemetry: { time: [1, 'fixed32'], deviceMetrics: [2, 'DeviceMetrics'] },
  DeviceMetrics: { batteryLevel: [1, 'uint32'], voltage: [2, 'float'], channelUtilization: [3, 'float'], airUtilTx: [4, 'float'], uptimeSeconds: [5, 'uint32'] },
  // ATAK_PLUGIN (port 72) payload, §1.6
  TAKPacket: { isCompressed: [1, 'bool'], contact: [2, 'TakContact'], group: [3, 'TakGroup'], status: [4, 'TakStatus'], pli: [5, 'TakPli'], chat: [6, 'TakGeoChat'], detail: [7, 'bytes'] },
  TakContact: { callsign: [1, 'string'], deviceCallsign: [2, 'string'] },
  TakGroup: { role: [1, 'uint32'], team: [2, 'uint32'] },
  TakStatus: { battery: [1, 'uint32'] },
  TakPli: { latitudeI: [1, 'sfixed32'], longitudeI: [2, 'sfixed32'], altitude: [3, 'int32'], speed: [4, 'uint32'], course: [5, 'uint32'] },
  // ATAK_PLUGIN_V2 (port 78) body after the 0xFF flags byte, §1.8: the PLI fields a tracker fills
  TAKPacketV2: {
    cotTypeId: [1, 'uint32'], how: [2, 'uint32'], callsign: [3, 'string'], team: [4, 'uint32'], role: [5, 'uint32'],
    latitudeI: [6, 'sfixed32'], longitudeI: [7, 'sfixed32'], altitude: [8, 'sint32'], speed: [9, 'uint32'], course: [10, 'uint32'],
    battery: [11, 'uint32'], uid: [14, 'string'], deviceCallsign: [15, 'string'],
  },
  TakGeoChat: { message: [1, 'string'], to: [2, 'string'], toCallsign: [3, 'string'], receiptForUid: [4, 'string'], receiptType: [5, 'uint32'] },
};

export const MESH_MESSAGE_NAMES = Object.keys(MESH_SCHEMA);

function buildRoot(): protobuf.Root {
  const nested: Record<string, protobuf.IType> = {};
  for (const [message, fields] of Object.entries(MESH_SCHEMA)) {
    const jsonFields: Record<string, protobuf.IField> = {};
    for (const [name, [id, type]] of Object.entries(fields)) jsonFields[name] = { id, type: type as Scalar | string };
    nested[message] = { fields: jsonFields };
  }
  const root = loadProtobuf().Root.fromJSON({ nested: { takd: { nested: { meshtastic: { nested } } } } });
  root.resolveAll();
  return root;
}

let root: protobuf.Root | undefined;

/** One message of the table; its reflection type is looked up (and the Root built) on first use. */
export class MeshMessageType {
  private resolved: protobuf.Type | undefined;
  constructor(readonly name: string) {}

  get reflection(): protobuf.Type {
    root ??= buildRoot();
    this.resolved ??= root.lookupType(`takd.meshtastic.${this.name}`);
    return this.resolved;
  }
}

export const ToRadioType = new MeshMessageType('ToRadio');
export const FromRadioType = new MeshMessageType('FromRadio');
export const MeshPacketType = new MeshMessageType('MeshPacket');
export const DataType = new MeshMessageType('Data');
export const PositionType = new MeshMessageType('Position');
export const UserType = new MeshMessageType('User');
export const NodeInfoType = new MeshMessageType('NodeInfo');
export const RoutingType = new MeshMessageType('Routing');
export const TelemetryType = new MeshMessageType('Telemetry');
export const TakPacketType = new MeshMessageType('TAKPacket');
export const TakPacketV2Type = new MeshMessageType('TAKPacketV2');

/** Decodes `bytes` as `messageType` into a plain object holding only the fields present. Throws on malformed input. */
export function decodePlain<T>(messageType: MeshMessageType, bytes: Uint8Array): T {
  const type = messageType.reflection;
  return type.toObject(type.decode(bytes), { defaults: false, longs: Number }) as T;
}

/** Encodes a plain object (field names as above). */
export function encodePlain(messageType: MeshMessageType, value: object): Uint8Array {
  const type = messageType.reflection;
  return type.encode(type.fromObject(value)).finish();
}
