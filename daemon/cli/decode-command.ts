// The shape shared by `takd ais decode` and `takd aprs decode`: read FILE or stdin, push
// every chunk through a decoder, write one JSON line per message with back-pressure, stop
// quietly when stdout closes (`| head`), and print the counters to stderr at the end.
import { createReadStream } from 'node:fs';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from './command.js';

export interface LineDecoder {
  /** Feeds one chunk; calls emit with each decoded message. */
  push(chunk: Buffer, emit: (message: unknown) => void): void;
  /** End of input: whatever is still pending (a last line without a line end). */
  finish(emit: (message: unknown) => void): void;
  /** What the framer and decoder counted, for stderr. */
  counters(): object;
}

export interface DecodeCommand {
  /** e.g. 'ais': used in messages as `takd ais`. */
  name: string;
  help: string;
  createDecoder(): LineDecoder;
}

export async function runDecodeCommand(command: DecodeCommand, args: string[], io: CliIo): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    io.stdout.write(command.help);
    return EXIT_OK;
  }
  const stats = !args.includes('--no-stats');
  const positional = args.filter((a) => a !== '--stats' && a !== '--no-stats');
  if (positional[0] !== 'decode' || positional.length !== 2) {
    io.stderr.write(`takd ${command.name}: expected 'decode FILE|-'\n\n${command.help}`);
    return EXIT_USAGE;
  }
  const path = positional[1];
  const input = path === '-' ? io.stdin : createReadStream(path);
  const decoder = command.createDecoder();
  let pending = '';
  const collect = (message: unknown): void => {
    pending += `${JSON.stringify(message)}\n`;
  };
  let outputClosed = false;
  io.stdout.on('error', () => {
    outputClosed = true; // e.g. `| head`: stop quietly
  });
  try {
    for await (const chunk of input) {
      decoder.push(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : (chunk as Buffer), collect);
      if (outputClosed) return EXIT_OK;
      if (pending.length > 0 && !io.stdout.write(pending)) await drained(io.stdout);
      pending = '';
    }
  } catch (err) {
    io.stderr.write(`takd ${command.name}: ${path}: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT_FAILURE;
  }
  decoder.finish(collect);
  if (pending.length > 0 && !outputClosed) io.stdout.write(pending);
  if (stats) io.stderr.write(`${JSON.stringify(decoder.counters())}\n`);
  return EXIT_OK;
}

function drained(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    stream.once('drain', resolve);
    stream.once('error', resolve);
  });
}
