/**
 * The `ws` package, loaded on first use: a configuration without wss:// or wss+listen://
 * never loads it (nor node:http/https behind it). Synchronous, so TLS material is still
 * checked in start() and a bad setting fails at startup.
 */
import { createRequire } from 'node:module';
import type WsModule from 'ws';

let wsModule: typeof WsModule | undefined;

export function loadWs(): typeof WsModule {
  wsModule ??= createRequire(import.meta.url)('ws') as typeof WsModule;
  return wsModule;
}
