// KISS framer + APRS decoder joined: bytes in, APRS packets out; plus the TNC2 text path.
// What `takd aprs decode`, the tests and the benchmark use.
import { KissFramer } from '../../framers/kiss.js';
import { AprsDecoder } from './decoder.js';
import type { AprsPacket } from './packet.js';

export interface AprsPipeline {
  readonly framer: KissFramer;
  readonly decoder: AprsDecoder;
  /** KISS bytes (serial TNC, Dire Wolf KISS-over-TCP). */
  push(chunk: Buffer, emit: (packet: AprsPacket) => void): void;
  /** One TNC2 text line. */
  pushText(line: string, emit: (packet: AprsPacket) => void): void;
}

export function createAprsPipeline(): AprsPipeline {
  const framer = new KissFramer();
  const decoder = new AprsDecoder();
  return {
    framer,
    decoder,
    push(chunk, emit) {
      framer.push(chunk, (frame) => decoder.decode(frame, emit));
    },
    pushText(line, emit) {
      decoder.decodeText(line, emit);
    },
  };
}
