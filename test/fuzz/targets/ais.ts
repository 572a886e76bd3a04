// AIS from a receiver (AIVDM/AIVDO sentences, multi-fragment): LineFramer → AisDecoder.
// Never throws; positions are in range; the vessel cache and counters stay bounded.
import { LineFramer } from '../../../hal/framers/lines.js';
import { AisDecoder, type AisMessage } from '../../../hal/drivers/ais/decoder.js';
import { check, chunks, type FuzzTarget } from '../target.js';
import { AIS_DICTIONARY } from './dictionaries.js';

function checkMessage(message: AisMessage): void {
  const m = message as unknown as { lat?: number; lon?: number; report?: { lat?: number; lon?: number } };
  for (const p of [m, m.report]) {
    if (p?.lat !== undefined) check(Number.isFinite(p.lat) && Math.abs(p.lat) <= 91, `lat ${p.lat}`);
    if (p?.lon !== undefined) check(Number.isFinite(p.lon) && Math.abs(p.lon) <= 181, `lon ${p.lon}`);
  }
  check(JSON.stringify(message).length < 8192, 'a message is bounded');
}

export const target: FuzzTarget = {
  name: 'ais',
  sources: ['hal/framers/lines', 'hal/drivers/ais/decoder', 'hal/drivers/ais/sentence', 'hal/drivers/ais/reassembly', 'hal/drivers/ais/bits', 'hal/drivers/ais/messages', 'hal/drivers/ais/type24-pairs', 'hal/drivers/ais/vessels'],
  dictionary: AIS_DICTIONARY,
  maxLength: 4096,
  fuzz(data) {
    let now = 0;
    const framer = new LineFramer();
    const decoder = new AisDecoder({ clock: () => (now += 100), vesselCapacity: 64 });
    let sentences = 0;
    let messages = 0;
    const emit = (m: AisMessage): void => {
      messages++;
      checkMessage(m);
    };
    for (const chunk of chunks(data)) {
      framer.push(chunk, (sentence) => {
        sentences++;
        decoder.decode(sentence, emit);
      });
    }
    decoder.flush(emit);
    check(framer.counters.frames === sentences, 'framer frames disagree');
    check(decoder.counters.sentences <= sentences, `decoder counted ${decoder.counters.sentences} sentences of ${sentences}`);
    check(messages <= sentences * 2 + 1, `${messages} messages from ${sentences} sentences`);
    check(Object.keys(decoder.counters).length <= 64, 'counter names are bounded');
  },
};
