// takd listen URL: print every CoT event received on URL, one per line (XML, or JSON).
// Runs until interrupted, or until --count events have arrived.
import { eventToJson } from '../codec/json.js';
import type { CotEvent } from '../codec/event.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './command.js';
import { parseTransportFlags, schemeHelp, TRANSPORT_FLAGS_HELP } from './transport-flags.js';
import { ConfigError } from '../../config/errors.js';
import { TransportConfigError } from '../transports/errors.js';
import { openTransportFromSpec } from '../transports/index.js';
import { oneLineXml } from '../transports/stream-codec.js';
import { textLogger } from './text-logger.js';
import type { Transport } from '../transports/types.js';
import { transportListens, transportReceives, type TransportSpec } from '../transports/url.js';

const HELP = `Usage: takd listen URL [--json] [options]

Prints every CoT event received on URL, one per line: XML (default) or JSON.
Clients read (they never send here); listeners accept end-user devices. URL schemes:
${schemeHelp((row) => row.receives)}

  --json                 one JSON object per line instead of XML
  --count N              exit after N events
${TRANSPORT_FLAGS_HELP}
Examples:
  takd listen udp://239.2.3.1:6969 --interface eth0
  takd listen tcp+listen://0.0.0.0:8087 --json
  takd listen tls+listen://0.0.0.0:8089 --cert server.pem --key server.key --client-ca ca.pem
  MQTT_QOS=1 takd listen 'mqtt://broker:1883/tak/fleet1/+/cot' --json
  takd listen tls://tak.example.org:8089 --cert me.p12 --password-file me.pass --ca ca.pem

Exit status: 0 on interrupt or after --count events, 1 if the transport failed, 2 usage or configuration error.
`;

/** Listening never sends: client URLs become receive-only. */
function receiveOnly(spec: TransportSpec): TransportSpec {
  if (!transportReceives(spec)) throw new UsageError(`${spec.kind}:// is an output; listen needs a network URL`);
  if (!transportListens(spec) && 'direction' in spec) return { ...spec, direction: 'receive' };
  return spec;
}

export async function main(args: string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  let transport: Transport;
  let json: boolean;
  let remaining = Infinity;
  let finish: (status: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => (finish = resolve));
  try {
    const flags = parseTransportFlags(args, { '--json': false, '--count': true }, process.env);
    json = flags.extra.has('--json');
    const countText = flags.extra.get('--count');
    if (countText !== undefined) {
      remaining = Number(countText);
      if (!Number.isInteger(remaining) || remaining < 1) throw new UsageError(`--count ${countText}: a whole number >= 1`);
    }
    const print = (event: CotEvent): void => {
      if (remaining <= 0) return;
      io.stdout.write(`${json ? JSON.stringify(eventToJson(event)) : oneLineXml(event)}\n`);
      remaining -= 1;
      if (remaining === 0) finish(EXIT_OK);
    };
    transport = await openTransportFromSpec(receiveOnly(flags.spec), {
      ...flags.options,
      name: flags.url,
      logger: textLogger(io.stderr, 'takd listen', flags.verbose ? 'info' : 'warn'),
      onEvent: print,
    });
    transport.start();
  } catch (error) {
    if (error instanceof UsageError || error instanceof TransportConfigError || error instanceof ConfigError) {
      io.stderr.write(`takd listen: ${error.message}\n${error instanceof UsageError ? "Run 'takd listen --help' for usage.\n" : ''}`);
      return EXIT_USAGE;
    }
    throw error;
  }
  const onSignal = (): void => finish(EXIT_OK);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // A transport that gives up (a port in use, a bad address) ends the command.
  const watch = setInterval(() => {
    const status = transport.status();
    if (status.state === 'failed') {
      io.stderr.write(`takd listen: ${transport.name}: ${status.message}\n`);
      finish(EXIT_FAILURE);
    }
  }, 250);
  const status = await finished;
  clearInterval(watch);
  process.removeListener('SIGINT', onSignal);
  process.removeListener('SIGTERM', onSignal);
  await transport.close();
  return status;
}
