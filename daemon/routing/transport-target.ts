/** A transport as the router's output target: up while its state is 'up'. */
import type { CotOutput, TransportStatus } from '../transports/types.js';
import type { OutputTarget } from './output-link.js';

/** Events in the transport's own queue from which it counts as busy (MAX_OUT_QUEUE is 100 by default). */
export const BUSY_QUEUE_DEPTH = 32;

/** The part of a transport this adapter uses. */
export type StatusReporting = Pick<CotOutput, 'name' | 'send' | 'isUp' | 'backlog' | 'whenBacklogBelow'> & {
  flush?(): Promise<void>;
  status?(): Pick<TransportStatus, 'state'>;
};

/** Up: by the transport's own isUp(), else by its status; a transport that reports neither is up. */
export function transportIsUp(transport: StatusReporting): boolean {
  if (transport.isUp !== undefined) return transport.isUp();
  return transport.status === undefined || transport.status().state === 'up';
}

/**
 * Busy while the transport's backlog is at BUSY_QUEUE_DEPTH or more; then `onReady` is
 * called once it falls below again. Transports without a backlog are never busy.
 */
export function transportIsBusy(transport: StatusReporting, onReady: (() => void) | undefined): boolean {
  if (transport.backlog === undefined || transport.backlog() < BUSY_QUEUE_DEPTH) return false;
  if (onReady !== undefined) transport.whenBacklogBelow?.(BUSY_QUEUE_DEPTH, onReady);
  return true;
}

export function transportTarget(transport: StatusReporting): OutputTarget {
  const target: OutputTarget = {
    name: transport.name,
    isUp: () => transportIsUp(transport),
    busy: () => transportIsBusy(transport, target.onReady),
    send: (event) => transport.send(event),
  };
  if (transport.flush) target.flush = () => (transport.flush as () => Promise<void>)();
  return target;
}
