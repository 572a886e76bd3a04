/**
 * Meshtastic decoder: one FromRadio frame → zero or more MeshtasticMessages.
 *
 * Mesh packets are dispatched by port: POSITION, NODEINFO, TEXT_MESSAGE, TELEMETRY (battery
 * into the node table) and ATAK_PLUGIN (TAKPacket PLI and GeoChat). Control messages
 * (my_info, config_complete_id, rebooted, queue status, hop limit) update the session and are
 * emitted for the client. Packets from our own node, encrypted ones (no key), other ports and
 * frames that are not protobuf are counted; nothing is thrown.
 *
 * TAK V1 duplicates: 2.7 firmware hands the host both a decompressed copy and the compressed
 * original of each packet (same from/id). The first copy wins; a compressed copy seen first
 * is shown with the node's known TAK uid and callsign, never with its compressed strings.
 */
import type { Decoder, HalLogger } from '../../contract.js';
import { silentLogger } from '../../logger.js';
import type { MeshPosition, MeshtasticMessage } from './messages.js';
import { toMeshPosition } from './position.js';
import { FromRadioType, PositionType, TakPacketType, TakPacketV2Type, TelemetryType, UserType, decodePlain } from './schema.js';
import type { MeshtasticSession } from './session.js';
import { PORT, nodeId, roleName, teamName } from './tables.js';
import type { WireFromRadio, WireMeshPacket, WirePosition, WireTakPacket, WireTakPacketV2, WireUser } from './wire.js';

const RECENT_PACKETS = 256;

export class MeshtasticDecoder implements Decoder<Buffer, MeshtasticMessage> {
  readonly counters: Record<string, number> = {
    frames: 0, packets: 0, notProtobuf: 0, encrypted: 0, ownPackets: 0, duplicates: 0, noPosition: 0,
    otherPorts: 0, takDetail: 0, takV2Compressed: 0, routing: 0, badPayload: 0, logRecords: 0,
  };
  private readonly recent = new Set<string>();
  private readonly logger: HalLogger;

  constructor(private readonly session: MeshtasticSession, logger: HalLogger = silentLogger) {
    this.logger = logger;
  }

  decode(frame: Buffer, emit: (message: MeshtasticMessage) => void): void {
    this.counters.frames++;
    let message: WireFromRadio;
    try {
      message = decodePlain<WireFromRadio>(FromRadioType, frame);
    } catch {
      this.counters.notProtobuf++;
      return;
    }
    const session = this.session;
    if (message.packet !== undefined) this.packet(message.packet, emit);
    if (message.myInfo?.myNodeNum !== undefined) {
      session.myNodeNum = message.myInfo.myNodeNum >>> 0;
      emit({ kind: 'my-info', nodeNum: session.myNodeNum });
    }
    if (message.nodeInfo?.num !== undefined) this.nodeInfo(message.nodeInfo.num >>> 0, message.nodeInfo.user, message.nodeInfo.position, message.nodeInfo.deviceMetrics?.batteryLevel, emit);
    if (message.config?.lora?.hopLimit !== undefined) {
      session.hopLimit = message.config.lora.hopLimit;
      emit({ kind: 'hop-limit', hopLimit: session.hopLimit });
    }
    if (message.logRecord?.message !== undefined) {
      this.counters.logRecords++;
      this.logger.debug({ radioLog: message.logRecord.message, source: message.logRecord.source }, 'radio log');
    }
    if (message.metadata?.firmwareVersion !== undefined) {
      session.firmwareVersion = message.metadata.firmwareVersion;
      emit({ kind: 'firmware', version: message.metadata.firmwareVersion });
    }
    if (message.clientNotification?.message !== undefined) this.logger.info({ notification: message.clientNotification.message }, 'radio notification');
    if (message.queueStatus !== undefined) {
      const q = message.queueStatus;
      emit({ kind: 'queue-status', free: q.free ?? 0, maxlen: q.maxlen ?? 0, packetId: q.meshPacketId ?? 0, result: q.res ?? 0 });
    }
    if (message.configCompleteId !== undefined) {
      const ours = message.configCompleteId === session.nonce;
      if (ours) session.configComplete = true;
      emit({ kind: 'config-complete', id: message.configCompleteId, ours });
    }
    if (message.rebooted === true) {
      session.configComplete = false;
      emit({ kind: 'rebooted' });
    }
  }

  flush(_emit: (message: MeshtasticMessage) => void): void {
    // Frames stand alone.
  }

  reset(): void {
    this.recent.clear();
  }

  private packet(packet: WireMeshPacket, emit: (message: MeshtasticMessage) => void): void {
    this.counters.packets++;
    if (packet.encrypted !== undefined && packet.decoded === undefined) {
      this.counters.encrypted++;
      return;
    }
    const data = packet.decoded;
    if (data === undefined) return;
    const from = (packet.from ?? 0) >>> 0;
    if (this.session.myNodeNum !== undefined && from === this.session.myNodeNum) {
      this.counters.ownPackets++;
      return;
    }
    const payload = data.payload ?? new Uint8Array(0);
    const base = { from, packetId: (packet.id ?? 0) >>> 0, channel: packet.channel ?? 0 };
    try {
      switch (data.portnum) {
        case PORT.POSITION_APP:
          return this.position(base, decodePlain<WirePosition>(PositionType, payload), emit);
        case PORT.NODEINFO_APP:
          return this.nodeInfo(from, decodePlain<WireUser>(UserType, payload), undefined, undefined, emit);
        case PORT.TEXT_MESSAGE_APP:
          if (data.emoji) return; // a reaction, not text
          emit({ ...base, kind: 'text', node: this.session.nodes.touch(from), to: (packet.to ?? 0) >>> 0, text: Buffer.from(payload).toString('utf8') });
          return;
        case PORT.TELEMETRY_APP: {
          const battery = decodePlain<{ deviceMetrics?: { batteryLevel?: number } }>(TelemetryType, payload).deviceMetrics?.batteryLevel;
          if (battery !== undefined && battery <= 100) this.session.nodes.touch(from).battery = battery;
          return;
        }
        case PORT.ATAK_PLUGIN:
          return this.takPacket(base, decodePlain<WireTakPacket>(TakPacketType, payload), emit);
        case PORT.ATAK_PLUGIN_V2:
          return this.takPacketV2(base, payload, emit);
        case PORT.ROUTING_APP:
          this.counters.routing++;
          return;
        default:
          this.counters.otherPorts++;
      }
    } catch {
      this.counters.badPayload++;
    }
  }

  private position(base: { from: number; packetId: number; channel: number }, wire: WirePosition, emit: (message: MeshtasticMessage) => void): void {
    const position = toMeshPosition(wire);
    if (position === undefined) {
      this.counters.noPosition++;
      return;
    }
    const node = this.session.nodes.touch(base.from);
    node.position = position;
    emit({ ...base, kind: 'position', node, position });
  }

  private nodeInfo(num: number, user: WireUser | undefined, wirePosition: WirePosition | undefined, battery: number | undefined, emit: (message: MeshtasticMessage) => void): void {
    if (num === this.session.myNodeNum) return;
    const node = this.session.nodes.touch(num);
    if (user?.longName) node.longName = user.longName;
    if (user?.shortName) node.shortName = user.shortName;
    if (battery !== undefined && battery <= 100) node.battery = battery;
    const position = wirePosition === undefined ? undefined : toMeshPosition(wirePosition);
    if (position !== undefined) node.position = position;
    emit({ kind: 'nodeinfo', from: num, node, packetId: 0, channel: 0 });
  }

  private takPacket(base: { from: number; packetId: number; channel: number }, tak: WireTakPacket, emit: (message: MeshtasticMessage) => void): void {
    const key = `${base.from}:${base.packetId}`;
    if (base.packetId !== 0) {
      if (this.recent.has(key)) {
        this.counters.duplicates++;
        return;
      }
      this.recent.add(key);
      if (this.recent.size > RECENT_PACKETS) this.recent.delete(this.recent.values().next().value as string);
    }
    const node = this.session.nodes.touch(base.from);
    const compressed = tak.isCompressed === true;
    if (!compressed && tak.contact?.deviceCallsign) node.takUid = tak.contact.deviceCallsign;
    if (!compressed && tak.contact?.callsign) node.takCallsign = tak.contact.callsign;
    if (tak.status?.battery !== undefined && tak.status.battery <= 100) node.battery = tak.status.battery;
    const uid = node.takUid ?? `MESHTASTIC-${nodeId(base.from)}`;
    const callsign = node.takCallsign ?? node.longName ?? node.shortName ?? nodeId(base.from);
    const team = teamName(tak.group?.team);
    const role = roleName(tak.group?.role);
    if (tak.pli !== undefined) {
      const { latitudeI = 0, longitudeI = 0 } = tak.pli;
      const lat = latitudeI * 1e-7;
      const lon = longitudeI * 1e-7;
      if ((latitudeI === 0 && longitudeI === 0) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
        this.counters.noPosition++;
        return;
      }
      const position: MeshPosition = { lat, lon, altitude: tak.pli.altitude ?? 0 };
      // A compressed V1 PLI from 2.7 TAK_TRACKER firmware carries km/h and a wrapped course: not usable.
      if (!compressed) {
        position.speed = tak.pli.speed ?? 0;
        if ((tak.pli.course ?? 0) <= 360) position.course = (tak.pli.course ?? 0) % 360;
      }
      node.position = position;
      const message: MeshtasticMessage = { ...base, kind: 'tak-pli', node, uid, callsign, team, role, position, compressed };
      if (node.battery !== undefined) message.battery = node.battery;
      emit(message);
    } else if (tak.chat !== undefined) {
      if (compressed) {
        this.counters.compressedChat = (this.counters.compressedChat ?? 0) + 1; // never show compressed bytes as text
        return;
      }
      const message: MeshtasticMessage = { ...base, kind: 'tak-chat', node, uid, callsign, team, role, text: tak.chat.message ?? '' };
      if (tak.chat.to) message.to = tak.chat.to;
      if (tak.chat.toCallsign) message.toCallsign = tak.chat.toCallsign;
      emit(message);
    } else {
      this.counters.takDetail++;
    }
  }

  /**
   * ATAK_PLUGIN_V2: a flags byte, then the body. Only 0xFF (a raw TAKPacketV2, what tracker
   * firmware sends) is decoded; zstd-dictionary bodies need GPL dictionaries and are counted.
   */
  private takPacketV2(base: { from: number; packetId: number; channel: number }, payload: Uint8Array, emit: (message: MeshtasticMessage) => void): void {
    if (payload.length < 1 || payload[0] !== 0xff) {
      this.counters.takV2Compressed++;
      return;
    }
    const tak = decodePlain<WireTakPacketV2>(TakPacketV2Type, payload.subarray(1));
    const { latitudeI = 0, longitudeI = 0 } = tak;
    const lat = latitudeI * 1e-7;
    const lon = longitudeI * 1e-7;
    if ((latitudeI === 0 && longitudeI === 0) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
      this.counters.noPosition++;
      return;
    }
    const node = this.session.nodes.touch(base.from);
    if (tak.uid) node.takUid = tak.uid;
    if (tak.callsign) node.takCallsign = tak.callsign;
    if (tak.battery !== undefined && tak.battery <= 100) node.battery = tak.battery;
    const position: MeshPosition = { lat, lon, altitude: tak.altitude ?? 0, speed: (tak.speed ?? 0) / 100 };
    if (tak.course !== undefined && tak.course < 36000) position.course = tak.course / 100;
    node.position = position;
    const message: MeshtasticMessage = {
      ...base, kind: 'tak-pli', node, position, compressed: false,
      uid: node.takUid ?? `MESHTASTIC-${nodeId(base.from)}`,
      callsign: node.takCallsign ?? node.longName ?? nodeId(base.from),
      team: teamName(tak.team), role: roleName(tak.role),
    };
    if (node.battery !== undefined) message.battery = node.battery;
    emit(message);
  }
}
