// Helpers for the data-package server tests: start a MartiComponent on a loopback port,
// build multipart bodies as ATAK sends them, make requests and read whole answers.
import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { MartiComponent } from '../../daemon/marti/index.js';
import type { ClientDirectory } from '../../daemon/marti/client-directory.js';
import type { MartiLimits } from '../../daemon/marti/server.js';
import { MARTI_DEFAULTS, type MartiSettings } from '../../daemon/marti/settings.js';
import { silentLogger, type Logger } from '../../daemon/log.js';

export interface RunningMarti {
  component: MartiComponent;
  port: number;
  base: string;
  counter(name: string): number;
  stop(): Promise<void>;
}

export async function startTestMarti(
  dir: string,
  settings: Partial<MartiSettings> = {},
  extra: { limits?: Partial<MartiLimits>; directory?: ClientDirectory; logger?: Logger } = {},
): Promise<RunningMarti> {
  const full: MartiSettings = {
    listen: { scheme: 'http', host: '127.0.0.1', port: 0 },
    tls: {},
    requireClientCert: true,
    maxFileSize: MARTI_DEFAULTS.maxFileSize,
    quota: MARTI_DEFAULTS.quota,
    maxUploads: MARTI_DEFAULTS.maxUploads,
    maxClientsPerAddress: MARTI_DEFAULTS.maxClientsPerAddress,
    uploadTimeoutMs: 600_000,
    dir,
    ...settings,
  };
  const component = new MartiComponent('marti', {
    settings: full,
    logger: extra.logger ?? silentLogger,
    version: '0.1.0-test',
    nodeId: 'takd-test',
    directory: () => extra.directory,
    limits: extra.limits,
  });
  await component.start();
  const port = component.port as number;
  return {
    component,
    port,
    base: `${full.listen.scheme}://127.0.0.1:${port}`,
    counter: (name) => component.status().counters[name] ?? 0,
    stop: () => component.stop(),
  };
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A multipart/form-data body with one file part, as ATAK's missionupload sends it. */
export function multipart(data: Buffer, options: { name?: string; filename?: string; boundary?: string } = {}): { body: Buffer; contentType: string } {
  const boundary = options.boundary ?? `takdtest${randomBytes(8).toString('hex')}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${options.name ?? 'assetfile'}"; filename="${options.filename ?? 'package.zip'}"\r\nContent-Type: application/zip\r\n\r\n`;
  return { body: Buffer.concat([Buffer.from(head), data, Buffer.from(`\r\n--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

export function fetchRaw(url: string, options: { method?: string; headers?: Record<string, string | number>; body?: Buffer; tls?: RequestOptions } = {}): Promise<Answer> {
  const target = new URL(url);
  const make = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = make(url, { method: options.method ?? 'GET', headers: options.headers, agent: false, ...options.tls }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body, text: body.toString('utf8') });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

/** ATAK's upload: POST missionupload?hash&filename&creatorUid with a multipart body. */
export function atakUpload(base: string, data: Buffer, query: Record<string, string>, tls?: RequestOptions): Promise<Answer> {
  const { body, contentType } = multipart(data, { filename: query.filename });
  const search = new URLSearchParams(query).toString();
  return fetchRaw(`${base}/Marti/sync/missionupload?${search}`, { method: 'POST', headers: { 'content-type': contentType, 'content-length': body.length }, body, tls });
}
