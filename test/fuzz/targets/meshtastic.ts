// The Meshtastic serial/TCP stream (0x94 0xC3, length, FromRadio protobuf, console text in
// between): MeshtasticFramer → MeshtasticDecoder. Never throws; payloads fit 512 bytes; the
// debug lines are bounded; counters agree.
import { MeshtasticFramer, MAX_FRAME_PAYLOAD } from '../../../hal/framers/meshtastic.js';
import { MeshtasticDecoder } from '../../../hal/drivers/meshtastic/decoder.js';
import { MeshtasticSession } from '../../../hal/drivers/meshtastic/session.js';
import { check, chunks, type FuzzTarget } from '../target.js';
import { MESHTASTIC_DICTIONARY } from './dictionaries.js';

export const target: FuzzTarget = {
  name: 'meshtastic',
  sources: ['hal/framers/meshtastic', 'hal/drivers/meshtastic/decoder', 'hal/drivers/meshtastic/schema', 'hal/drivers/meshtastic/position', 'hal/drivers/meshtastic/session', 'hal/drivers/meshtastic/tables'],
  dictionary: MESHTASTIC_DICTIONARY,
  maxLength: 4096,
  fuzz(data) {
    let now = 0;
    const session = new MeshtasticSession(() => (now += 1000));
    let debugLines = 0;
    const framer = new MeshtasticFramer((line) => {
      debugLines++;
      check(line.length <= 4096, `debug line of ${line.length}`);
    });
    const decoder = new MeshtasticDecoder(session);
    let frames = 0;
    let messages = 0;
    for (const chunk of chunks(data)) {
      framer.push(chunk, (frame) => {
        frames++;
        check(frame.length <= MAX_FRAME_PAYLOAD, `payload of ${frame.length} bytes`);
        decoder.decode(frame, () => void messages++);
      });
    }
    decoder.flush(() => void messages++);
    check(framer.counters.frames === frames, 'framer frames disagree');
    check(framer.counters.debugLines === debugLines, 'debug line counter disagrees');
    check(decoder.counters.frames === frames, 'decoder frames disagree');
    check(messages <= frames * 8, `${messages} messages from ${frames} frames`);
  },
};
