// What the Meshtastic decoder emits: mesh traffic ready for toCot, and the radio's own
// control messages (handshake progress, reboots, queue status) for the client.

/** What is known about one mesh node (from NODEINFO, POSITION, telemetry and TAK packets). */
export interface MeshNode {
  num: number;
  /** `!xxxxxxxx`. */
  id: string;
  longName?: string;
  shortName?: string;
  /** Battery percent 0–100 (telemetry or TAK status). */
  battery?: number;
  /** The TAK uid and callsign this node's ATAK plugin uses (learnt from TAKPacket contact). */
  takUid?: string;
  takCallsign?: string;
  position?: MeshPosition;
}

export interface MeshPosition {
  lat: number;
  lon: number;
  /** Metres; HAE when `altitudeIsMsl` is false. */
  altitude?: number;
  altitudeIsMsl?: boolean;
  /** Metres per second. */
  speed?: number;
  /** Degrees true. */
  course?: number;
  /** Circular error estimate, metres (from precision bits or accuracy × HDOP). */
  ce?: number;
  /** Set manually on the node rather than by GNSS. */
  manual?: boolean;
}

interface FromNode {
  /** Sender node number, its node record (as known now) and the packet id. */
  from: number;
  node: MeshNode;
  packetId: number;
  channel: number;
}

export type MeshtasticMessage =
  | (FromNode & { kind: 'position'; position: MeshPosition })
  | (FromNode & { kind: 'nodeinfo' })
  | (FromNode & { kind: 'text'; to: number; text: string })
  | (FromNode & {
      kind: 'tak-pli';
      uid: string;
      callsign: string;
      team: string;
      role: string;
      battery?: number;
      position: MeshPosition;
      /** Strings were unishox2-compressed: uid/callsign come from the node DB instead. */
      compressed: boolean;
    })
  | (FromNode & { kind: 'tak-chat'; uid: string; callsign: string; team: string; role: string; text: string; to?: string; toCallsign?: string })
  | { kind: 'my-info'; nodeNum: number }
  | { kind: 'config-complete'; id: number; ours: boolean }
  | { kind: 'rebooted' }
  | { kind: 'hop-limit'; hopLimit: number }
  | { kind: 'queue-status'; free: number; maxlen: number; packetId: number; result: number }
  | { kind: 'firmware'; version: string };
