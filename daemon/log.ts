/**
 * The daemon's logger: pino behind a small interface, one child per component
 * (`logger.child({ component: 'output.mesh' })`).
 *
 * - JSON lines on stdout for journald; under systemd (INVOCATION_ID set) without our own
 *   timestamp, since the journal has one. Human-readable lines when stdout is a terminal.
 * - A warning repeated within `repeatIntervalMs` (same component, same message) is counted
 *   instead of logged; the next one after the interval says how many were suppressed.
 *   A device spewing garbage thus costs one line a minute, not the SD card.
 * - Secrets never reach the output: payload keys named like passwords, passphrases, tokens
 *   and private keys are censored at any of the first two levels.
 */
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import type { Logger } from '../util/logger.js';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** What components take: the one Logger (util/logger.ts). */
export type { Logger } from '../util/logger.js';
export { silentLogger } from '../util/logger.js';

/** The root logger also changes its level (a reload of [log] level). */
export interface RootLogger extends Logger {
  setLevel(level: LogLevel | string): void;
}

export interface LoggerOptions {
  level?: LogLevel | string;
  format?: 'auto' | 'json' | 'pretty';
  repeatIntervalMs?: number;
  /** Where lines go; default stdout. */
  destination?: DestinationStream;
  /** Default: process.stdout.isTTY. */
  isTerminal?: boolean;
  /** Default: process.env. */
  env?: NodeJS.ProcessEnv;
  now?: () => number;
}

const SECRET_NAMES = ['password', 'passphrase', 'passwd', 'token', 'secret', 'privateKey', 'pfx', 'authorization', 'apiKey'];
export const REDACT_PATHS = SECRET_NAMES.flatMap((name) => [name, `*.${name}`]);

/** Suppresses repeats of the same warning for a while; bounded in memory. */
class RepeatLimiter {
  private readonly seen = new Map<string, { since: number; suppressed: number }>();
  private static readonly MAX_KEYS = 1000;

  constructor(private readonly intervalMs: number, private readonly now: () => number) {}

  /** undefined: suppress; otherwise log, with the number suppressed since the last one. */
  admit(key: string): number | undefined {
    if (this.intervalMs <= 0) return 0;
    const now = this.now();
    const entry = this.seen.get(key);
    if (entry !== undefined && now - entry.since < this.intervalMs) {
      entry.suppressed += 1;
      return undefined;
    }
    const suppressed = entry?.suppressed ?? 0;
    this.seen.delete(key);
    if (this.seen.size >= RepeatLimiter.MAX_KEYS) this.seen.delete(this.seen.keys().next().value as string);
    this.seen.set(key, { since: now, suppressed: 0 });
    return suppressed;
  }
}

class TakdLogger implements RootLogger {
  constructor(private readonly pinoLogger: PinoLogger, private readonly limiter: RepeatLimiter, private readonly scope: string) {}

  trace(payload: object, message?: string): void {
    this.pinoLogger.trace(payload, message);
  }
  debug(payload: object, message?: string): void {
    this.pinoLogger.debug(payload, message);
  }
  info(payload: object, message?: string): void {
    this.pinoLogger.info(payload, message);
  }
  warn(payload: object, message?: string): void {
    if (!this.pinoLogger.isLevelEnabled('warn')) return;
    const suppressed = this.limiter.admit(`${this.scope}\u0000${message ?? JSON.stringify(payload).slice(0, 200)}`);
    if (suppressed === undefined) return;
    this.pinoLogger.warn(suppressed > 0 ? { ...payload, suppressedRepeats: suppressed } : payload, message);
  }
  error(payload: object, message?: string): void {
    this.pinoLogger.error(payload, message);
  }
  fatal(payload: object, message?: string): void {
    this.pinoLogger.fatal(payload, message);
  }
  /** Children follow: pino children read the root's level unless given their own. */
  setLevel(level: string): void {
    this.pinoLogger.level = level;
  }
  child(bindings: Record<string, string>): Logger {
    return new TakdLogger(this.pinoLogger.child(bindings), this.limiter, `${this.scope}/${JSON.stringify(bindings)}`);
  }
}

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const BASE_FIELDS = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'component']);

/** One JSON log line → `12:00:01.234 WARN  output.mesh: message key=value …`. */
export function prettyLine(json: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = typeof record.time === 'number' ? new Date(record.time).toISOString().slice(11, 23) : '';
  const level = (LEVEL_NAMES[record.level as number] ?? String(record.level)).padEnd(5);
  const component = typeof record.component === 'string' ? `${record.component}: ` : '';
  const extras = Object.entries(record)
    .filter(([key]) => !BASE_FIELDS.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return `${[time, level, `${component}${String(record.msg ?? '')}`, ...extras].filter((p) => p !== '').join(' ')}\n`;
}

function prettyDestination(target: DestinationStream): DestinationStream {
  return { write: (line: string) => target.write(prettyLine(line)) };
}

export function createLogger(options: LoggerOptions = {}): RootLogger {
  const env = options.env ?? process.env;
  const terminal = options.isTerminal ?? process.stdout.isTTY === true;
  const format = options.format ?? 'auto';
  const pretty = format === 'pretty' || (format === 'auto' && terminal);
  const base: DestinationStream = options.destination ?? pino.destination({ dest: 1, sync: true });
  const underSystemd = env.INVOCATION_ID !== undefined && env.INVOCATION_ID !== '';
  const root = pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      // journald stamps every line; pretty output needs our own time.
      timestamp: pretty || !underSystemd,
      redact: { paths: REDACT_PATHS, censor: '<redacted>' },
      formatters: { level: (_label, number) => ({ level: number }) },
    },
    pretty ? prettyDestination(base) : base,
  );
  return new TakdLogger(root, new RepeatLimiter(options.repeatIntervalMs ?? 60_000, options.now ?? Date.now), '');
}
