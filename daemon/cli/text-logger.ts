/** A plain-text logger for the command-line tools: one line per message on stderr. */
import type { Logger } from '../../util/logger.js';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
type Level = (typeof LEVELS)[number];

function describe(obj: object): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'transport' || value === undefined) continue;
    const text = value instanceof Error ? value.message : typeof value === 'object' ? JSON.stringify(value) : String(value);
    parts.push(`${key}=${text}`);
  }
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

export function textLogger(stream: NodeJS.WritableStream, prefix: string, minimum: Level): Logger {
  const threshold = LEVELS.indexOf(minimum);
  const at = (level: Level) => (obj: object, msg?: string) => {
    if (LEVELS.indexOf(level) < threshold) return;
    const transport = 'transport' in obj ? `${String((obj as { transport: unknown }).transport)}: ` : '';
    stream.write(`${prefix}: ${level === 'info' || level === 'debug' || level === 'trace' ? '' : `${level}: `}${transport}${msg ?? ''}${describe(obj)}\n`);
  };
  // One prefix for the whole tool: a child logs as its parent does.
  const logger: Logger = { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), fatal: at('fatal'), child: () => logger };
  return logger;
}
