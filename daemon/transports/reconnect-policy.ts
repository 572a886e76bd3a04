/**
 * A client transport's retries (tcp/tls, wss, mqtt, marti): the backoff, the failures in a
 * row that `maxAttempts` bounds, and one log line per distinct cause rather than one per
 * retry. The transport keeps its own state, timers and what giving up means for its queue.
 */
import { Backoff, type BackoffOptions } from '../../util/backoff.js';
import type { Logger } from '../../util/logger.js';
import type { ClassifiedError } from './errors.js';
import type { TransportCounters } from './types.js';

/** How a transport reads a failure; the defaults are the streaming clients'. */
export interface RetryRules {
  /** Failures retrying cannot fix; default: configuration errors. */
  fatal?(problem: ClassifiedError): boolean;
  /** The log line when giving up; default 'giving up'. */
  givingUp?(problem: ClassifiedError): string;
  /** The log line of a new cause; default by kind: TLS certificate rejected, disconnected, cannot connect. */
  failedLine?(problem: ClassifiedError, wasUp: boolean): string;
}

export class ReconnectPolicy {
  private readonly backoff: Backoff;
  private failuresInARow = 0;
  private lastLoggedCause: string | undefined;

  constructor(
    private readonly name: string,
    private readonly logger: Logger,
    backoff: BackoffOptions | undefined,
    /** Give up after this many failures in a row (TransportOptions.maxAttempts); undefined: never. */
    private readonly maxAttempts: number | undefined,
    private readonly rules: RetryRules = {},
  ) {
    this.backoff = new Backoff(backoff);
  }

  /** A request or connection worked: the failures in a row start over. */
  succeeded(): void {
    this.failuresInARow = 0;
  }

  /** Connected (again): failures, the logged cause and the backoff's clock start over. */
  connected(): void {
    this.failuresInARow = 0;
    this.lastLoggedCause = undefined;
    this.backoff.connected();
  }

  /** A connection that was up went down: counted; the backoff resets after one that stayed up long enough. */
  disconnected(counters: TransportCounters): void {
    counters.disconnects += 1;
    this.backoff.disconnected();
  }

  /**
   * A connection or attempt failed. Undefined: give up (a fatal problem, or `maxAttempts`
   * failures in a row; logged as an error). Else the delay before the next attempt: the
   * slowest one after a certificate problem, as retrying soon cannot fix it.
   */
  afterFailure(problem: ClassifiedError, wasUp: boolean): number | undefined {
    this.failuresInARow += 1;
    const maxAttempts = this.maxAttempts;
    const fatal = this.rules.fatal?.(problem) ?? problem.kind === 'config';
    if (fatal || (maxAttempts !== undefined && this.failuresInARow >= maxAttempts)) {
      this.logger.error({ transport: this.name, cause: problem.cause }, this.rules.givingUp?.(problem) ?? 'giving up');
      return undefined;
    }
    const delay = problem.kind === 'certificate' ? this.backoff.slowest() : this.backoff.next();
    // One clear line per distinct cause, not one per retry.
    const repeated = this.lastLoggedCause === problem.cause;
    this.lastLoggedCause = problem.cause;
    const fields = { transport: this.name, cause: problem.cause, retryInMs: delay };
    if (repeated) this.logger.debug(fields, 'still failing');
    else if (this.rules.failedLine !== undefined) this.logger.warn(fields, this.rules.failedLine(problem, wasUp));
    else if (problem.kind === 'certificate') this.logger.error(fields, 'TLS certificate rejected');
    else this.logger.warn(fields, wasUp ? 'disconnected' : 'cannot connect');
    return delay;
  }
}

/** `retrying in 9 s: cause`, the status line while waiting. */
export function retryingMessage(delayMs: number, cause: string): string {
  return `retrying in ${Math.round(delayMs / 1000)} s: ${cause}`;
}

/** What a client closes: a socket (end, destroy) or a websocket (close, terminate). */
interface Closable {
  once(event: 'close', listener: () => void): unknown;
}

/**
 * Closes a client's connection: gracefully (`end`: FIN or a close frame after our data), or
 * at once (`destroy`) when `abrupt` or when the peer has not closed within 2 s.
 */
export function closeConnection(connection: Closable, abrupt: boolean, end: () => void, destroy: () => void): Promise<void> {
  return new Promise<void>((resolve) => {
    connection.once('close', () => resolve());
    const force = setTimeout(destroy, 2_000);
    force.unref();
    if (abrupt) destroy();
    else end();
  });
}
