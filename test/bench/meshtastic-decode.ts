// Benchmark: Meshtastic stream decode (0x94 0xC3 framer + FromRadio/MeshPacket decoder, and
// CoT for each message) on the spec's worked examples: a POSITION_APP packet and a TAK
// (ATAK_PLUGIN) PLI, each TAK copy with its own packet id so that de-duplication does not
// short-cut it, and a line of radio console text now and then. No JS peer to race.
import { MeshtasticFramer } from '../../hal/framers/meshtastic.js';
import { MeshtasticDecoder } from '../../hal/drivers/meshtastic/decoder.js';
import { EXAMPLE_B, EXAMPLE_C } from '../../hal/drivers/meshtastic/fixtures.js';
import { MeshtasticSession } from '../../hal/drivers/meshtastic/session.js';
import { createMeshtasticToCot } from '../../hal/drivers/meshtastic/to-cot.js';
import type { MeshtasticMessage } from '../../hal/drivers/meshtastic/messages.js';
import { silentLogger } from '../../hal/logger.js';
import { formatRate, machine, race, table } from './support/measure.js';

const COPIES = 2000;
/** MeshPacket.id (field 6, fixed32) in example C: tag 0x35 then 0x00C0FFEE little-endian. */
const PACKET_ID = Buffer.from([0x35, 0xee, 0xff, 0xc0, 0x00]);

function stream(): { bytes: Buffer; frames: number } {
  const idAt = EXAMPLE_C.indexOf(PACKET_ID) + 1;
  if (idAt === 0) throw new Error('example C has no packet id field where expected');
  const parts: Buffer[] = [];
  for (let i = 0; i < COPIES; i++) {
    const tak = Buffer.from(EXAMPLE_C);
    tak.writeUInt32LE(0x10000 + i, idAt);
    parts.push(EXAMPLE_B, tak);
    if (i % 50 === 0) parts.push(Buffer.from('INFO | ??:??:?? 12 [Router] Received from mesh\r\n'));
  }
  return { bytes: Buffer.concat(parts), frames: COPIES * 2 };
}

export default async function meshtasticDecode(): Promise<string> {
  const { bytes, frames } = stream();
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 4096) chunks.push(bytes.subarray(i, i + 4096));
  const toCot = createMeshtasticToCot();
  let sink = 0;
  const pass = (withCot: boolean) => (): number => {
    const framer = new MeshtasticFramer(() => {});
    const decoder = new MeshtasticDecoder(new MeshtasticSession(), silentLogger);
    let messages = 0;
    const onMessage = (message: MeshtasticMessage): void => {
      messages++;
      if (withCot) sink += toCot(message, { sourceId: 'source.mesh', now: Date.UTC(2025, 0, 1) })?.uid.length ?? 0;
    };
    for (const chunk of chunks) framer.push(chunk, (frame) => decoder.decode(frame, onMessage));
    if (messages < frames) throw new Error(`decoded ${messages} of ${frames} frames`);
    return frames;
  };
  const results = race([
    { name: 'framer + decoder', pass: pass(false) },
    { name: 'framer + decoder + CoT per message', pass: pass(true) },
  ]);
  if (sink === 42) console.error('unreachable');
  return [
    '## Meshtastic stream decode (hal/drivers/meshtastic)',
    '',
    `${frames.toLocaleString('en-US')} frames (${(bytes.length / 1e6).toFixed(2)} MB): the spec's POSITION_APP and TAK PLI examples alternating, each TAK copy with its own packet id, console text every 100 frames, in 4 KiB chunks. Machine: ${machine()}. Medians of 7 interleaved rounds. No JS peer decodes the stream API to race against.`,
    '',
    table(['path', 'frames/s'], results.map((r) => [r.name, formatRate(r.perSecond)])),
    '',
  ].join('\n');
}
