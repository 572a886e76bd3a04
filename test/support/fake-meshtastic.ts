/**
 * A fake Meshtastic radio that speaks the stream API on stdin/stdout, for tests. Run it
 * behind socat so takd sees a real serial device:
 *
 *   socat pty,raw,echo=0,link=HOST EXEC:"node fake-meshtastic.js LOG NODE_HEX"
 *
 * Like serial firmware it prints console text until the host sends a frame; on want_config
 * it dumps my_info, metadata, its own node_info, the lora config (hop limit 3), a remote
 * node with a position, then config_complete_id = the nonce; then it sends one POSITION_APP
 * and one TEXT_MESSAGE_APP packet from that remote node. Every ToRadio it receives is
 * appended to LOG as one JSON line ({ kind, ... }); packets are answered with a QueueStatus,
 * except the text packet `reboot please`, which makes it report a reboot (FromRadio.rebooted).
 */
import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MeshtasticFramer, meshtasticFrame } from '../../hal/framers/meshtastic.js';
import { FromRadioType, PositionType, TakPacketType, ToRadioType, decodePlain, encodePlain } from '../../hal/drivers/meshtastic/schema.js';
import type { WireMeshPacket, WireTakPacket } from '../../hal/drivers/meshtastic/wire.js';

export const REMOTE_NODE = 0x0badcafe;
export const REMOTE_NAME = 'Remote Bob';
export const REMOTE_TEXT = 'hello from the mesh';

interface ToRadio {
  packet?: WireMeshPacket;
  wantConfigId?: number;
  disconnect?: boolean;
  heartbeat?: object;
}

export function runFakeRadio(logPath: string, myNodeNum: number, input: NodeJS.ReadableStream, output: NodeJS.WritableStream): void {
  const log = (entry: object): void => appendFileSync(logPath, `${JSON.stringify(entry)}\n`);
  const send = (fromRadio: object): void => {
    output.write(meshtasticFrame(encodePlain(FromRadioType, fromRadio)));
  };
  let talking = false;
  output.write('fake radio: booting\r\nfake radio: LoRa ready\r\n');
  log({ kind: 'boot' });

  const answer = (message: ToRadio): void => {
    if (message.wantConfigId !== undefined) {
      log({ kind: 'want-config', nonce: message.wantConfigId });
      talking = true;
      const nonce = message.wantConfigId;
      send({ id: 1, myInfo: { myNodeNum, nodedbCount: 1 } });
      send({ id: 2, metadata: { firmwareVersion: '2.7.15.fake', hwModel: 9 } });
      send({ id: 3, nodeInfo: { num: myNodeNum, user: { id: `!${myNodeNum.toString(16)}`, longName: 'takd gateway', shortName: 'TAKD' } } });
      send({ id: 4, config: { lora: { hopLimit: 3, region: 1 } } });
      send({ id: 5, nodeInfo: { num: REMOTE_NODE, user: { longName: REMOTE_NAME, shortName: 'BOB' }, position: { latitudeI: 515000000, longitudeI: -1000000 }, deviceMetrics: { batteryLevel: 77 } } });
      send({ id: 6, configCompleteId: nonce });
      const position = encodePlain(PositionType, { latitudeI: 515100000, longitudeI: -1100000, altitudeHae: 30, groundSpeed: 36, groundTrack: 18000000, precisionBits: 32 });
      send({ id: 7, packet: { from: REMOTE_NODE, to: 0xffffffff, id: 0x1001, decoded: { portnum: 3, payload: position }, hopLimit: 2, hopStart: 3 } });
      send({ id: 8, packet: { from: REMOTE_NODE, to: 0xffffffff, id: 0x1002, decoded: { portnum: 1, payload: Buffer.from(REMOTE_TEXT) } } });
    } else if (message.heartbeat !== undefined) {
      log({ kind: 'heartbeat' });
    } else if (message.disconnect === true) {
      log({ kind: 'disconnect' });
    } else if (message.packet !== undefined) {
      const packet = message.packet;
      const entry: Record<string, unknown> = { kind: 'packet', id: packet.id, to: packet.to, hopLimit: packet.hopLimit, portnum: packet.decoded?.portnum, bytes: packet.decoded?.payload?.length };
      if (packet.decoded?.portnum === 72 && packet.decoded.payload !== undefined) entry.tak = decodePlain<WireTakPacket>(TakPacketType, packet.decoded.payload);
      log(entry);
      if (packet.decoded?.portnum === 1 && Buffer.from(packet.decoded.payload ?? []).toString() === 'reboot please') {
        // A reboot: the firmware says so, prints its boot text, and waits for a new handshake.
        send({ rebooted: true });
        output.write('fake radio: rebooting\r\n');
        log({ kind: 'reboot' });
        return;
      }
      send({ queueStatus: { res: 0, free: 15, maxlen: 16, meshPacketId: packet.id ?? 0 } });
    }
  };

  const framer = new MeshtasticFramer();
  input.on('data', (chunk: Buffer) => {
    framer.push(chunk, (frame) => {
      try {
        answer(decodePlain<ToRadio>(ToRadioType, frame));
      } catch (error) {
        log({ kind: 'bad-frame', error: String(error) });
      }
    });
  });
  // Serial firmware keeps printing console text until the host talks to it.
  const chatter = setInterval(() => {
    if (!talking) output.write('fake radio: waiting for a client\r\n');
  }, 200);
  chatter.unref();
  input.on('end', () => clearInterval(chatter));
  input.on('close', () => clearInterval(chatter));
  output.on('error', () => clearInterval(chatter)); // the host hung up
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [logPath, node] = process.argv.slice(2);
  runFakeRadio(logPath, Number.parseInt(node ?? '11223344', 16), process.stdin, process.stdout);
}
