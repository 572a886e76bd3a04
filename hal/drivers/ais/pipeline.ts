// Line framer + AIS decoder joined: bytes in, AIS messages out. What `takd ais decode`,
// the golden tests and the benchmark use; a Source does the same through the Driver record.
import { LineFramer } from '../../framers/lines.js';
import { AisDecoder, type AisDecoderOptions, type AisMessage } from './decoder.js';

export interface AisPipeline {
  readonly framer: LineFramer;
  readonly decoder: AisDecoder;
  push(chunk: Buffer, emit: (message: AisMessage) => void): void;
}

/** The framer settings for AIS: `!` and `$` start a line (mixed GPS + AIS streams); a tag block before `!` is dropped with the bytes before the start. */
export function aisLineFramer(): LineFramer {
  // The checksum is checked by the sentence parser: receivers append fields after it.
  return new LineFramer({ startChars: '!$', requireChecksum: false, commentChar: '#', maxLength: 512 });
}

export function createAisPipeline(options: AisDecoderOptions = {}): AisPipeline {
  const framer = aisLineFramer();
  const decoder = new AisDecoder(options);
  return {
    framer,
    decoder,
    push(chunk, emit) {
      framer.push(chunk, (line) => decoder.decode(line, emit));
    },
  };
}
