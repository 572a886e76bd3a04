// The data-package server over real loopback sockets: ATAK's and iTAK's round trips,
// HEAD and ranges, a restart, and bad input (wrong hash, '../' names, cut-short bodies, an
// upload over the limit refused before it is read, quota, leftovers of a crash), each
// refusal counted and reported in status.json and /metrics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prometheusText } from '../daemon/lifecycle/metrics.js';
import type { StatusSnapshot } from '../daemon/lifecycle/status.js';
import { atakUpload, fetchRaw, multipart, sha256, startTestMarti } from './support/marti.js';
import { waitUntil } from './support/wait.js';

/** Sends `text` on a new connection; resolves with everything received until the server closes. */
function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = createConnection(port, '127.0.0.1');
    let received = '';
    socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(received));
    socket.write(text);
  });
}

function scratch(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'takd-marti-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface SearchResult {
  resultCount: number;
  results: { UID: string; Name: string; Hash: string; CreatorUid: string; Size: number; Tool: string; Keywords: string[]; MIMEType: string }[];
}

async function search(base: string, query = 'keywords=missionpackage&tool=public'): Promise<SearchResult> {
  const answer = await fetchRaw(`${base}/Marti/sync/search?${query}`);
  assert.equal(answer.status, 200);
  return JSON.parse(answer.text) as SearchResult;
}

test('ATAK round trip: multipart upload with hash and creatorUid, download with sha256 check, missionquery, search', async (t) => {
  const dir = scratch(t);
  const marti = await startTestMarti(dir, {}, { directory: { clients: () => [{ uid: 'ANDROID-1', callsign: 'ALPHA', lastEventTime: Date.now() }] } });
  t.after(() => marti.stop());
  const data = randomBytes(300_000);
  const hash = sha256(data);
  const answer = await atakUpload(marti.base, data, { hash, filename: 'Route Alpha.zip', creatorUid: 'ANDROID-1' });
  assert.equal(answer.status, 200, answer.text);
  const url = answer.text.trim();
  // The address this client connected to, never a wildcard.
  assert.equal(url, `http://127.0.0.1:${marti.port}/Marti/sync/content?hash=${hash}`);

  const download = await fetchRaw(url);
  assert.equal(download.status, 200);
  assert.equal(sha256(download.body), hash);
  assert.equal(download.headers['content-length'], String(data.length));
  assert.match(String(download.headers['content-disposition']), /attachment; filename="Route Alpha.zip"/);

  const query = await fetchRaw(`${marti.base}/Marti/sync/missionquery?hash=${hash}`);
  assert.equal(query.status, 200);
  assert.equal(query.text.trim(), url);
  assert.equal((await fetchRaw(`${marti.base}/Marti/sync/missionquery?hash=${'0'.repeat(64)}`)).status, 404);

  const found = await search(marti.base);
  assert.equal(found.resultCount, 1);
  assert.equal(found.results[0].Hash, hash);
  assert.equal(found.results[0].CreatorUid, 'ANDROID-1');
  assert.equal(found.results[0].Name, 'Route Alpha.zip');
  assert.equal(found.results[0].Size, data.length);

  // Uploading the same file again answers the same URL and stores nothing new.
  const again = await atakUpload(marti.base, data, { hash, filename: 'copy.zip', creatorUid: 'ANDROID-2' });
  assert.equal(again.status, 200);
  assert.equal(again.text.trim(), url);
  assert.equal((await search(marti.base)).resultCount, 1);
  assert.equal(marti.counter('duplicates'), 1);

  // The calls ATAK polls on connect.
  const version = await fetchRaw(`${marti.base}/Marti/api/version`);
  assert.equal(version.text, 'takd 0.1.0-test');
  const config = JSON.parse((await fetchRaw(`${marti.base}/Marti/api/version/config`)).text) as { type: string; data: { api: string; hostname: string } };
  assert.equal(config.type, 'ServerConfig');
  assert.equal(config.data.hostname, '127.0.0.1');
  const clients = JSON.parse((await fetchRaw(`${marti.base}/Marti/api/clientEndPoints?secAgo=60`)).text) as { data: { uid: string; callsign: string; lastStatus: string }[] };
  assert.deepEqual(clients.data.map((c) => [c.uid, c.callsign, c.lastStatus]), [['ANDROID-1', 'ALPHA', 'Connected']]);

  // Private packages leave the public search.
  const put = await fetchRaw(`${marti.base}/Marti/api/sync/metadata/${hash}/tool`, { method: 'PUT', body: Buffer.from('private') });
  assert.equal(put.status, 200);
  assert.equal(put.text.trim(), url);
  assert.equal((await search(marti.base)).resultCount, 0);
  assert.equal((await search(marti.base, 'tool=private')).resultCount, 1);
  assert.equal(marti.counter('uploads'), 1);
  assert.equal(marti.counter('downloads'), 1);
});

test('without a hub, clientEndPoints is an empty list; unknown calls 404, wrong methods 405', async (t) => {
  const marti = await startTestMarti(scratch(t));
  t.after(() => marti.stop());
  const clients = JSON.parse((await fetchRaw(`${marti.base}/Marti/api/clientEndPoints`)).text) as { data: unknown[] };
  assert.deepEqual(clients.data, []);
  assert.equal((await fetchRaw(`${marti.base}/Marti/nothing`)).status, 404);
  const wrong = await fetchRaw(`${marti.base}/Marti/sync/missionupload`);
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.allow, 'POST');
  assert.equal(marti.counter('refused.not-found'), 1);
  assert.equal(marti.counter('refused.method-not-allowed'), 1);
});

test('iTAK round trip: raw body to /Marti/sync/upload (CreatorUid spelled as older iTAK does), download by uid and hash', async (t) => {
  const marti = await startTestMarti(scratch(t));
  t.after(() => marti.stop());
  const data = randomBytes(50_000);
  const answer = await fetchRaw(`${marti.base}/Marti/sync/upload?name=iphone.zip&keywords=missionpackage&CreatorUid=IOS-7`, { method: 'POST', headers: { 'content-type': 'application/x-zip-compressed' }, body: data });
  assert.equal(answer.status, 200, answer.text);
  const record = JSON.parse(answer.text) as { UID: string; Hash: string; CreatorUid: string; Name: string; MIMEType: string; SubmissionDateTime: string; PrimaryKey: string; SubmissionUser: string };
  assert.equal(record.Hash, sha256(data));
  assert.equal(record.CreatorUid, 'IOS-7');
  assert.equal(record.Name, 'iphone.zip');
  assert.equal(record.MIMEType, 'application/x-zip-compressed');
  assert.ok(record.UID && record.SubmissionDateTime && record.PrimaryKey && record.SubmissionUser);
  const byUid = await fetchRaw(`${marti.base}/Marti/sync/content?uid=${encodeURIComponent(record.UID)}`);
  assert.equal(sha256(byUid.body), record.Hash);
  const found = await search(marti.base);
  assert.deepEqual(found.results.map((r) => r.Hash), [record.Hash]);
});

test('HEAD and Range requests (and TAKS offset/length)', async (t) => {
  const marti = await startTestMarti(scratch(t));
  t.after(() => marti.stop());
  const data = randomBytes(10_000);
  const hash = sha256(data);
  assert.equal((await atakUpload(marti.base, data, { hash, filename: 'r.zip', creatorUid: 'A' })).status, 200);
  const url = `${marti.base}/Marti/sync/content?hash=${hash}`;
  const head = await fetchRaw(url, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.headers['content-length'], '10000');
  assert.equal(head.headers['accept-ranges'], 'bytes');
  assert.equal(head.body.length, 0);
  const part = await fetchRaw(url, { headers: { range: 'bytes=100-199' } });
  assert.equal(part.status, 206);
  assert.equal(part.headers['content-range'], 'bytes 100-199/10000');
  assert.ok(part.body.equals(data.subarray(100, 200)));
  const tail = await fetchRaw(url, { headers: { range: 'bytes=-10' } });
  assert.equal(tail.status, 206);
  assert.ok(tail.body.equals(data.subarray(9990)));
  const open = await fetchRaw(url, { headers: { range: 'bytes=9000-' } });
  assert.ok(open.body.equals(data.subarray(9000)));
  const beyond = await fetchRaw(url, { headers: { range: 'bytes=20000-' } });
  assert.equal(beyond.status, 416);
  assert.equal(beyond.headers['content-range'], 'bytes */10000');
  const taks = await fetchRaw(`${url}&offset=5&length=10`);
  assert.equal(taks.status, 206);
  assert.ok(taks.body.equals(data.subarray(5, 15)));
});

test('a restart keeps the packages (the index is rebuilt from disk)', async (t) => {
  const dir = scratch(t);
  const data = randomBytes(20_000);
  const hash = sha256(data);
  const first = await startTestMarti(dir);
  assert.equal((await atakUpload(first.base, data, { hash, filename: 'keep.zip', creatorUid: 'A' })).status, 200);
  await first.stop();
  const second = await startTestMarti(dir);
  t.after(() => second.stop());
  const found = await search(second.base);
  assert.deepEqual(found.results.map((r) => [r.Hash, r.Name, r.CreatorUid]), [[hash, 'keep.zip', 'A']]);
  const download = await fetchRaw(`${second.base}/Marti/sync/content?hash=${hash}`);
  assert.equal(sha256(download.body), hash);
  assert.equal(second.counter('packages'), 1);
  assert.equal(second.counter('storedBytes'), data.length);
});

test('leftovers of a crash (a half-written temporary, bytes without metadata, metadata whose size is wrong) are removed at start and never found', async (t) => {
  const dir = scratch(t);
  const orphan = randomBytes(1000);
  writeFileSync(join(dir, '.upload-0123456789abcdef.tmp'), randomBytes(5000));
  writeFileSync(join(dir, `.${sha256(orphan)}.json-abcdef.tmp`), '{"half":');
  writeFileSync(join(dir, sha256(orphan)), orphan);
  const short = randomBytes(100);
  const shortHash = sha256(short);
  writeFileSync(join(dir, shortHash), short.subarray(0, 50));
  writeFileSync(join(dir, `${shortHash}.json`), JSON.stringify({ uid: 'u', hash: shortHash, name: 'x', size: 100, mimeType: 'application/zip', keywords: ['missionpackage'], creatorUid: '', submissionUser: '', submissionTime: new Date().toISOString(), tool: 'public' }));
  const marti = await startTestMarti(dir);
  t.after(() => marti.stop());
  assert.equal((await search(marti.base, '')).resultCount, 0);
  assert.deepEqual(readdirSync(dir), []);
  assert.equal((await fetchRaw(`${marti.base}/Marti/sync/content?hash=${sha256(orphan)}`)).status, 404);
});

test('a wrong hash is refused (400) and nothing is stored', async (t) => {
  const dir = scratch(t);
  const marti = await startTestMarti(dir);
  t.after(() => marti.stop());
  const answer = await atakUpload(marti.base, randomBytes(5000), { hash: 'a'.repeat(64), filename: 'x.zip', creatorUid: 'A' });
  assert.equal(answer.status, 400);
  assert.match(answer.text, /^hash-mismatch: /);
  assert.deepEqual(readdirSync(dir), []);
  assert.equal(marti.counter('refused.hash-mismatch'), 1);
  const malformed = await atakUpload(marti.base, randomBytes(10), { hash: 'not-a-hash', filename: 'x.zip', creatorUid: 'A' });
  assert.equal(malformed.status, 400);
  assert.match(malformed.text, /^bad-hash: /);
  assert.deepEqual(readdirSync(dir), []);

  // Counted where operators look: status.json (the snapshot as JSON) and /metrics.
  const snapshot: StatusSnapshot = {
    version: 'test', pid: process.pid, startedAt: new Date(0).toISOString(), uptimeSeconds: 0, ready: true, configFile: null, gps: { fix: 'none' },
    components: [marti.component.status()],
    counters: { eventsIn: 0, eventsOut: 0, dropped: {} },
    router: { counters: { received: 0, control: 0, duplicates: 0, flowTagsStripped: 0, addressed: 0, addressedToUnknown: 0 }, outputs: [] },
  };
  const json = JSON.parse(JSON.stringify(snapshot)) as StatusSnapshot;
  assert.equal(json.components[0].counters['refused.hash-mismatch'], 1);
  assert.match(prometheusText(snapshot), /^takd_component_counter\{id="marti",counter="refused.hash-mismatch"\} 1$/m);
  assert.match(prometheusText(snapshot), /^takd_component_counter\{id="marti",counter="refused.bad-hash"\} 1$/m);
});

test("a filename with '../' is only a display name: the file is stored under its hash", async (t) => {
  const dir = scratch(t);
  const marti = await startTestMarti(join(dir, 'packages'));
  t.after(() => marti.stop());
  const data = randomBytes(1000);
  const hash = sha256(data);
  const answer = await atakUpload(marti.base, data, { hash, filename: '../../etc/evil.zip', creatorUid: 'A' });
  assert.equal(answer.status, 200, answer.text);
  assert.deepEqual(readdirSync(join(dir, 'packages')).sort(), [hash, `${hash}.json`]);
  assert.deepEqual(readdirSync(dir), ['packages']);
  const found = await search(marti.base);
  assert.equal(found.results[0].Name, 'evil.zip');
  // The same through the multipart part's own filename, with backslashes.
  const other = randomBytes(1000);
  const { body, contentType } = multipart(other, { filename: '..\\..\\win.zip' });
  const second = await fetchRaw(`${marti.base}/Marti/sync/missionupload?hash=${sha256(other)}&creatorUid=B`, { method: 'POST', headers: { 'content-type': contentType }, body });
  assert.equal(second.status, 200, second.text);
  assert.ok(readdirSync(join(dir, 'packages')).includes(sha256(other)));
  const names = (await search(marti.base)).results.map((r) => r.Name);
  assert.ok(names.every((n) => !/[/\\]/.test(n) && n !== '..'), names.join(', '));
});

test('a multipart body cut short: a complete request without the closing delimiter is 400; a connection closed mid-body stores nothing', async (t) => {
  const dir = scratch(t);
  const marti = await startTestMarti(dir);
  t.after(() => marti.stop());
  const data = randomBytes(20_000);
  const { body, contentType } = multipart(data);
  const cut = body.subarray(0, body.length - 30);
  const answer = await fetchRaw(`${marti.base}/Marti/sync/missionupload?hash=${sha256(data)}&creatorUid=A`, { method: 'POST', headers: { 'content-type': contentType }, body: cut });
  assert.equal(answer.status, 400);
  assert.match(answer.text, /^bad-multipart: multipart body: body cut short/);
  assert.equal(marti.counter('refused.bad-multipart'), 1);

  // Content-Length promises the whole body; the client sends half and goes away.
  const socket = createConnection(marti.port, '127.0.0.1');
  socket.on('error', () => undefined);
  socket.write(`POST /Marti/sync/missionupload?hash=${sha256(data)}&creatorUid=A HTTP/1.1\r\nHost: x\r\nContent-Type: ${contentType}\r\nContent-Length: ${body.length}\r\n\r\n`);
  socket.end(body.subarray(0, 10_000));
  await waitUntil(() => marti.counter('refused.aborted') === 1, 'the cut upload to be counted');
  await waitUntil(() => readdirSync(dir).length === 0, 'the temporary to be removed');
  assert.equal(marti.counter('uploadsInProgress'), 0);
  assert.equal((await search(marti.base, '')).resultCount, 0);
});

test('an upload over max_file_size is refused before it is read: at once from Content-Length, and as soon as a chunked stream passes it', async (t) => {
  const dir = scratch(t);
  const limit = 64 * 1024;
  const marti = await startTestMarti(dir, { maxFileSize: limit });
  t.after(() => marti.stop());

  // 1. Content-Length says 1 GiB: the answer comes before a single body byte is sent.
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = createConnection(marti.port, '127.0.0.1');
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(text));
    socket.write(`POST /Marti/sync/upload?name=big.zip HTTP/1.1\r\nHost: x\r\nContent-Length: ${2 ** 30}\r\n\r\n`);
  });
  assert.match(answer, /^HTTP\/1\.1 413 /);
  assert.match(answer, /too-large: Content-Length 1073741824 is over max_file_size/);
  assert.match(answer, /connection: close/i);

  // 2. Chunked (no length): the client writes as fast as the server takes it, 64 MiB in all,
  // and stops when the connection closes. The server stops reading just past the limit,
  // so the client gets nowhere near the end (loopback socket buffers hold a few MiB at most).
  const total = 64 * 1024 * 1024;
  const result = await new Promise<{ written: number; answer: string }>((resolve) => {
    const socket = createConnection(marti.port, '127.0.0.1');
    let written = 0;
    let text = '';
    let closed = false;
    const chunk = Buffer.alloc(16 * 1024, 0x61);
    const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
      resolve({ written, answer: text });
    });
    const pump = (): void => {
      while (!closed && written < total) {
        written += chunk.length;
        if (!socket.write(frame)) {
          socket.once('drain', pump);
          return;
        }
      }
      if (!closed) socket.end('0\r\n\r\n');
    };
    socket.write('POST /Marti/sync/upload?name=stream.zip HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n');
    pump();
  });
  t.diagnostic(`the client wrote ${result.written} of ${total} bytes before the server closed (limit ${limit})`);
  assert.ok(result.written < total / 2, `the client wrote ${result.written} of ${total} bytes before the server closed`);
  assert.match(result.answer, /^HTTP\/1\.1 413 /);
  assert.equal(marti.counter('refused.too-large'), 2);
  await waitUntil(() => readdirSync(dir).length === 0, 'the temporary to be removed');
});

test('the quota: an upload that would pass it is refused (507) and not stored', async (t) => {
  const dir = scratch(t);
  const marti = await startTestMarti(dir, { quota: 100_000 });
  t.after(() => marti.stop());
  const first = randomBytes(60_000);
  assert.equal((await atakUpload(marti.base, first, { hash: sha256(first), filename: 'a.zip', creatorUid: 'A' })).status, 200);
  const second = randomBytes(60_000);
  const refused = await atakUpload(marti.base, second, { hash: sha256(second), filename: 'b.zip', creatorUid: 'A' });
  assert.equal(refused.status, 507);
  assert.match(refused.text, /^quota: /);
  // Without Content-Length the quota is checked as the bytes arrive.
  const chunked = await fetchRaw(`${marti.base}/Marti/sync/upload?name=c.zip`, { method: 'POST', headers: { 'transfer-encoding': 'chunked' }, body: second });
  assert.equal(chunked.status, 507);
  assert.equal(marti.counter('refused.quota'), 2);
  assert.deepEqual(readdirSync(dir).sort(), [sha256(first), `${sha256(first)}.json`].sort());
  assert.equal((await search(marti.base)).resultCount, 1);
});

test('request hygiene: bad targets 400, long targets 414, huge headers 431, too many connections from one address', async (t) => {
  const marti = await startTestMarti(scratch(t), { maxClientsPerAddress: 3 });
  t.after(() => marti.stop());
  assert.equal((await fetchRaw(`${marti.base}/Marti/sync/content?hash=%ZZ`)).status, 400);
  // (Written raw: a URL parser would resolve the '..' before sending.)
  assert.match(await raw(marti.port, 'GET /Marti/sync/../sync/content?hash=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'), /^HTTP\/1\.1 400 .*\r\n[^]*bad-target: dot or slash segments/);
  assert.equal((await fetchRaw(`${marti.base}/Marti/sync/content?hash=${'a'.repeat(5000)}`)).status, 414);
  const headers = await raw(marti.port, `GET /Marti/api/version HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`);
  assert.match(headers, /^HTTP\/1\.1 431 /);
  assert.equal(marti.counter('refused.bad-target'), 2);
  assert.equal(marti.counter('refused.target-too-long'), 1);
  assert.equal(marti.counter('refused.header-too-large'), 1);
  const sockets = Array.from({ length: 5 }, () => {
    const s = createConnection(marti.port, '127.0.0.1');
    s.on('error', () => undefined);
    return s;
  });
  t.after(() => sockets.forEach((s) => s.destroy()));
  await waitUntil(() => marti.counter('refused.too-many-connections-per-address') === 2, 'two connections over the limit refused');
  assert.equal((await fetchRaw(`${marti.base}/Marti/api/version`).catch(() => ({ status: 0 }))).status, 0, 'a fourth connection is refused while three are open');
});

test('a body that stalls is answered 408 and dropped; uploads over max_uploads at once are answered 503', async (t) => {
  const dir = scratch(t);
  const marti = await startTestMarti(dir, { maxUploads: 1 }, { limits: { bodyIdleTimeoutMs: 300 } });
  t.after(() => marti.stop());
  // Sends a third of its body, then nothing: the server answers 408 and closes.
  const slow = createConnection(marti.port, '127.0.0.1');
  let slowAnswer = '';
  slow.on('data', (d: Buffer) => (slowAnswer += d.toString('latin1')));
  slow.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => slow.on('close', () => resolve()));
  slow.write('POST /Marti/sync/upload?name=slow.zip HTTP/1.1\r\nHost: x\r\nContent-Length: 3000\r\n\r\n');
  slow.write(Buffer.alloc(1000, 0x62));
  await waitUntil(() => marti.counter('uploadsInProgress') === 1, 'the slow upload to begin');
  // While it holds the only upload slot, another upload is refused at once.
  const busy = await fetchRaw(`${marti.base}/Marti/sync/upload?name=b.zip`, { method: 'POST', body: Buffer.from('x') });
  assert.equal(busy.status, 503);
  assert.equal(busy.headers['retry-after'], '60');
  assert.equal(marti.counter('refused.busy'), 1);
  await closed;
  assert.match(slowAnswer, /^HTTP\/1\.1 408 [^]*slow-body: no body bytes for 0.3 s/);
  assert.equal(marti.counter('refused.slow-body'), 1);
  await waitUntil(() => readdirSync(dir).length === 0, 'the temporary to be removed');
  // The slot is free again.
  const data = randomBytes(100);
  assert.equal((await fetchRaw(`${marti.base}/Marti/sync/upload?name=ok.zip`, { method: 'POST', body: data })).status, 200);
});

const curl = spawnSync('curl', ['--version'], { stdio: 'ignore' }).status === 0 ? undefined : 'needs curl as an independent HTTP client (apt install curl)';

test('curl as an independent client: multipart upload with -F, download, HEAD, range', { skip: curl }, async (t) => {
  const dir = scratch(t);
  const marti = await startTestMarti(join(dir, 'packages'));
  t.after(() => marti.stop());
  const data = randomBytes(200_000);
  const hash = sha256(data);
  const file = join(dir, 'upload.zip');
  writeFileSync(file, data);
  const run = async (args: string[]): Promise<string> => {
    const child = spawn('curl', ['-sS', '--fail-with-body', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const [code] = (await once(child, 'close')) as [number];
    assert.equal(code, 0, `curl ${args.join(' ')}: ${err}${out}`);
    return out;
  };
  const url = (await run(['-F', `assetfile=@${file};type=application/zip`, `${marti.base}/Marti/sync/missionupload?hash=${hash}&filename=upload.zip&creatorUid=CURL-1`])).trim();
  assert.equal(url, `http://127.0.0.1:${marti.port}/Marti/sync/content?hash=${hash}`);
  const out = join(dir, 'download.zip');
  await run(['-o', out, url]);
  assert.equal(sha256(readFileSync(out)), hash);
  const head = await run(['-I', url]);
  assert.match(head, /content-length: 200000/i);
  await run(['-o', out, '-r', '1000-1999', url]);
  assert.ok(readFileSync(out).equals(data.subarray(1000, 2000)));
  // iTAK's path, raw body.
  const itak = JSON.parse(await run(['--data-binary', `@${file}`, '-H', 'content-type: application/zip', `${marti.base}/Marti/sync/upload?name=again.zip&creatorUid=CURL-2`])) as { Hash: string };
  assert.equal(itak.Hash, hash);
});

test('Expect: 100-continue: a refused upload is never invited; an accepted one is; a known hash is answered without its body', async (t) => {
  const dir = scratch(t);
  const marti = await startTestMarti(dir, { maxFileSize: 100_000 });
  t.after(() => marti.stop());
  const refused = await raw(marti.port, `POST /Marti/sync/upload?name=big.zip HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 200000\r\n\r\n`);
  assert.match(refused, /^HTTP\/1\.1 413 /);
  assert.doesNotMatch(refused, /100 Continue/);

  const data = randomBytes(5000);
  const hash = sha256(data);
  const accepted = await new Promise<string>((resolve) => {
    const socket = createConnection(marti.port, '127.0.0.1');
    let text = '';
    socket.on('data', (d: Buffer) => {
      text += d.toString('latin1');
      if (text === 'HTTP/1.1 100 Continue\r\n\r\n') socket.write(data);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(text));
    socket.write(`POST /Marti/sync/upload?name=ok.zip&hash=${hash} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nExpect: 100-continue\r\nContent-Length: ${data.length}\r\n\r\n`);
  });
  assert.match(accepted, /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 /);
  assert.match(accepted, new RegExp(`"Hash":"${hash}"`));

  // The same hash again, body promised but never sent: the answer comes at once.
  const known = await raw(marti.port, `POST /Marti/sync/missionupload?hash=${hash}&creatorUid=A HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=zz\r\nContent-Length: 90000\r\n\r\n`);
  assert.match(known, /^HTTP\/1\.1 200 /);
  assert.match(known, new RegExp(`\r\n\r\nhttp://127\\.0\\.0\\.1:${marti.port}/Marti/sync/content\\?hash=${hash}$`));
  assert.equal(marti.counter('duplicates'), 1);
  assert.equal(marti.counter('uploads'), 1);
});

test('requests per address per minute are bounded (429 with Retry-After)', async (t) => {
  const marti = await startTestMarti(scratch(t), {}, { limits: { maxRequestsPerMinute: 3 } });
  t.after(() => marti.stop());
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) statuses.push((await fetchRaw(`${marti.base}/Marti/api/version`)).status);
  assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
  const limited = await fetchRaw(`${marti.base}/Marti/api/version`);
  assert.equal(limited.headers['retry-after'], '60');
  assert.match(limited.text, /^rate-limited: /);
  assert.equal(marti.counter('refused.rate-limited'), 3);
});
