/**
 * One radio connection's protocol state, shared by the driver's onOpen (which starts the
 * handshake), the decoder (which sees it complete) and the client (heartbeats, sends):
 * the want_config nonce, whether the config dump is complete, our node number, the mesh's
 * hop limit, packet ids, and the node table.
 */
import { randomInt } from 'node:crypto';
import { MESHTASTIC_WAKE, meshtasticFrame } from '../../framers/meshtastic.js';
import type { MeshNode } from './messages.js';
import { ToRadioType, encodePlain } from './schema.js';
import { nodeId } from './tables.js';

/** Nonces with a special meaning to the firmware (reduced config dumps). */
const SPECIAL_NONCES = new Set([69420, 69421]);

export class NodeTable {
  private readonly nodes = new Map<number, MeshNode>();

  constructor(private readonly capacity = 1024) {}

  get size(): number {
    return this.nodes.size;
  }

  get(num: number): MeshNode | undefined {
    return this.nodes.get(num);
  }

  /** The node's record, created (and the least recently touched one evicted) if new. */
  touch(num: number): MeshNode {
    let node = this.nodes.get(num);
    if (node !== undefined) {
      this.nodes.delete(num);
    } else {
      node = { num, id: nodeId(num) };
      if (this.nodes.size >= this.capacity) this.nodes.delete(this.nodes.keys().next().value as number);
    }
    this.nodes.set(num, node);
    return node;
  }
}

export class MeshtasticSession {
  nonce = 0;
  configComplete = false;
  handshakeStartedAt = 0;
  myNodeNum: number | undefined;
  /** Config.lora.hop_limit once the radio said; 3 (the firmware default) until then. */
  hopLimit = 3;
  firmwareVersion: string | undefined;
  readonly nodes = new NodeTable();
  private packetCounter = randomInt(0, 1024);

  constructor(private readonly clock: () => number = Date.now) {}

  /** Wake bytes, then want_config with a fresh nonce: what is written when the link opens. */
  openingBytes(): Buffer {
    return Buffer.concat([MESHTASTIC_WAKE, this.wantConfigFrame()]);
  }

  wantConfigFrame(): Buffer {
    let nonce = randomInt(1, 0x7fffffff);
    while (SPECIAL_NONCES.has(nonce)) nonce = randomInt(1, 0x7fffffff);
    this.nonce = nonce;
    this.configComplete = false;
    this.handshakeStartedAt = this.clock();
    return meshtasticFrame(encodePlain(ToRadioType, { wantConfigId: nonce }));
  }

  heartbeatFrame(): Buffer {
    return meshtasticFrame(encodePlain(ToRadioType, { heartbeat: {} }));
  }

  disconnectFrame(): Buffer {
    return meshtasticFrame(encodePlain(ToRadioType, { disconnect: true }));
  }

  /** Unique non-zero packet ids: a 10-bit counter in the low bits, 22 random high bits (the firmware drops repeats of its last 20). */
  nextPacketId(): number {
    this.packetCounter = (this.packetCounter + 1) & 0x3ff;
    return ((randomInt(1, 1 << 22) << 10) | this.packetCounter) >>> 0;
  }
}
