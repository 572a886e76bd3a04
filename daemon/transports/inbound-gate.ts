/** Stream inputs and the daemon's InboundGate: stop reading a socket while the gate is closed. */
import type { Socket } from 'node:net';
import type { InboundGate } from './options.js';

/** Call after handling a chunk: pauses the socket if the gate is closed, resumes it when it opens. */
export function holdWhileGateClosed(socket: Socket, gate: InboundGate | undefined): void {
  if (gate === undefined || socket.isPaused() || !gate.closed()) return;
  socket.pause();
  gate.whenOpen(() => {
    if (!socket.destroyed) socket.resume();
  });
}
