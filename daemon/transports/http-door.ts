/**
 * The listeners' admission limits (listener-limits.ts) on one of takd's own HTTP(S) servers
 * (enrollment, the status endpoint and console): connections per address and in total,
 * TLS handshakes in progress, and TLS refusals counted by reason. Without it 10,000 half
 * ClientHellos each hold a socket and a TLS context for node's 120 s default.
 */
import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { tlsRefusalReason, type ListenerAdmission } from './listener-limits.js';

/** Connection and handshake bookkeeping of one server, by the admission's limits. */
export function guardHttpDoor(server: HttpServer | HttpsServer, admission: ListenerAdmission, tls: boolean): void {
  /** Connections (address|port) inside their TLS handshake. */
  const handshaking = new Set<string>();
  const handshakeOver = (socket: Socket): void => {
    const address = socket.remoteAddress ?? '?';
    if (handshaking.delete(`${address}|${socket.remotePort ?? 0}`)) admission.handshakeDone(address);
  };
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '?';
    if (admission.admit(address, tls) !== undefined) {
      socket.destroy();
      return;
    }
    if (tls) handshaking.add(`${address}|${socket.remotePort ?? 0}`);
    socket.once('close', () => {
      admission.release(address);
      // A connection that closed inside its handshake still held a handshake slot.
      handshakeOver(socket);
    });
  });
  if (!tls) return;
  server.on('secureConnection', (socket: TLSSocket) => handshakeOver(socket));
  server.on('tlsClientError', (error: NodeJS.ErrnoException, socket: TLSSocket) => {
    admission.tlsRefused[tlsRefusalReason(error.code, socket.authorizationError)] += 1;
    socket.destroy();
  });
}
