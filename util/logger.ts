/**
 * The one logger interface every component takes — daemon, transports and HAL alike — and
 * the one logger that says nothing. Pino-shaped (payload object first, then the message),
 * so a pino logger fits as is; daemon/log.ts builds the real one, with namespaces by
 * `child({ component })`.
 */
export interface Logger {
  trace(payload: object, message?: string): void;
  debug(payload: object, message?: string): void;
  info(payload: object, message?: string): void;
  warn(payload: object, message?: string): void;
  error(payload: object, message?: string): void;
  fatal(payload: object, message?: string): void;
  child(bindings: Record<string, string>): Logger;
}

const quiet = (): void => undefined;

/** A logger that says nothing: the default where none is injected (tests, benchmarks). */
export const silentLogger: Logger = {
  trace: quiet,
  debug: quiet,
  info: quiet,
  warn: quiet,
  error: quiet,
  fatal: quiet,
  child: () => silentLogger,
};
