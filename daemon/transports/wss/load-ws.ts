/**
 * The `ws` package, loaded on first use: a configuration without wss:// or wss+listen://
 * never loads it (nor node:http/https behind it). Synchronous, so TLS material is still
 * checked in start() and a bad setting fails at startup.
 */
import { createRequire } from 'node:module';

/** The CommonJS export: the WebSocket class, with the server class on it. */
type WsModule = (typeof import('ws'))['default'] & { WebSocketServer: (typeof import('ws'))['WebSocketServer'] };

let wsModule: WsModule | undefined;

export function loadWs(): WsModule {
  wsModule ??= createRequire(import.meta.url)('ws') as WsModule;
  return wsModule;
}
