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
  cot: { summary: 'convert CoT between XML, JSON and TAK protocol v1', load: () => import('./cli/cot.js') },
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
    'Usage: takd <command> [options]      (takd <command> --help for each command)',
    '',
    ...rows,
    '  takd --version',
    '',
    'Exit status: 0 success, 1 runtime failure, 2 usage or configuration error.',
    '',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--version' || first === '-V') {
    process.stdout.write(`takd ${version()}\n`);
    return 0;
  }
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(usage());
    return first === undefined ? EXIT_USAGE : 0;
  }
  const command = subcommands[first];
  if (!command) {
    process.stderr.write(`takd: unknown command '${first}'. Run 'takd --help' for the list.\n`);
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
