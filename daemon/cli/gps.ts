// `takd gps decode FILE|-|URL`: NMEA 0183 → one gpsd-style TPV JSON object per fix epoch.
// How users debug a receiver, and how the decoder is checked against gpsd.
import { createReadStream } from 'node:fs';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from './command.js';
import { createNmeaPipeline, defaultLinkProviders, findDriver, startSource, toTpv, userDrivers, type GnssFix, type Source } from '../../hal/index.js';

const HELP = `Usage: takd gps decode FILE|-|URL [--driver nmea-gnss|gpsd|sim] [--count N] [--no-stats]

Reads NMEA 0183 (any talker: GP, GN, GL, GA, GB/BD, QZ…) and prints one JSON fix per epoch
with gpsd's TPV names and units: time (ISO 8601 UTC), mode (1 no fix, 2 2D, 3 3D), status
(2 DGPS, 3 RTK fixed, 4 RTK float), lat, lon (degrees), altHAE, altMSL (metres), speed (m/s),
track (degrees true), eph, epv (metres, ~95 %).

Input: FILE, '-' for stdin (lines starting with '#' are comments), or a link URL:
  serial:///dev/serial/by-id/usb-…?baud=9600    a receiver (reconnects when replugged)
  tcp://192.168.1.50:10110                       NMEA over TCP
  file:///path/capture.log?pace=baud&baud=4800   a capture at the line rate (pace=time: at the
                                                 pace of its sentence times; pace=fast: flat out)
  sim://?lat=59.91&lon=10.75&speed=walk          the simulated receiver (speed walk|drive|m/s)
  tcp://127.0.0.1:2947 --driver gpsd             fixes from a running gpsd
Sentences with bad checksums are dropped; counters go to stderr at the end.

Options:
  --driver NAME  decode a URL with this driver (default nmea-gnss; sim:// uses sim)
  --count N      stop after N fixes
  --no-stats     do not print the counters
  -h, --help     this text

Examples:
  takd gps decode capture.nmea | jq -c '{time, lat, lon, altHAE}'
  takd gps decode 'serial:///dev/ttyACM0?baud=9600' --count 10
`;

interface Arguments {
  input: string;
  driver?: string;
  count: number;
  stats: boolean;
}

function parseArguments(args: string[]): Arguments | string {
  const positional: string[] = [];
  const parsed: Arguments = { input: '', count: Infinity, stats: true };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--no-stats') parsed.stats = false;
    else if (arg === '--stats') parsed.stats = true;
    else if (arg === '--driver') parsed.driver = args[++i];
    else if (arg === '--count') parsed.count = Number(args[++i]);
    else if (arg.startsWith('--')) return `unknown option ${arg}`;
    else positional.push(arg);
  }
  if (positional[0] !== 'decode' || positional.length !== 2) return "expected 'decode FILE|-|URL'";
  if (!(parsed.count > 0)) return '--count needs a positive number';
  parsed.input = positional[1];
  return parsed;
}

export async function main(args: string[], io: CliIo): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  const parsed = parseArguments(args);
  if (typeof parsed === 'string') {
    io.stderr.write(`takd gps: ${parsed}\n\n${HELP}`);
    return EXIT_USAGE;
  }
  const output = new LineOutput(io.stdout);
  return /^[a-z][a-z0-9+]*:\/\//.test(parsed.input) ? decodeLink(parsed, io, output) : decodeStream(parsed, io, output);
}

/** Writes TPV lines with backpressure; notices a closed stdout (`| head`) and stops quietly. */
class LineOutput {
  closed = false;
  written = 0;

  constructor(private readonly stream: NodeJS.WritableStream) {
    stream.on('error', () => {
      this.closed = true;
    });
  }

  async write(fixes: GnssFix[], limit: number): Promise<void> {
    let text = '';
    for (const fix of fixes) {
      if (this.written >= limit) break;
      text += `${JSON.stringify(toTpv(fix))}\n`;
      this.written++;
    }
    if (text.length === 0 || this.closed) return;
    if (!this.stream.write(text)) {
      await new Promise<void>((resolve) => {
        this.stream.once('drain', resolve);
        this.stream.once('error', resolve);
      });
    }
  }
}

async function decodeStream(args: Arguments, io: CliIo, output: LineOutput): Promise<number> {
  const input = args.input === '-' ? io.stdin : createReadStream(args.input);
  const pipeline = createNmeaPipeline({ commentChar: '#' });
  let pending: GnssFix[] = [];
  const collect = (fix: GnssFix): void => {
    pending.push(fix);
  };
  try {
    for await (const chunk of input) {
      pipeline.push(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : (chunk as Buffer), collect);
      await output.write(pending, args.count);
      pending = [];
      if (output.closed || output.written >= args.count) break;
    }
  } catch (err) {
    io.stderr.write(`takd gps: ${args.input}: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT_FAILURE;
  }
  pipeline.flush(collect);
  await output.write(pending, args.count);
  if (args.stats) io.stderr.write(`${JSON.stringify({ framer: pipeline.framer.counters, decoder: pipeline.decoder.counters })}\n`);
  return EXIT_OK;
}

async function decodeLink(args: Arguments, io: CliIo, output: LineOutput): Promise<number> {
  const driverName = args.driver ?? (args.input.startsWith('sim:') ? 'sim' : 'nmea-gnss');
  const driver = findDriver(driverName);
  if (driver === undefined || driver.hidden === true || driver.produces !== 'fix') {
    const names = userDrivers().filter((d) => d.produces === 'fix').map((d) => d.name);
    io.stderr.write(`takd gps: --driver must be ${names.slice(0, -1).join(', ')} or ${names.at(-1)}\n`);
    return EXIT_USAGE;
  }
  let source: Source<unknown>;
  try {
    source = startSource({ id: 'gps', url: args.input, driver, providers: defaultLinkProviders() });
  } catch (err) {
    io.stderr.write(`takd gps: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT_USAGE;
  }
  const stop = (): void => void source.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    for await (const fix of source.messages()) {
      await output.write([fix as GnssFix], args.count);
      if (output.closed || output.written >= args.count) break;
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await source.stop();
  }
  const status = source.status();
  if (args.stats) io.stderr.write(`${JSON.stringify({ framer: status.framer, decoder: status.decoder, connects: status.connects, disconnects: status.disconnects })}\n`);
  return EXIT_OK;
}
