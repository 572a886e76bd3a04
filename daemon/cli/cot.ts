// takd cot convert: CoT on stdin in any encoding → another encoding on stdout.
import { once } from 'node:events';
import type { CotEvent } from '../codec/event.js';
import { CotDecodeError } from '../codec/errors.js';
import { eventFromJson, eventToJson } from '../codec/json.js';
import { encodeProtoMesh, encodeProtoStream } from '../codec/proto/index.js';
import { CotStreamDecoder } from '../codec/stream.js';
import { encodeXmlString } from '../codec/xml/encode.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from './command.js';

const HELP = `Usage: takd cot convert --to FORMAT  < input > output

Reads CoT events on stdin and writes them to stdout in FORMAT. The input encoding is
detected from its first byte: CoT XML events ('<'), a TAK protocol v1 stream (0xBF), or
JSON lines ('{', as written by --to json).

Formats:
  xml           one XML event per line, with an XML declaration
  json          one JSON object per line (times as ISO-8601 UTC)
  proto-stream  TAK protocol v1 stream frames: 0xBF, varint length, TakMessage
  proto-mesh    TAK protocol v1 mesh datagrams (BF 01 BF + TakMessage), back to back

Bad input is reported on stderr with its byte offset; good events still come out.
Exit status: 0 when every event converted, 1 when some input was rejected, 2 usage error.

Examples:
  takd cot convert --to json < capture.xml
  takd cot convert --to proto-stream < events.xml | takd cot convert --to xml
`;

type Format = 'xml' | 'json' | 'proto-stream' | 'proto-mesh';
const FORMATS: readonly Format[] = ['xml', 'json', 'proto-stream', 'proto-mesh'];

function encoderFor(format: Format): (event: CotEvent) => Buffer | string {
  switch (format) {
    case 'xml':
      return (event) => `${encodeXmlString(event)}\n`;
    case 'json':
      return (event) => `${JSON.stringify(eventToJson(event))}\n`;
    case 'proto-stream':
      return encodeProtoStream;
    case 'proto-mesh':
      return encodeProtoMesh;
  }
}

function parseArgs(args: string[]): Format | 'help' | string {
  if (args.includes('--help') || args.includes('-h')) return 'help';
  const [verb, ...rest] = args;
  if (verb !== 'convert') return verb === undefined ? 'missing subcommand: convert' : `unknown subcommand '${verb}'`;
  const at = rest.indexOf('--to');
  const format = at === -1 ? undefined : rest[at + 1];
  if (format === undefined) return '--to FORMAT is required';
  if (!FORMATS.includes(format as Format)) return `--to ${format}: not a format (allowed: ${FORMATS.join(', ')})`;
  const unknown = rest.filter((a, i) => i !== at && i !== at + 1);
  if (unknown.length > 0) return `unexpected argument '${unknown[0]}'`;
  return format;
}

/** JSON lines input: one event per line, each checked; bounded line length. */
class JsonLinesDecoder {
  private pending = '';
  private offset = 0;
  constructor(
    private readonly onEvent: (event: CotEvent) => void,
    private readonly onError: (error: CotDecodeError) => void,
  ) {}

  push(chunk: Buffer): void {
    this.pending += chunk.toString('utf8');
    let newline: number;
    while ((newline = this.pending.indexOf('\n')) !== -1) {
      this.line(this.pending.slice(0, newline));
      this.offset += Buffer.byteLength(this.pending.slice(0, newline + 1));
      this.pending = this.pending.slice(newline + 1);
    }
    if (this.pending.length > 1024 * 1024) {
      this.onError(new CotDecodeError('oversize', 'JSON line longer than 1 MiB dropped', this.offset));
      this.offset += Buffer.byteLength(this.pending);
      this.pending = '';
    }
  }

  end(): void {
    if (this.pending.trim() !== '') this.line(this.pending);
  }

  private line(text: string): void {
    if (text.trim() === '') return;
    try {
      this.onEvent(eventFromJson(JSON.parse(text)));
    } catch (err) {
      const error = err instanceof CotDecodeError ? err : new CotDecodeError('malformed-json', `not JSON: ${(err as Error).message}`);
      error.offset = this.offset;
      this.onError(error);
    }
  }
}

export async function main(args: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args);
  if (parsed === 'help') {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  if (!FORMATS.includes(parsed as Format)) {
    io.stderr.write(`takd cot: ${parsed}\n\n${HELP}`);
    return EXIT_USAGE;
  }
  const encode = encoderFor(parsed as Format);
  let rejected = 0;
  const pendingWrites: (Buffer | string)[] = [];
  const onEvent = (event: CotEvent): void => {
    try {
      pendingWrites.push(encode(event));
    } catch (err) {
      rejected++;
      io.stderr.write(`takd cot: event ${JSON.stringify(event.uid)} cannot be written as ${parsed}: ${(err as Error).message}\n`);
    }
  };
  const onError = (error: CotDecodeError): void => {
    rejected++;
    const at = error.offset === undefined ? '' : `byte ${error.offset}: `;
    io.stderr.write(`takd cot: ${at}${error.reason}: ${error.message}\n`);
  };

  let decoder: { push(chunk: Buffer): void; end?(): void } | undefined;
  for await (const data of io.stdin) {
    const chunk = typeof data === 'string' ? Buffer.from(data) : (data as Buffer);
    if (decoder === undefined) {
      const first = chunk.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
      if (first === undefined) continue;
      decoder = first === 0x7b ? new JsonLinesDecoder(onEvent, onError) : new CotStreamDecoder({ onEvent, onError });
      if (first === 0xbf) (decoder as CotStreamDecoder).setProtocol(1);
    }
    decoder.push(chunk);
    if (pendingWrites.length > 0) {
      const ok = io.stdout.write(typeof pendingWrites[0] === 'string' ? pendingWrites.join('') : Buffer.concat(pendingWrites as Buffer[]));
      pendingWrites.length = 0;
      if (!ok) await once(io.stdout, 'drain');
    }
  }
  decoder?.end?.();
  if (pendingWrites.length > 0) io.stdout.write(typeof pendingWrites[0] === 'string' ? pendingWrites.join('') : Buffer.concat(pendingWrites as Buffer[]));
  return rejected === 0 ? EXIT_OK : EXIT_FAILURE;
}
