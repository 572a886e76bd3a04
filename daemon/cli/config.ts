// `takd config check|show|docs`: validate the configuration, print the effective values
// with their origins, or print docs/configuration.md from the schema.
import { configurationMarkdown } from '../../config/docs.js';
import { ConfigError, formatProblem } from '../../config/errors.js';
import { loadConfig, DEFAULT_CONFIG_FILE } from '../../config/loader.js';
import { preflight } from '../../config/preflight.js';
import { showConfig } from '../../config/show.js';
import { viewConfig } from '../../config/view.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from './command.js';

const HELP = `Usage: takd config check|show|docs [-c FILE] [--set SECTION.KEY=VALUE …] [--strict]

  check   validate the configuration: syntax, keys, values, URLs; then the files and
          devices it names (missing certificate files, serial ports) as warnings, or as
          errors with --strict (as \`takd run\` treats them)
  show    print the effective configuration, each value with where it came from
          (default, FILE:LINE, env NAME, flag --x); passwords are redacted
  docs    print the configuration reference (docs/configuration.md) from the schema

The file is ${DEFAULT_CONFIG_FILE} unless -c FILE or $TAKD_CONFIG names another; the
environment (TAKD_<SECTION>_<KEY>, PyTAK's COT_URL, TAK_PROTO, PYTAK_*) and flags apply too.

Exit status: 0 valid, 2 invalid (each problem as FILE:LINE: key: what is wrong).

Examples:
  takd config check -c /etc/takd/takd.ini
  COT_URL=tls://tak.example.org:8089 takd config show
  takd config show --set output.mesh.ttl=2
`;

export async function main(args: string[], io: CliIo): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  const [action, ...rest] = args;
  if (action === 'docs') {
    io.stdout.write(configurationMarkdown());
    return EXIT_OK;
  }
  if (action !== 'check' && action !== 'show') {
    io.stderr.write(`takd config: expected check, show or docs\n\n${HELP}`);
    return EXIT_USAGE;
  }
  try {
    const { config, rest: unknown } = loadConfig({ args: rest });
    const strict = unknown.includes('--strict');
    const stray = unknown.filter((a) => a !== '--strict');
    if (stray.length > 0) {
      io.stderr.write(`takd config: unknown argument '${stray[0]}'\n\n${HELP}`);
      return EXIT_USAGE;
    }
    for (const warning of config.warnings) io.stderr.write(`warning: ${warning}\n`);
    if (action === 'show') {
      io.stdout.write(showConfig(config));
      return EXIT_OK;
    }
    const checked = preflight(config);
    for (const warning of checked.warnings) io.stderr.write(`warning: ${warning}\n`);
    for (const problem of checked.problems) io.stderr.write(`${strict ? '' : 'warning: '}${formatProblem(problem)}\n`);
    if (strict && checked.problems.length > 0) return EXIT_USAGE;
    const view = viewConfig(config);
    const where = config.file ?? `no file at ${DEFAULT_CONFIG_FILE}: the embedded default applies`;
    io.stdout.write(`ok: ${where} (${view.sources.length} sources, ${view.inputs.length} inputs, ${view.outputs.length} outputs)\n`);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`${error.message}\n`);
      return EXIT_USAGE;
    }
    io.stderr.write(`takd config: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILURE;
  }
}
