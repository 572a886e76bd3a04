/**
 * The two HTTPS calls of enrollment, with the server verified: against the CA the user
 * gave, else the system's CAs; `dontVerify` (an explicit option, warned by the caller) is
 * the only way around it. Answers are bounded (64 KiB: a certificate chain, a small XML)
 * and the whole exchange has a deadline. Basic credentials go out only over a verified
 * connection and never into a message.
 */
import { request } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';

export interface ServerTrust {
  /** PEM CA(s) the server's certificate must chain to; undefined: the system store. */
  ca?: Buffer;
  /** Where `ca` came from, for messages. */
  caName?: string;
  dontVerify?: boolean;
}

export interface HttpsCall {
  host: string;
  port: number;
  path: string;
  method: 'GET' | 'POST';
  username: string;
  password: string;
  trust: ServerTrust;
  body?: string;
  headers?: Record<string, string>;
  timeoutMs: number;
}

export interface HttpsAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

const MAX_ANSWER_BYTES = 64 * 1024;

/** Raised for a server we do not trust, one that does not answer, or an answer too large. */
export class EnrollError extends Error {
  override name = 'EnrollError';
  constructor(message: string, readonly code?: string) {
    super(message);
  }
}

const TRUST_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS_CERT_ALTNAME_INVALID|HOSTNAME/;

function trustProblem(call: HttpsCall, error: Error & { code?: string }): string {
  const where = `${call.host}:${call.port}`;
  const from = call.trust.caName !== undefined ? `from the CA in ${call.trust.caName}` : "from a CA in the system's store (give the server's CA with --ca, or ca = in the output)";
  if (error.code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `refusing ${where}: its certificate is not for the name '${call.host}' (${error.message})`;
  return `refusing ${where}: its certificate is not ${from} (${error.code ?? error.message})`;
}

export function httpsCall(call: HttpsCall): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {
      Authorization: `Basic ${Buffer.from(`${call.username}:${call.password}`).toString('base64')}`,
      ...call.headers,
    };
    if (call.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(call.body));
    const req = request({
      host: call.host,
      port: call.port,
      path: call.path,
      method: call.method,
      headers,
      ca: call.trust.ca,
      rejectUnauthorized: call.trust.dontVerify !== true,
      servername: /^[\d.]+$|:/.test(call.host) ? undefined : call.host,
      agent: false,
      minVersion: 'TLSv1.2',
    });
    const deadline = setTimeout(() => req.destroy(new EnrollError(`${call.host}:${call.port} did not answer within ${call.timeoutMs / 1000} s`, 'ETIMEDOUT')), call.timeoutMs);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) req.destroy(new EnrollError(`${call.host}:${call.port} answered ${call.path} with more than ${MAX_ANSWER_BYTES} bytes`));
        else chunks.push(chunk);
      });
      res.on('end', () => {
        clearTimeout(deadline);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', () => undefined); // req's error reports it
    });
    req.on('error', (error: Error & { code?: string }) => {
      clearTimeout(deadline);
      if (error instanceof EnrollError) reject(error);
      else if (TRUST_CODES.test(error.code ?? '')) reject(new EnrollError(trustProblem(call, error), 'UNTRUSTED'));
      else reject(new EnrollError(`cannot reach ${call.host}:${call.port} (${error.code ?? error.message})`, error.code));
    });
    req.end(call.body);
  });
}
