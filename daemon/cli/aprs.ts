// `takd aprs decode FILE|-`: KISS frames (a TNC capture, `nc localhost 8001`) or TNC2 text
// lines (APRS-IS, logs) → one JSON packet per line, aprslib's names and units.
import type { CliIo } from './command.js';
import { runDecodeCommand, type LineDecoder } from './decode-command.js';
import { createAprsPipeline, type AprsPacket } from '../../hal/index.js';

const HELP = `Usage: takd aprs decode FILE|-

Reads APRS packets from FILE, or stdin for '-': a KISS byte stream (what a TNC or Dire
Wolf's KISS port sends; detected by a leading FEND byte 0xC0) or TNC2 text lines
(SRC>DEST,PATH:info, as on APRS-IS). Prints one JSON object per packet that carries a
position, with aprslib's names and units: from, to, path, via, format (uncompressed,
compressed, mic-e), kind (position, object, item, mic-e), latitude, longitude (degrees),
posambiguity, symbol_table, symbol, course (degrees), speed (km/h), altitude (metres),
comment, timestamp, object_name, alive, mtype (Mic-E message), phg, rng. Other packet
types (messages, status, telemetry, weather…) are counted, and the counters go to stderr.

Options:
  --no-stats  do not print the counters
  -h, --help  this text

Example:
  nc 127.0.0.1 8001 | takd aprs decode - | jq -c '{from, latitude, longitude}'
`;

const FEND = 0xc0;
const MAX_LINE = 4096;

/** A KISS byte stream (first byte FEND) or TNC2 text lines, decided by the first chunk. */
function aprsDecoder(): LineDecoder {
  const pipeline = createAprsPipeline();
  let mode: 'kiss' | 'text' | undefined;
  let partialLine = '';
  const pushLine = (line: string, emit: (packet: AprsPacket) => void) => {
    if (line.trim() !== '' && !line.startsWith('#')) pipeline.pushText(line, emit);
  };
  return {
    push(chunk, emit) {
      mode ??= chunk[0] === FEND ? 'kiss' : 'text';
      if (mode === 'kiss') return pipeline.push(chunk, emit);
      const lines = (partialLine + chunk.toString('latin1')).split('\n');
      partialLine = lines.pop() ?? '';
      if (partialLine.length > MAX_LINE) partialLine = ''; // no line end in sight: not text
      for (const line of lines) pushLine(line, emit);
    },
    finish(emit) {
      if (mode === 'text') pushLine(partialLine, emit);
    },
    counters: () => ({ framer: pipeline.framer.counters, decoder: pipeline.decoder.counters }),
  };
}

export function main(args: string[], io: CliIo): Promise<number> {
  return runDecodeCommand({ name: 'aprs', help: HELP, createDecoder: aprsDecoder }, args, io);
}
