/**
 * node:http and node:https, loaded on first use (a configuration without marti:// never
 * loads them), and one small request helper with a deadline and a body size bound.
 */
import { createRequire } from 'node:module';
import type * as Http from 'node:http';
import type * as Https from 'node:https';

let httpModule: typeof Http | undefined;
let httpsModule: typeof Https | undefined;

export function nodeHttp(): typeof Http {
  httpModule ??= createRequire(import.meta.url)('node:http') as typeof Http;
  return httpModule;
}

export function nodeHttps(): typeof Https {
  httpsModule ??= createRequire(import.meta.url)('node:https') as typeof Https;
  return httpsModule;
}

export interface HttpAnswer {
  status: number;
  statusText: string;
  body: Buffer;
}

/** The body was larger than allowed; the request was abandoned (the link itself is fine). */
export class BodyTooLargeError extends Error {
  readonly code = 'BODY_TOO_LARGE';
}

export interface RequestSpec {
  secure: boolean;
  agent: Http.Agent;
  host: string;
  port: number;
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  maxBodyBytes: number;
}

/** Rejects with the socket/TLS error, an ETIMEDOUT, or BodyTooLargeError. */
export function request(spec: RequestSpec): Promise<HttpAnswer> {
  const lib = spec.secure ? nodeHttps() : nodeHttp();
  return new Promise<HttpAnswer>((resolve, reject) => {
    let done = false;
    const fail = (error: Error): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      reject(error);
    };
    const headers: Record<string, string | number> = { ...spec.headers };
    if (spec.body !== undefined) headers['content-length'] = Buffer.byteLength(spec.body);
    const req = lib.request({ host: spec.host, port: spec.port, method: spec.method, path: spec.path, agent: spec.agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > spec.maxBodyBytes) {
          fail(new BodyTooLargeError(`answer larger than ${spec.maxBodyBytes} bytes`));
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', body: Buffer.concat(chunks) });
      });
      res.on('error', fail);
      res.on('close', () => fail(new Error('the connection closed in the middle of the answer')));
    });
    const timer = setTimeout(() => {
      fail(Object.assign(new Error(`no answer within ${spec.timeoutMs} ms`), { code: 'ETIMEDOUT' }));
      req.destroy();
    }, spec.timeoutMs);
    req.on('error', fail);
    req.end(spec.body);
  });
}
