// Line framer + NMEA decoder joined: bytes in, fixes out. What `takd gps decode`, the sim
// driver and the benchmark use; a Source does the same through the Driver record.
import type { GnssFix } from '../../contract.js';
import { LineFramer, type LineFramerOptions } from '../../framers/lines.js';
import { NmeaGnssDecoder, type NmeaDecoderOptions } from './decoder.js';

export interface NmeaPipeline {
  readonly framer: LineFramer;
  readonly decoder: NmeaGnssDecoder;
  push(chunk: Buffer, emit: (fix: GnssFix) => void): void;
  flush(emit: (fix: GnssFix) => void): void;
}

export function createNmeaPipeline(options: LineFramerOptions & NmeaDecoderOptions = {}): NmeaPipeline {
  const framer = new LineFramer(options);
  const decoder = new NmeaGnssDecoder(options);
  return {
    framer,
    decoder,
    push(chunk, emit) {
      framer.push(chunk, (sentence) => decoder.decode(sentence, emit));
    },
    flush(emit) {
      decoder.flush(emit);
    },
  };
}
