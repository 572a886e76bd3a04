// `takd aprs decode FILE|-`: KISS frames (a TNC capture, `nc localhost 8001`) or TNC2 text
// lines (APRS-IS, logs) → one JSON packet per line, aprslib's names and units.
import { createReadStream } from 'node:fs';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from './command.js';
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

export async function main(args: string[], io: CliIo): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  const stats = !args.includes('--no-stats');
  const positional = args.filter((a) => a !== '--stats' && a !== '--no-stats');
  if (positional[0] !== 'decode' || positional.length !== 2) {
    io.stderr.write(`takd aprs: expected 'decode FILE|-'\n\n${HELP}`);
    return EXIT_USAGE;
  }
  const path = positional[1];
  const input = path === '-' ? io.stdin : createReadStream(path);
  const pipeline = createAprsPipeline();
  let pending = '';
  const collect = (packet: AprsPacket): void => {
    pending += `${JSON.stringify(packet)}\n`;
  };
  let mode: 'kiss' | 'text' | undefined;
  let partialLine = '';
  let outputClosed = false;
  io.stdout.on('error', () => {
    outputClosed = true;
  });
  try {
    for await (const item of input) {
      const chunk = typeof item === 'string' ? Buffer.from(item, 'latin1') : (item as Buffer);
      mode ??= chunk[0] === FEND ? 'kiss' : 'text';
      if (mode === 'kiss') pipeline.push(chunk, collect);
      else {
        const lines = (partialLine + chunk.toString('latin1')).split('\n');
        partialLine = lines.pop() ?? '';
        if (partialLine.length > 4096) partialLine = ''; // no line end in sight: not text
        for (const line of lines) if (line.trim() !== '' && !line.startsWith('#')) pipeline.pushText(line, collect);
      }
      if (outputClosed) return EXIT_OK;
      if (pending.length > 0 && !io.stdout.write(pending)) await drained(io.stdout);
      pending = '';
    }
  } catch (err) {
    io.stderr.write(`takd aprs: ${path}: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT_FAILURE;
  }
  if (mode === 'text' && partialLine.trim() !== '') pipeline.pushText(partialLine, collect);
  if (pending.length > 0 && !outputClosed) io.stdout.write(pending);
  if (stats) io.stderr.write(`${JSON.stringify({ framer: pipeline.framer.counters, decoder: pipeline.decoder.counters })}\n`);
  return EXIT_OK;
}

function drained(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    stream.once('drain', resolve);
    stream.once('error', resolve);
  });
}
