#!/usr/bin/env node
// takd entry point: argv → subcommand. No logic here; each subcommand is loaded lazily so
// a command only pays for the modules it uses.
import { readFileSync } from 'node:fs';
import { EXIT_FAILURE, EXIT_USAGE, type CliMain } from './cli/command.js';

interface Subcommand {
  summary: string;
  load: () => Promise<{ main: CliMain }>;
}

const subcommands: Record<string, Subcommand> = {
  send: { summary: 'send CoT XML from stdin to a URL: takd send URL [--proto 0|1]', load: () => import('./cli/send.js') },
  listen: { summary: 'print CoT received on a URL, one per line: takd listen URL [--json]', load: () => import('./cli/listen.js') },
  serial: { summary: 'list serial devices with USB ids and the driver each looks like: takd serial list', load: () => import('./cli/serial.js') },
  gps: { summary: 'decode NMEA 0183 to gpsd-style JSON fixes: takd gps decode FILE|-|URL', load: () => import('./cli/gps.js') },
  ais: { summary: 'decode AIS (AIVDM/AIVDO) to gpsd-style JSON reports: takd ais decode FILE|-', load: () => import('./cli/ais.js') },
  aprs: { summary: 'decode APRS (KISS frames or TNC2 text) to JSON packets: takd aprs decode FILE|-', load: () => import('./cli/aprs.js') },
  cot: { summary: 'convert CoT between XML, JSON and TAK protocol v1', load: () => import('./cli/cot.js') },
  run: { summary: 'run the daemon: takd run [-c FILE]', load: () => import('./cli/run.js') },
  status: { summary: 'show the running daemon\'s links, rates and errors; exit 0 if healthy: takd status [--watch|--json]', load: () => import('./cli/status.js') },
  token: { summary: 'print (or create) the bearer token of the HTTP console and API: takd token [--new]', load: () => import('./cli/token.js') },
  ca: { summary: 'the box\'s certificate authority and server certificate: takd ca init|server|show [-c FILE]', load: () => import('./cli/ca.js') },
  user: { summary: 'phones that enroll with the box\'s CA: takd user add NAME|list|revoke NAME [-c FILE]', load: () => import('./cli/user.js') },
  package: { summary: 'an ATAK/iTAK connection package for a user: takd package client NAME [-c FILE]', load: () => import('./cli/package.js') },
  import: { summary: 'read a TAK connection package (ATAK or iTAK zip) into credentials and an output: takd import FILE.zip', load: () => import('./cli/import.js') },
  enroll: { summary: 'get a client certificate from a TAK server (port 8446) for a tak:// link: takd enroll URL [--ca FILE]', load: () => import('./cli/enroll.js') },
  config: { summary: 'validate or show the configuration with each value\'s origin: takd config check|show [-c FILE]', load: () => import('./cli/config.js') },
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function usage(): string {
  const rows = Object.entries(subcommands).map(([name, s]) => `  takd ${name.padEnd(8)} ${s.summary}`);
  return [
    'takd — GPS receivers and tactical radios to Cursor-on-Target, for ATAK/WinTAK/iTAK',
    '',
    'Usage: takd [run] [-c FILE]          run the daemon (the default command)',
    '       takd <command> [options]      (takd <command> --help for each command)',
    '',
    ...rows,
    '  takd --version',
    '',
    'Exit status: 0 success, 1 runtime failure, 2 usage or configuration error.',
    '',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [first] = argv;
  if (first === '--version' || first === '-V') {
    process.stdout.write(`takd ${version()}\n`);
    return 0;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(usage());
    return 0;
  }
  // `run` is the default subcommand: `takd` and `takd -c FILE` run the daemon.
  const [name, rest] = first === undefined || first.startsWith('-') ? ['run', argv] : [first, argv.slice(1)];
  const command = subcommands[name];
  if (!command) {
    process.stderr.write(`takd: unknown command '${name}'. Run 'takd --help' for the list.\n`);
    return EXIT_USAGE;
  }
  const module = await command.load();
  return module.main(rest, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
}

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (err: unknown) => {
    process.stderr.write(`takd: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = EXIT_FAILURE;
  },
);
