/**
 * The page's files (bundled and brotli-compressed at build time by scripts/build-page.mjs),
 * served from memory: loaded on the first request for them (a daemon nobody opens the page
 * of never holds them), with a strong ETag; gzip and plain copies are made from the brotli
 * one the first time a client asks for them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { brotliDecompressSync, gzipSync } from 'node:zlib';

interface Asset {
  type: string;
  etag: string;
  br: Buffer;
  identity?: Buffer;
  gzip?: Buffer;
}

function identityOf(asset: Asset): Buffer {
  return (asset.identity ??= brotliDecompressSync(asset.br));
}

let assets: Promise<Map<string, Asset> | undefined> | undefined;

async function load(): Promise<Map<string, Asset> | undefined> {
  let files: Record<string, { type: string; etag: string; br: string }> | undefined;
  try {
    // The single binary reads these from a SEA asset instead (packaging/build/plugins.ts).
    ({ PAGE_FILES: files } = await import('./page-assets.generated.js'));
  } catch {
    return undefined; // not built: `npm run build` makes it
  }
  if (files === undefined) return undefined;
  const map = new Map<string, Asset>();
  for (const [path, file] of Object.entries(files)) map.set(path, { type: file.type, etag: file.etag, br: Buffer.from(file.br, 'base64') });
  map.set('/index.html', map.get('/') as Asset);
  return map;
}

/** Whether `path` is one of the page's files (answered by servePage). */
export function isPagePath(path: string): boolean {
  return path === '/' || path === '/index.html' || path === '/app.js' || path === '/app.css';
}

export async function servePage(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
  assets ??= load();
  const asset = (await assets)?.get(path);
  if (asset === undefined) {
    response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('the console page was not built into this takd (npm run build bundles it)\n');
    return;
  }
  const headers: Record<string, string> = { 'content-type': asset.type, etag: asset.etag, 'cache-control': 'no-cache', vary: 'accept-encoding' };
  if (request.headers['if-none-match'] === asset.etag) {
    response.writeHead(304, headers).end();
    return;
  }
  const accepted = String(request.headers['accept-encoding'] ?? '');
  let body: Buffer;
  if (/\bbr\b/.test(accepted)) {
    body = asset.br;
    headers['content-encoding'] = 'br';
  } else if (/\bgzip\b/.test(accepted)) {
    body = asset.gzip ??= gzipSync(identityOf(asset), { level: 9 });
    headers['content-encoding'] = 'gzip';
  } else {
    body = identityOf(asset);
  }
  headers['content-length'] = String(body.length);
  response.writeHead(200, headers).end(request.method === 'HEAD' ? undefined : body);
}
