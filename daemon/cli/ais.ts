// `takd ais decode FILE|-`: AIVDM/AIVDO sentences → one gpsd-style JSON report per message.
// How users check a receiver (`takd ais decode /dev/ttyUSB1` works: it is a file) and how
// the decoder is compared with gpsd.
import { createReadStream } from 'node:fs';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from './command.js';
import { createAisPipeline, type AisMessage } from '../../hal/index.js';

const HELP = `Usage: takd ais decode FILE|-

Reads AIS sentences (!AIVDM, !AIVDO, any talker; NMEA 4.10 tag blocks allowed) from FILE,
or stdin for '-', reassembles multi-sentence messages and prints one JSON report per
message with gpsd's field names and units: type, repeat, mmsi, status, lat, lon (degrees),
speed (knots), course (degrees true), heading (degrees), shipname, callsign, destination,
shiptype, to_bow/to_stern/to_port/to_starboard (metres), draught (metres), eta, …; values
the message marks "not available" are left out, and gpsd's unscaled integers are under
"raw". Type 24 part A is reported merged into its part B, as gpsd does. Lines starting
with '#' are comments; the counters go to stderr at the end.

Options:
  --no-stats  do not print the counters
  -h, --help  this text

Example:
  takd ais decode capture.aivdm | jq -c 'select(.type <= 3) | {mmsi, lat, lon, speed}'
`;

export async function main(args: string[], io: CliIo): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  const stats = !args.includes('--no-stats');
  const positional = args.filter((a) => a !== '--stats' && a !== '--no-stats');
  if (positional[0] !== 'decode' || positional.length !== 2) {
    io.stderr.write(`takd ais: expected 'decode FILE|-'\n\n${HELP}`);
    return EXIT_USAGE;
  }
  const path = positional[1];
  const input = path === '-' ? io.stdin : createReadStream(path);
  const pipeline = createAisPipeline();
  let pending = '';
  const collect = (message: AisMessage): void => {
    pending += `${JSON.stringify(message.report)}\n`;
  };
  let outputClosed = false;
  io.stdout.on('error', () => {
    outputClosed = true; // e.g. `| head`: stop quietly
  });
  try {
    for await (const chunk of input) {
      pipeline.push(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : (chunk as Buffer), collect);
      if (outputClosed) return EXIT_OK;
      if (pending.length > 0 && !io.stdout.write(pending)) await drained(io.stdout);
      pending = '';
    }
  } catch (err) {
    io.stderr.write(`takd ais: ${path}: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT_FAILURE;
  }
  pipeline.push(Buffer.from('\n'), collect); // a last line without a line end
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
