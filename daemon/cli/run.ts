// `takd run`: configuration → supervised daemon. Exits 2 on a bad configuration (nothing
// started), 1 when something fails at runtime, 0 after a graceful stop.
import { readFileSync } from 'node:fs';
import { embeddedDefault } from '../../config/embedded.js';
import { realProbes } from './embedded-probes.js';
import { ConfigError, formatProblem, type Problem } from '../../config/errors.js';
import { DEFAULT_CONFIG_FILE, loadConfig, type LoadedConfig } from '../../config/loader.js';
import { problemPlace } from '../../config/origin.js';
import { preflight } from '../../config/preflight.js';
import { viewConfig, type TakdConfig } from '../../config/view.js';
import { Daemon } from '../lifecycle/daemon.js';
import { SystemdNotifier } from '../lifecycle/notify.js';
import { installSignalHandlers } from '../lifecycle/signals.js';
import { ComponentStartError } from '../lifecycle/supervisor.js';
import { createLogger, type Logger, type RootLogger } from '../log.js';
import { TransportConfigError } from '../transports/errors.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from './command.js';

const HELP = `Usage: takd run [-c FILE | --no-config] [--set SECTION.KEY=VALUE …] [--callsign NAME] [--log-level LEVEL]

Runs the daemon: reads GPS receivers and radios ([source.*]), network inputs ([input.*]),
and routes CoT to the outputs ([output.*]), with our own position reports ([pli]). By
default what comes from a server goes to mesh and phones, what comes from mesh, radios
and phones goes to the server, and our own position goes everywhere; each output can
narrow that (types, from, bbox, radius), set a budget (rate_bytes, rate_events), and keep
chat, markers and emergencies through an outage in a durable queue in $STATE_DIRECTORY
(else /var/lib/takd; on by default for tcp:// and tls:// outputs). See docs/configuration.md.

The configuration is ${DEFAULT_CONFIG_FILE} unless -c FILE or $TAKD_CONFIG names another.
With no file (or --no-config), the embedded default applies: identity from this machine,
gpsd on localhost if it answers, else a serial GPS, and output to ATAK Mesh SA
(udp://239.2.3.1:6969, TTL 1). The first log lines say what was chosen and why.

Signals: SIGTERM/SIGINT stop gracefully (a second one exits at once); SIGHUP reloads the
file, keeping the connections of sources and outputs whose settings did not change.
Status: status.json in $RUNTIME_DIRECTORY (else /run/takd); [status] http = 127.0.0.1:8080
serves /health and /metrics.

Exit status: 0 stopped by a signal, 1 runtime failure, 2 configuration error.

Examples:
  takd run -c config/examples/demo.ini        the demo: simulated GPS → CoT on stdout and 127.0.0.1:8087
  takd run                                    ${DEFAULT_CONFIG_FILE}, or the embedded default
  COT_URL=tcp://tak.example.org:8087 takd run --no-config --callsign ALPHA-1
`;

function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Loads, applies the embedded default when there is no file, and checks files and devices. */
async function loadEffective(args: string[], env: NodeJS.ProcessEnv): Promise<{ config: TakdConfig; reasons: string[]; warnings: string[]; rest: string[] }> {
  const first = loadConfig({ args, env });
  const { rest } = first;
  let loaded = first.config;
  // No file, or one that sets nothing (the .deb's all-commented takd.ini): the embedded default.
  const choice = await embeddedDefault(loaded, realProbes);
  if (choice.settings.length > 0) loaded = loadConfig({ args, env, embedded: choice.settings }).config;
  const checked = preflight(loaded);
  if (checked.problems.length > 0) throw new ConfigError(checked.problems);
  return { config: viewConfig(loaded), reasons: choice.reasons, warnings: [...loaded.warnings, ...checked.warnings], rest };
}

/** A transport's configuration error at start, as `FILE:LINE: key: message` for the setting that caused it. */
function startProblem(error: ComponentStartError, loaded: LoadedConfig): Problem | undefined {
  if (!(error.reason instanceof TransportConfigError)) return undefined;
  const key = error.reason.key;
  const setting = loaded.sections.get(error.id)?.get(key) ?? loaded.sections.get(error.id)?.get('url');
  const message = error.reason.message.replace(new RegExp(`^${key}: `), '');
  if (setting === undefined) return { where: `[${error.id}]`, key, message };
  return { ...problemPlace(setting.origin, key), message };
}

export async function main(args: string[], io: CliIo): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  const env = process.env;
  let effective;
  try {
    effective = await loadEffective(args, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
  const stray = effective.rest.filter((a) => a !== 'run');
  if (stray.length > 0) {
    io.stderr.write(`takd run: unknown argument '${stray[0]}' (takd run --help)\n`);
    return EXIT_USAGE;
  }
  const { config } = effective;
  const logger = createLogger({ level: config.log.level, format: config.log.format, repeatIntervalMs: config.log.repeatIntervalMs });
  const core = logger.child({ component: 'takd' });
  core.info({ version: version(), pid: process.pid, config: config.file ?? 'none (embedded default)' }, 'takd starting');
  for (const reason of effective.reasons) core.info({}, `embedded default: ${reason}`);
  for (const warning of effective.warnings) core.warn({}, warning);

  const notifier = new SystemdNotifier({ logger: core });
  const daemon = new Daemon({ config, logger, version: version(), notifier });
  // Signals are handled from the first moment: a SIGTERM during start-up waits for the
  // start to finish (or fail), then stops cleanly.
  const started = daemon.start();
  let exited: (code: number) => void = () => undefined;
  const exitCode = new Promise<number>((resolve) => (exited = resolve));
  const uninstall = installSignalHandlers(
    {
      stop: async () => {
        await started.catch(() => undefined);
        await daemon.stop();
      },
      reload: async () => {
        await started;
        await reload(daemon, args, env, core, logger);
      },
    },
    core,
    (code) => {
      exited(code);
      // Anything still open after a stop (a stuck socket) must not keep the process alive.
      setTimeout(() => process.exit(code), 100).unref();
      if (code !== 0) process.exit(code);
    },
  );
  try {
    await started;
  } catch (error) {
    uninstall();
    if (error instanceof ComponentStartError) {
      const problem = startProblem(error, config.loaded);
      if (problem !== undefined) {
        io.stderr.write(`${formatProblem(problem)}\n`);
        return EXIT_USAGE;
      }
      core.error({ id: error.id, error: error.message }, 'cannot start');
      return EXIT_FAILURE;
    }
    throw error;
  }
  return exitCode;
}

/** SIGHUP: a bad file is refused with its problems logged, and the running configuration stays. */
async function reload(daemon: Daemon, args: string[], env: NodeJS.ProcessEnv, logger: Logger, root: RootLogger): Promise<void> {
  let next;
  try {
    next = await loadEffective(args, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) logger.error({}, `reload refused: ${formatProblem(problem)}`);
      return;
    }
    throw error;
  }
  for (const warning of next.warnings) logger.warn({}, warning);
  root.setLevel(next.config.log.level);
  await daemon.reload(next.config);
}
