/**
 * Process signals and last-resort error handling:
 * - SIGTERM/SIGINT: graceful stop (stop intake, bounded flush, close), exit 0; a second
 *   signal exits at once.
 * - SIGHUP: reload the configuration (one at a time; a HUP during a reload runs once more after).
 * - An exception nobody caught is a bug: logged with its stack, exit 1, systemd restarts us.
 *   (Input from networks and devices never throws this far: decoders count, not throw.)
 */
import type { Logger } from '../log.js';

export interface SignalHandlers {
  stop(signal: NodeJS.Signals): Promise<void>;
  reload(): Promise<void>;
}

/** What an uncaught exception or unhandled rejection does: log the stack, exit 1. */
export function fatalErrorHandler(logger: Logger, exit: (code: number) => void): (error: unknown) => void {
  return (error) => {
    logger.fatal({ error: error instanceof Error ? error.stack : String(error) }, 'unexpected error; exiting');
    exit(1);
  };
}

export function installSignalHandlers(handlers: SignalHandlers, logger: Logger, exit: (code: number) => void = (code) => process.exit(code)): () => void {
  let stopping = false;
  let reloading: Promise<void> | undefined;
  let reloadAgain = false;

  const onStop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      exit(1);
      return;
    }
    stopping = true;
    logger.info({ signal }, 'stopping');
    handlers.stop(signal).then(
      () => exit(0),
      (error: unknown) => {
        logger.error({ error: error instanceof Error ? error.stack : String(error) }, 'error while stopping');
        exit(1);
      },
    );
  };

  const onHup = (): void => {
    if (stopping) return;
    if (reloading !== undefined) {
      reloadAgain = true;
      return;
    }
    const run = (): void => {
      reloading = handlers.reload()
        .catch((error: unknown) => logger.error({ error: error instanceof Error ? error.message : String(error) }, 'reload failed; keeping the running configuration'))
        .finally(() => {
          reloading = undefined;
          if (reloadAgain && !stopping) {
            reloadAgain = false;
            run();
          }
        });
    };
    run();
  };

  const onFatal = fatalErrorHandler(logger, exit);

  process.on('SIGTERM', onStop);
  process.on('SIGINT', onStop);
  process.on('SIGHUP', onHup);
  process.on('uncaughtException', onFatal);
  process.on('unhandledRejection', onFatal);
  return () => {
    process.off('SIGTERM', onStop);
    process.off('SIGINT', onStop);
    process.off('SIGHUP', onHup);
    process.off('uncaughtException', onFatal);
    process.off('unhandledRejection', onFatal);
  };
}
