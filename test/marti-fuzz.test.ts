// Fuzz tests of the data-package server's two parsers of untrusted input: the streaming
// multipart parser (any split of a valid body gives the same parts; random and mutated
// bodies give parts or a MultipartError, never another exception, never more memory than a
// bounded tail) and the request-target parser (TargetError or a clean path, never a '..').
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { MultipartError, MultipartParser, multipartBoundary, type PartHeaders } from '../daemon/marti/multipart.js';
import { parseTarget, TargetError } from '../daemon/marti/target.js';

/** A small deterministic PRNG (mulberry32) so failures reproduce from the printed seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Part {
  headers: PartHeaders;
  data: Buffer;
}

function body(boundary: string, parts: { name: string; filename?: string; type?: string; data: Buffer }[], preamble = '', epilogue = ''): Buffer {
  const chunks: Buffer[] = [Buffer.from(preamble)];
  for (const [i, part] of parts.entries()) {
    const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
    const head = `${i === 0 && preamble === '' ? '' : '\r\n'}--${boundary}\r\nContent-Disposition: ${disposition}\r\n${part.type === undefined ? '' : `Content-Type: ${part.type}\r\n`}\r\n`;
    chunks.push(Buffer.from(head), part.data);
  }
  chunks.push(Buffer.from(`\r\n--${boundary}--\r\n${epilogue}`));
  return Buffer.concat(chunks);
}

function parse(boundary: string, chunks: Buffer[]): Part[] {
  const parts: Part[] = [];
  let current: { headers: PartHeaders; data: Buffer[] } | undefined;
  const parser = new MultipartParser(boundary, {
    partStart: (headers) => {
      assert.equal(current, undefined, 'partStart inside a part');
      current = { headers, data: [] };
    },
    partData: (chunk) => {
      assert.ok(current, 'data outside a part');
      current.data.push(Buffer.from(chunk));
    },
    partEnd: () => {
      assert.ok(current, 'partEnd outside a part');
      parts.push({ headers: current.headers, data: Buffer.concat(current.data) });
      current = undefined;
    },
  });
  for (const chunk of chunks) parser.write(chunk);
  parser.end();
  return parts;
}

function split(bytes: Buffer, random: () => number): Buffer[] {
  const chunks: Buffer[] = [];
  let at = 0;
  while (at < bytes.length) {
    const n = random() < 0.3 ? 1 : 1 + Math.floor(random() * 200);
    chunks.push(bytes.subarray(at, at + n));
    at += n;
  }
  return chunks;
}

test('multipart: a valid body parses to the same parts however it is split', () => {
  for (let seed = 1; seed <= 300; seed++) {
    const random = rng(seed);
    const boundary = `----takd${Math.floor(random() * 1e9)}`;
    // Data that contains near-misses of the delimiter: CRLF, dashes, a prefix of the boundary.
    const tricky = [Buffer.from('\r\n'), Buffer.from('--'), Buffer.from(`\r\n--${boundary.slice(0, 5)}`), Buffer.from(`\r\n-${boundary}`), randomBytes(Math.floor(random() * 300))];
    const data = Buffer.concat(Array.from({ length: 1 + Math.floor(random() * 8) }, () => tricky[Math.floor(random() * tricky.length)]));
    const spec = [
      { name: 'assetfile', filename: 'pkg.zip', type: 'application/zip', data },
      { name: 'note', data: Buffer.from('hello') },
    ];
    const bytes = body(boundary, spec, random() < 0.3 ? 'preamble text\r\n' : '', random() < 0.3 ? 'epilogue' : '');
    const parts = parse(boundary, split(bytes, random));
    assert.equal(parts.length, 2, `seed ${seed}`);
    assert.deepEqual(parts[0].headers, { name: 'assetfile', filename: 'pkg.zip', contentType: 'application/zip' }, `seed ${seed}`);
    assert.ok(parts[0].data.equals(data), `seed ${seed}: data differs`);
    assert.equal(parts[1].data.toString(), 'hello');
  }
});

test('multipart: random and mutated bodies give parts or a MultipartError, nothing else', () => {
  const boundary = 'XyZ123';
  const valid = body(boundary, [{ name: 'assetfile', filename: 'a.zip', data: randomBytes(500) }]);
  let errors = 0;
  for (let seed = 1; seed <= 2000; seed++) {
    const random = rng(seed);
    let bytes: Buffer;
    if (seed % 4 === 0) {
      bytes = randomBytes(Math.floor(random() * 2000));
    } else {
      bytes = Buffer.from(valid);
      const edits = 1 + Math.floor(random() * 6);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(random() * bytes.length);
        const choice = random();
        if (choice < 0.4) bytes[at] = Math.floor(random() * 256);
        else if (choice < 0.7) bytes = bytes.subarray(0, at); // cut short
        else bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(['\r\n', '--', `--${boundary}`, '\r\n\r\n', ':'][Math.floor(random() * 5)]), bytes.subarray(at)]);
      }
    }
    try {
      parse(boundary, split(bytes, random));
    } catch (error) {
      if (!(error instanceof MultipartError)) throw new Error(`seed ${seed}: ${String(error)}`, { cause: error });
      errors++;
    }
  }
  assert.ok(errors > 0, 'some mutated bodies must be refused');
});

test('multipart: a body cut short, oversized part headers and too many parts are errors', () => {
  const boundary = 'b0und';
  const full = body(boundary, [{ name: 'assetfile', data: Buffer.from('abc') }]);
  assert.throws(() => parse(boundary, [full.subarray(0, full.length - 8)]), (e: unknown) => e instanceof MultipartError && e.reason === 'body cut short');
  const hugeHeader = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="a"\r\nX: ${'a'.repeat(10_000)}\r\n\r\nx\r\n--${boundary}--`);
  assert.throws(() => parse(boundary, [hugeHeader]), MultipartError);
  const many = body(boundary, Array.from({ length: 20 }, () => ({ name: 'x', data: Buffer.from('1') })));
  assert.throws(() => parse(boundary, [many]), MultipartError);
  assert.throws(() => parse(boundary, [Buffer.alloc(20_000, 0x61)]), MultipartError);
});

test('multipart: boundary from Content-Type', () => {
  assert.equal(multipartBoundary('multipart/form-data; boundary=abc'), 'abc');
  assert.equal(multipartBoundary('Multipart/Form-Data; charset=utf-8; boundary="a b:c"'), 'a b:c');
  assert.equal(multipartBoundary('application/zip'), undefined);
  assert.equal(multipartBoundary('multipart/form-data'), undefined);
  assert.equal(multipartBoundary(`multipart/form-data; boundary=${'a'.repeat(71)}`), undefined);
  assert.equal(multipartBoundary(undefined), undefined);
});

test('request target: random and mutated targets give a clean path or a TargetError', () => {
  const alphabet = 'abc/?&=%.+#\\\x00 \x7f\u00e9Mx0F2e';
  const seeds = ['/Marti/sync/content?hash=abc', '/Marti/sync/search?keywords=missionpackage&tool=public', '/Marti/api/sync/metadata/aa/tool'];
  for (let seed = 1; seed <= 5000; seed++) {
    const random = rng(seed);
    let target = seed % 3 === 0 ? '' : seeds[seed % seeds.length];
    const edits = 1 + Math.floor(random() * 8);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(random() * (target.length + 1));
      target = target.slice(0, at) + alphabet[Math.floor(random() * alphabet.length)] + target.slice(at + (random() < 0.3 ? 1 : 0));
    }
    try {
      const parsed = parseTarget(target);
      assert.ok(parsed.path.startsWith('/'), `seed ${seed}: ${JSON.stringify(target)}`);
      assert.ok(!parsed.path.split('/').includes('..'), `seed ${seed}: dot-dot survived in ${JSON.stringify(target)}`);
      assert.ok(!/[\x00-\x1f\x7f]/.test(parsed.path + [...parsed.query].join('')), `seed ${seed}: control character survived`);
    } catch (error) {
      if (!(error instanceof TargetError)) throw new Error(`seed ${seed}: ${JSON.stringify(target)}: ${String(error)}`, { cause: error });
    }
  }
});

test('request target: the cases that matter', () => {
  assert.deepEqual(parseTarget('/Marti/sync/content?hash=AB&hash=cd&x').query, new Map([['hash', 'AB'], ['x', '']]));
  assert.equal(parseTarget('/Marti/sync/upload?name=a+b%20c.zip').query.get('name'), 'a b c.zip');
  assert.throws(() => parseTarget('/Marti/sync/../content'), TargetError);
  assert.throws(() => parseTarget('/Marti/sync/%2e%2e/content'), TargetError);
  assert.throws(() => parseTarget('/Marti/%2Fsync'), TargetError);
  assert.throws(() => parseTarget('/a?x=%zz'), TargetError);
  assert.throws(() => parseTarget('/a?x=%ff'), TargetError);
  assert.throws(() => parseTarget('/a?x=%00'), TargetError);
  assert.throws(() => parseTarget('http://evil/Marti/api/version'), TargetError);
  assert.throws(() => parseTarget('*'), TargetError);
  assert.throws(() => parseTarget(`/${'a'.repeat(5000)}`), (e: unknown) => e instanceof TargetError && e.reason === 'target-too-long');
  assert.throws(() => parseTarget(`/a?${'x=1&'.repeat(40)}`), TargetError);
});
