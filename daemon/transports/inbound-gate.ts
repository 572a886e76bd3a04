/**
 * The InboundGate and how stream inputs obey it: stop reading a socket while the gate is
 * closed. The router (routing/router.ts) and the routing stage keep one open or closed.
 */
import type { Socket } from 'node:net';

/**
 * Back-pressure from the daemon's outputs to its stream inputs: while closed, TCP/TLS
 * inputs stop reading, so a sender flooding faster than the outputs drain is slowed down
 * by TCP itself instead of takd buffering without end.
 */
export interface InboundGate {
  closed(): boolean;
  /** Calls `listener` once, when the gate opens again. */
  whenOpen(listener: () => void): void;
}

/** Call after handling a chunk: pauses the socket if the gate is closed, resumes it when it opens. */
export function holdWhileGateClosed(socket: Socket, gate: InboundGate | undefined): void {
  if (gate === undefined || socket.isPaused() || !gate.closed()) return;
  socket.pause();
  gate.whenOpen(() => {
    if (!socket.destroyed) socket.resume();
  });
}
