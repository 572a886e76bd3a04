// takd send URL: CoT XML events on stdin → any transport URL. Exits 0 once stdin is done
// and every event has been handed to the network; 1 with the cause if it could not deliver.
import { CotStreamDecoder } from '../codec/stream.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './command.js';
import { parseTransportFlags, schemeHelp, TRANSPORT_FLAGS_HELP } from './transport-flags.js';
import { ConfigError } from '../../config/errors.js';
import { TransportConfigError } from '../transports/errors.js';
import type { CotEvent } from '../codec/event.js';
import { openTransportFromSpec, type OutputListener, type Transport } from '../transports/index.js';
import { textLogger } from './text-logger.js';
import { transportDirection, transportListens } from '../transports/url.js';

const HELP = `Usage: takd send URL [options] < events.xml

Sends the CoT XML events read on stdin to URL, and exits once everything is flushed.
URL schemes (MQTT_QOS, MQTT_USERNAME, … from the environment):
${schemeHelp((row) => !row.listens)}

${TRANSPORT_FLAGS_HELP}  --retries N            connection attempts before giving up (default 3)

Examples:
  takd send tcp://tak.example.org:8087 < pli.xml
  takd send tls://tak.example.org:8089 --cert me.p12 --password-file me.pass --ca ca.pem < pli.xml
  takd send 'udp://239.2.3.1:6969?ttl=2' --interface eth0 --proto 1 < pli.xml
  takd cot convert --to xml < capture.bin | takd send udp+wo://192.168.1.20:4242

Exit status: 0 all delivered, 1 could not deliver (cause on stderr), 2 usage or configuration error.
`;

/** Events read ahead of what is written: stdin is read again once fewer wait. */
const CLI_QUEUE = 10_000;

/**
 * The CLI's own queue in front of the transport (the daemon's is the router's OutputLink):
 * every event of a piped file, in order, handed over while the transport is writable; what
 * a dead connection gives back goes to the front again.
 */
class SendQueue implements OutputListener {
  private events: CotEvent[] = [];
  private head = 0;
  private idle: (() => void) | undefined;

  constructor(private readonly transport: Transport) {
    transport.setListener?.(this);
  }

  get length(): number {
    return this.events.length - this.head;
  }

  push(event: CotEvent): void {
    this.events.push(event);
    this.onWritable();
  }

  onWritable(): void {
    const transport = this.transport;
    while (this.head < this.events.length && (transport.writable?.() ?? true)) {
      transport.send(this.events[this.head] as CotEvent);
      this.head += 1;
    }
    if (this.head === this.events.length) {
      this.events = [];
      this.head = 0;
      this.idle?.();
    }
  }

  onReturned(events: CotEvent[]): void {
    this.events = events.concat(this.events.slice(this.head));
    this.head = 0;
  }

  /** Resolves once every event was written (or dropped); rejects if the transport gave up. */
  async flush(): Promise<void> {
    for (;;) {
      while (this.length > 0) {
        const { state, message } = this.transport.status();
        if (state === 'failed') throw new Error(message);
        // Woken when the queue empties; else the transport's state is looked at again.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 50);
          this.idle = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.idle = undefined;
        this.onWritable();
      }
      await this.transport.flush();
      // A connection that died meanwhile gave events back: send them on the next one.
      if (this.length === 0) return;
    }
  }
}

export async function main(args: string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  let transport;
  let retries = 3;
  try {
    const flags = parseTransportFlags(args, { '--retries': true }, process.env);
    const retriesText = flags.extra.get('--retries');
    if (retriesText !== undefined) {
      retries = Number(retriesText);
      if (!Number.isInteger(retries) || retries < 1) throw new UsageError(`--retries ${retriesText}: a whole number >= 1`);
    }
    const { spec } = flags;
    if (transportListens(spec)) throw new UsageError('send needs a destination, not a listener URL');
    if (transportDirection(spec) === 'receive') throw new UsageError('a +ro URL cannot send');
    transport = await openTransportFromSpec(spec, {
      ...flags.options,
      name: flags.url,
      logger: textLogger(io.stderr, 'takd send', flags.verbose ? 'info' : 'warn'),
      maxAttempts: retries,
      backoff: { initialMs: 500, maxMs: 2_000 },
      pingAfterMs: 0,
      // With --proto 1, wait a moment for the server's offer so the events go as v1.
      offerWaitMs: 2_000,
    });
    transport.start();
  } catch (error) {
    if (error instanceof UsageError || error instanceof TransportConfigError || error instanceof ConfigError) {
      io.stderr.write(`takd send: ${error.message}\n${error instanceof UsageError ? "Run 'takd send --help' for usage.\n" : ''}`);
      return EXIT_USAGE;
    }
    throw error;
  }

  const queue = new SendQueue(transport);
  let decodeErrors = 0;
  const decoder = new CotStreamDecoder({
    onEvent: (event) => queue.push(event),
    onError: (error) => {
      decodeErrors += 1;
      io.stderr.write(`takd send: input byte ${error.offset ?? '?'}: ${error.reason}: ${error.message}\n`);
    },
  });
  let sawFirstByte = false;
  try {
    for await (const data of io.stdin) {
      const chunk = typeof data === 'string' ? Buffer.from(data) : (data as Buffer);
      if (!sawFirstByte) {
        // A TAK protocol v1 stream (takd cot convert --to proto-stream) is accepted too.
        const first = chunk.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
        if (first !== undefined) sawFirstByte = true;
        if (first === 0xbf) decoder.setProtocol(1);
      }
      decoder.push(chunk);
      // Back-pressure: read more only when what we have is on its way.
      if (queue.length > CLI_QUEUE / 2) await queue.flush();
    }
    await queue.flush();
  } catch (error) {
    io.stderr.write(`takd send: could not deliver to ${transport.name}: ${(error as Error).message}\n`);
    await transport.close();
    return EXIT_FAILURE;
  }
  const { eventsDropped, eventsSent } = transport.status().counters;
  await transport.close();
  if (eventsDropped > 0) {
    io.stderr.write(`takd send: ${eventsDropped} event(s) dropped (too large for ${transport.name}?); ${eventsSent} sent\n`);
    return EXIT_FAILURE;
  }
  return decodeErrors > 0 ? EXIT_FAILURE : EXIT_OK;
}
