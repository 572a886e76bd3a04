// `takd ais decode FILE|-`: AIVDM/AIVDO sentences → one gpsd-style JSON report per message.
// How users check a receiver (`takd ais decode /dev/ttyUSB1` works: it is a file) and how
// the decoder is compared with gpsd.
import type { CliIo } from './command.js';
import { runDecodeCommand } from './decode-command.js';
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

export function main(args: string[], io: CliIo): Promise<number> {
  return runDecodeCommand(
    {
      name: 'ais',
      help: HELP,
      createDecoder() {
        const pipeline = createAisPipeline();
        return {
          push: (chunk, emit) => pipeline.push(chunk, (message: AisMessage) => emit(message.report)),
          // A last line without a line end.
          finish: (emit) => pipeline.push(Buffer.from('\n'), (message: AisMessage) => emit(message.report)),
          counters: () => ({ framer: pipeline.framer.counters, decoder: pipeline.decoder.counters }),
        };
      },
    },
    args,
    io,
  );
}
