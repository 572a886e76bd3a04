/**
 * Hands a received event to the consumer. A consumer that throws must not take the
 * socket's read loop (and so the connection, or the process) down with it.
 */
import type { CotEvent } from '../codec/event.js';
import type { Logger } from '../../util/logger.js';
import type { EventHandler, EventOrigin } from './types.js';

export function deliver(handler: EventHandler | undefined, event: CotEvent, origin: EventOrigin, logger: Logger): void {
  if (!handler) return;
  try {
    handler(event, origin);
  } catch (error) {
    logger.error({ transport: origin.transport, uid: event.uid, err: error instanceof Error ? error.message : String(error) }, 'event consumer failed');
  }
}
