// `takd status [--watch|--json]`: what the running daemon says about itself (its status.json,
// or its HTTP /status), as a table a person reads over SSH, or as JSON for scripts.
// Exit status: 0 healthy, 1 not (the rule of /health: started, nothing failed, an output up).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../config/loader.js';
import { viewConfig } from '../../config/view.js';
import { defaultStatusDir, isHealthy, type StatusSnapshot } from '../lifecycle/status.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from './command.js';

const HELP = `Usage: takd status [--watch [SECONDS]] [--json] [--dir DIR | --url URL | -c FILE]

Shows what the running takd says about itself: version, uptime, GPS, and each link
(source, input, output) with its state in words, its event rate, queue and last error.

  --watch [S]  redraw in place every S seconds (default 2); rates are then measured
               between two reads. Ctrl-C to leave.
  --json       print the daemon's status as JSON (the same as status.json), for scripts
  --dir DIR    read DIR/status.json (default: $RUNTIME_DIRECTORY, else /run/takd, the
               directory \`takd run\` writes to unless [status] dir says otherwise)
  --url URL    ask the daemon's HTTP server instead, e.g. http://127.0.0.1:8080
               (the [status] http address; /status is appended)
  -c FILE      take [status] dir from the daemon's configuration file

Exit status: 0 healthy, 1 not healthy or not running (not started, a link failed, or
every output down: the rule of GET /health), 2 usage error.

Examples:
  takd status
  takd status --watch
  takd status --json | jq '.components[] | select(.state != "connected")'
  takd status --url http://127.0.0.1:8080 || echo "takd needs a look"
`;

interface Options {
  watch: number | undefined;
  json: boolean;
  dir: string | undefined;
  url: string | undefined;
  config: string | undefined;
}

function parse(args: string[]): Options {
  const options: Options = { watch: undefined, json: false, dir: undefined, url: undefined, config: undefined };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = (): string => {
      const next = args[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--json') options.json = true;
    else if (arg === '--watch' || arg === '-w') {
      const next = args[i + 1];
      if (next !== undefined && /^\d+(\.\d+)?$/.test(next)) {
        options.watch = Number(next);
        i++;
      } else options.watch = 2;
      if (options.watch <= 0) throw new Error('--watch needs a positive number of seconds');
    } else if (arg === '--dir') options.dir = value();
    else if (arg === '--url') options.url = value().replace(/\/+$/, '');
    else if (arg === '-c' || arg === '--config') options.config = value();
    else throw new Error(`unknown argument '${arg}'`);
  }
  return options;
}

/** Reads the snapshot from the daemon; throws with a sentence a person acts on. */
export async function readSnapshot(options: Pick<Options, 'dir' | 'url' | 'config'>, env: NodeJS.ProcessEnv = process.env): Promise<StatusSnapshot> {
  if (options.url !== undefined) {
    const url = /\/status$/.test(options.url) ? options.url : `${options.url}/status`;
    let response: Response;
    try {
      response = await fetch(url, { headers: env.TAKD_TOKEN ? { authorization: `Bearer ${env.TAKD_TOKEN}` } : {} });
    } catch (error) {
      throw new Error(`cannot reach ${url}: ${(error as { cause?: { code?: string } }).cause?.code ?? String(error)} (is takd running with [status] http?)`, { cause: error });
    }
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    return (await response.json()) as StatusSnapshot;
  }
  let dir = options.dir;
  if (dir === undefined && options.config !== undefined) dir = viewConfig(loadConfig({ args: ['-c', options.config], env }).config).status.dir;
  dir ??= defaultStatusDir(env);
  const path = join(dir, 'status.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `no ${path}: takd is not running, or writes elsewhere (--dir, -c FILE or --url)` : `cannot read ${path}: ${code ?? String(error)}`, { cause: error });
  }
  const snapshot = JSON.parse(text) as StatusSnapshot;
  if (snapshot.ready && !processAlive(snapshot.pid)) return { ...snapshot, ready: false, components: snapshot.components.map((c) => ({ ...c, state: 'stopped', detail: `takd (pid ${snapshot.pid}) is gone; this is its last status` })) };
  return snapshot;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86400)}d${String(Math.floor((s % 86400) / 3600)).padStart(2, '0')}h`;
}

/** The count of events a link moved: sent by outputs, received by inputs, decoded by sources. */
export function eventCount(counters: Record<string, number>): number {
  for (const key of ['eventsSent', 'eventsReceived', 'events', 'messages']) {
    const value = counters[key];
    if (typeof value === 'number') return value;
  }
  return 0;
}

const STATE_WORDS: Record<string, string> = { starting: 'starting', connected: 'up', retrying: 'DOWN, retrying', failed: 'FAILED', ended: 'ended', stopped: 'stopped' };

function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/**
 * The table. `previous` (with its time) gives rates over the last interval; without it the
 * rate is the average since start.
 */
export function formatStatus(snapshot: StatusSnapshot, previous?: { snapshot: StatusSnapshot; atMs: number; nowMs: number }, width = 100): string {
  const healthy = isHealthy(snapshot);
  const gps = snapshot.gps;
  const lines = [
    `takd ${snapshot.version}  pid ${snapshot.pid}  up ${duration(snapshot.uptimeSeconds)}  ${healthy ? 'HEALTHY' : 'NOT HEALTHY'}${snapshot.ready ? '' : ' (not ready)'}`,
    `GPS ${gps.fix}${gps.ageSeconds !== undefined && gps.ageSeconds !== null ? `, fix ${duration(gps.ageSeconds)} old` : ''}   events in ${snapshot.counters.eventsIn}, out ${snapshot.counters.eventsOut}, dropped ${Object.values(snapshot.counters.dropped).reduce((a, b) => a + b, 0)}${snapshot.hub && snapshot.hub.listeners.length > 0 ? `   hub clients ${snapshot.hub.clients}` : ''}`,
    '',
  ];
  const rows = snapshot.components.map((c) => {
    const count = eventCount(c.counters);
    let rate: number;
    const before = previous?.snapshot.components.find((p) => p.id === c.id);
    if (previous && before) rate = (count - eventCount(before.counters)) / Math.max(0.001, (previous.nowMs - previous.atMs) / 1000);
    else rate = snapshot.uptimeSeconds > 0 ? count / snapshot.uptimeSeconds : 0;
    const state = STATE_WORDS[c.state] ?? c.state;
    return [c.id, c.kind, state, `${rate.toFixed(rate < 10 ? 1 : 0)}/s`, String(count), c.queueDepth === undefined ? '' : String(c.queueDepth), c.state === 'connected' || c.state === 'starting' ? c.detail : (c.lastError ?? c.detail)];
  });
  const header = ['LINK', 'KIND', 'STATE', 'RATE', 'EVENTS', 'QUEUE', 'DETAIL / LAST ERROR'];
  const widths = header.map((h, i) => (i === header.length - 1 ? 0 : Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0))));
  const fixed = widths.reduce((a, b) => a + b + 2, 0);
  const render = (row: string[]): string => row.map((cell, i) => (i === row.length - 1 ? cut(cell, Math.max(20, width - fixed)) : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  lines.push(render(header), ...rows.map(render));
  if (rows.length === 0) lines.push('(no links configured)');
  const errors = snapshot.components.filter((c) => c.lastError !== undefined && c.state === 'connected');
  if (errors.length > 0) lines.push('', ...errors.map((c) => `${c.id}: last error ${cut(c.lastError ?? '', width - c.id.length - 14)}`));
  return `${lines.join('\n')}\n`;
}

export async function main(args: string[], io: CliIo): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  let options: Options;
  try {
    options = parse(args);
  } catch (error) {
    io.stderr.write(`takd status: ${(error as Error).message}\n\n${HELP}`);
    return EXIT_USAGE;
  }
  const width = (io.stdout as NodeJS.WriteStream).columns ?? 100;
  if (options.watch === undefined) {
    try {
      const snapshot = await readSnapshot(options);
      io.stdout.write(options.json ? `${JSON.stringify({ healthy: isHealthy(snapshot), ...snapshot }, null, 2)}\n` : formatStatus(snapshot, undefined, width));
      return isHealthy(snapshot) ? EXIT_OK : EXIT_FAILURE;
    } catch (error) {
      io.stderr.write(`takd status: ${(error as Error).message}\n`);
      return EXIT_FAILURE;
    }
  }
  // --watch: redraw in place until interrupted; the exit status is the last read's.
  let previous: { snapshot: StatusSnapshot; atMs: number } | undefined;
  let healthy = false;
  let stop = false;
  const onSignal = (): void => {
    stop = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    while (!stop) {
      const nowMs = Date.now();
      let text: string;
      try {
        const snapshot = await readSnapshot(options);
        healthy = isHealthy(snapshot);
        text = options.json ? `${JSON.stringify({ healthy, ...snapshot })}\n` : formatStatus(snapshot, previous && { ...previous, nowMs }, width);
        previous = { snapshot, atMs: nowMs };
      } catch (error) {
        healthy = false;
        text = `takd status: ${(error as Error).message}\n`;
      }
      // In place: home the cursor and clear the screen (JSON lines are appended instead).
      io.stdout.write(options.json ? text : `\x1b[H\x1b[2J${new Date(nowMs).toISOString().slice(11, 19)}Z  (every ${options.watch}s, Ctrl-C to leave)\n${text}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, (options.watch ?? 2) * 1000);
        const early = (): void => {
          clearTimeout(timer);
          resolve();
        };
        process.once('SIGINT', early);
        process.once('SIGTERM', early);
        timer.unref?.();
        setTimeout(() => {
          process.off('SIGINT', early);
          process.off('SIGTERM', early);
        }, (options.watch ?? 2) * 1000 + 10).unref();
      });
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return healthy ? EXIT_OK : EXIT_FAILURE;
}
