/** A transport as the router's output target: up while its state is 'up'. */
import type { TransportStatus } from '../transports/types.js';
import type { OutputTarget } from './output-link.js';

/** Events in the transport's own queue from which it counts as busy (MAX_OUT_QUEUE is 100 by default). */
export const BUSY_QUEUE_DEPTH = 32;

/** The part of a transport this adapter uses. */
export interface StatusReporting {
  readonly name: string;
  send: OutputTarget['send'];
  status(): Pick<TransportStatus, 'state' | 'counters'>;
}

export function queueDepth(status: Pick<TransportStatus, 'counters'>): number {
  const { eventsQueued, eventsSent, eventsDropped } = status.counters;
  return Math.max(0, eventsQueued - eventsSent - eventsDropped);
}

export function transportTarget(transport: StatusReporting): OutputTarget {
  return {
    name: transport.name,
    isUp: () => transport.status().state === 'up',
    busy: () => queueDepth(transport.status()) >= BUSY_QUEUE_DEPTH,
    send: (event) => transport.send(event),
  };
}
