// APRS over KISS from a TNC: KissFramer → AprsDecoder (AX.25, then the APRS formats, Mic-E).
// Never throws; frames fit the framer's buffer; counters agree and their names are bounded
// (the decoder counts AX.25 rejects by reason); positions are in range.
import { KissFramer } from '../../../hal/framers/kiss.js';
import { AprsDecoder } from '../../../hal/drivers/kiss-aprs/decoder.js';
import type { AprsPacket } from '../../../hal/drivers/kiss-aprs/packet.js';
import { check, chunks, type FuzzTarget } from '../target.js';
import { KISS_DICTIONARY } from './dictionaries.js';

const MAX_FRAME = 1024;

function checkPacket(packet: AprsPacket): void {
  const p = packet as unknown as { position?: { lat: number; lon: number } };
  if (p.position) {
    check(Number.isFinite(p.position.lat) && Math.abs(p.position.lat) <= 90, `lat ${p.position.lat}`);
    check(Number.isFinite(p.position.lon) && Math.abs(p.position.lon) <= 180, `lon ${p.position.lon}`);
  }
  check(packet.raw.length <= 4 * MAX_FRAME, 'raw text bounded');
}

export const target: FuzzTarget = {
  name: 'kiss-aprs',
  sources: ['hal/framers/kiss', 'hal/drivers/kiss-aprs/decoder', 'hal/drivers/kiss-aprs/ax25', 'hal/drivers/kiss-aprs/info', 'hal/drivers/kiss-aprs/mic-e', 'hal/drivers/kiss-aprs/position', 'hal/drivers/kiss-aprs/tnc2'],
  dictionary: KISS_DICTIONARY,
  maxLength: 4096,
  fuzz(data) {
    const framer = new KissFramer(MAX_FRAME);
    const decoder = new AprsDecoder();
    let frames = 0;
    for (const chunk of chunks(data)) {
      framer.push(chunk, (frame) => {
        frames++;
        check(frame.length <= MAX_FRAME, `frame of ${frame.length} bytes`);
        decoder.decode(frame, checkPacket);
      });
    }
    decoder.flush(checkPacket);
    check(framer.counters.frames === frames, `framer counted ${framer.counters.frames}, emitted ${frames}`);
    check(decoder.counters.frames === frames, `decoder counted ${decoder.counters.frames} of ${frames}`);
    check(Object.keys(decoder.counters).length <= 64, `${Object.keys(decoder.counters).length} counter names`);
  },
};
