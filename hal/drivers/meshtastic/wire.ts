// The decoded shapes of the Meshtastic messages in schema.ts (fields present only when sent).
export interface WirePosition {
  latitudeI?: number;
  longitudeI?: number;
  altitude?: number;
  time?: number;
  locationSource?: number;
  altitudeSource?: number;
  timestamp?: number;
  altitudeHae?: number;
  PDOP?: number;
  HDOP?: number;
  gpsAccuracy?: number;
  groundSpeed?: number;
  groundTrack?: number;
  fixType?: number;
  satsInView?: number;
  precisionBits?: number;
}
export interface WireUser {
  id?: string;
  longName?: string;
  shortName?: string;
  hwModel?: number;
  isLicensed?: boolean;
  role?: number;
}
export interface WireDeviceMetrics {
  batteryLevel?: number;
  voltage?: number;
  channelUtilization?: number;
  airUtilTx?: number;
  uptimeSeconds?: number;
}
export interface WireNodeInfo {
  num?: number;
  user?: WireUser;
  position?: WirePosition;
  snr?: number;
  lastHeard?: number;
  deviceMetrics?: WireDeviceMetrics;
  hopsAway?: number;
}
export interface WireData {
  portnum?: number;
  payload?: Uint8Array;
  wantResponse?: boolean;
  requestId?: number;
  replyId?: number;
  emoji?: number;
}
export interface WireMeshPacket {
  from?: number;
  to?: number;
  channel?: number;
  decoded?: WireData;
  encrypted?: Uint8Array;
  id?: number;
  rxTime?: number;
  rxSnr?: number;
  hopLimit?: number;
  wantAck?: boolean;
  priority?: number;
  rxRssi?: number;
  viaMqtt?: boolean;
  hopStart?: number;
}
export interface WireFromRadio {
  id?: number;
  packet?: WireMeshPacket;
  myInfo?: { myNodeNum?: number; rebootCount?: number; nodedbCount?: number };
  nodeInfo?: WireNodeInfo;
  config?: { device?: { role?: number }; lora?: { hopLimit?: number; region?: number; modemPreset?: number } };
  logRecord?: { message?: string; level?: number; source?: string };
  configCompleteId?: number;
  rebooted?: boolean;
  channel?: { index?: number; role?: number; settings?: { name?: string } };
  queueStatus?: { res?: number; free?: number; maxlen?: number; meshPacketId?: number };
  metadata?: { firmwareVersion?: string; role?: number; hwModel?: number };
  clientNotification?: { message?: string; level?: number };
}
export interface WireTakPacket {
  isCompressed?: boolean;
  contact?: { callsign?: string; deviceCallsign?: string };
  group?: { role?: number; team?: number };
  status?: { battery?: number };
  pli?: { latitudeI?: number; longitudeI?: number; altitude?: number; speed?: number; course?: number };
  chat?: { message?: string; to?: string; toCallsign?: string; receiptForUid?: string; receiptType?: number };
  detail?: Uint8Array;
}
export interface WireTakPacketV2 {
  cotTypeId?: number;
  how?: number;
  callsign?: string;
  team?: number;
  role?: number;
  latitudeI?: number;
  longitudeI?: number;
  altitude?: number;
  /** cm/s */
  speed?: number;
  /** degrees × 100 */
  course?: number;
  battery?: number;
  uid?: string;
  deviceCallsign?: string;
}
