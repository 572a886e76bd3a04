// takd cot convert, run as a real process: encodings chain losslessly, bad input is named
// with its byte offset while good events still come out, and exit statuses follow the contract.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { atakPliCorpus } from '../../test/support/generators.js';

const main = fileURLToPath(new URL('../main.js', import.meta.url));

function takd(args: string[], input: Buffer | string) {
  const result = spawnSync(process.execPath, [main, ...args], { input, maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.toString() };
}

const xml = atakPliCorpus(50, 8).join('\n');

test('xml → proto-stream → json → xml gives back the same events', () => {
  const proto = takd(['cot', 'convert', '--to', 'proto-stream'], xml);
  assert.equal(proto.status, 0, proto.stderr);
  assert.equal(proto.stdout[0], 0xbf);
  const json = takd(['cot', 'convert', '--to', 'json'], proto.stdout);
  assert.equal(json.status, 0, json.stderr);
  const lines = json.stdout.toString().trim().split('\n');
  assert.equal(lines.length, 50);
  assert.equal(JSON.parse(lines[0]).contact.callsign.length > 0, true);
  const back = takd(['cot', 'convert', '--to', 'xml'], json.stdout);
  const direct = takd(['cot', 'convert', '--to', 'xml'], xml);
  assert.equal(back.status, 0, back.stderr);
  assert.equal(back.stdout.toString(), direct.stdout.toString());
  assert.equal(direct.stdout.toString().trim().split('\n').length, 50);
});

test('proto-mesh writes BF 01 BF datagrams', () => {
  const mesh = takd(['cot', 'convert', '--to', 'proto-mesh'], atakPliCorpus(1, 8)[0]);
  assert.equal(mesh.status, 0);
  assert.deepEqual([...mesh.stdout.subarray(0, 3)], [0xbf, 0x01, 0xbf]);
});

test('bad input: named with reason and byte offset on stderr, good events still out, exit 1', () => {
  const input = `junk!${atakPliCorpus(1, 8)[0]}<event uid="x"><point/></event>`;
  const result = takd(['cot', 'convert', '--to', 'json'], input);
  assert.equal(result.status, 1);
  assert.equal(result.stdout.toString().trim().split('\n').length, 1);
  assert.match(result.stderr, /byte 0: garbage:/);
  assert.match(result.stderr, new RegExp(`byte ${Buffer.byteLength(input) - 32}: malformed-xml|missing-field`));
});

test('bad JSON lines are named with their offset', () => {
  const result = takd(['cot', 'convert', '--to', 'xml'], '{"uid": 1}\n{not json\n');
  assert.equal(result.status, 1);
  assert.match(result.stderr, /byte 0: bad-value: uid must be a string/);
  assert.match(result.stderr, /byte 11: malformed-json: not JSON/);
});

test('usage: --help exits 0, a missing or unknown format exits 2 and says what is allowed', () => {
  assert.equal(takd(['cot', '--help'], '').status, 0);
  const missing = takd(['cot', 'convert'], '');
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /--to FORMAT is required/);
  const unknown = takd(['cot', 'convert', '--to', 'yaml'], '');
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /allowed: xml, json, proto-stream, proto-mesh/);
  assert.equal(takd(['frobnicate'], '').status, 2);
  assert.match(takd(['--version'], '').stdout.toString(), /^takd \d+\.\d+\.\d+/);
});
