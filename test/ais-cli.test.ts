// `takd ais decode` as users run it: the real binary on a corpus capture and on stdin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aisCorpusDir } from './support/paths.js';

const takd = fileURLToPath(new URL('../daemon/main.js', import.meta.url));

function run(args: string[], input?: Buffer): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [takd, ...args], { input, encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('takd ais decode FILE: one gpsd-style JSON report per message', () => {
  const { status, stdout, stderr } = run(['ais', 'decode', join(aisCorpusDir, 'sample.aivdm')]);
  assert.equal(status, 0, stderr);
  const reports = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const expected = readFileSync(join(aisCorpusDir, 'sample.aivdm.ais.jsonl'), 'utf8').trim().split('\n');
  assert.equal(reports.length, expected.length);
  assert.deepEqual(
    [reports[0].type, reports[0].mmsi, reports[0].lat, reports[0].lon, reports[0].speed, reports[0].course, reports[0].heading],
    [1, 371798000, 48.3816333, -123.3953833, 12.3, 224, 215],
  );
  const stats = JSON.parse(stderr.trim()) as { decoder: { messages: number } };
  assert.equal(stats.decoder.messages, reports.length);
});

test('takd ais decode -: stdin, a last line without a newline, --no-stats', () => {
  const input = Buffer.from('!AIVDM,1,1,,A,KCQ9r=hrFUnH7P00,0*41\r\n!AIVDM,1,1,,B,KC5E2b@U19PFdLbMuc5=ROv62<7m,0*16');
  const { status, stdout, stderr } = run(['ais', 'decode', '-', '--no-stats'], input);
  assert.equal(status, 0);
  assert.equal(stderr, '');
  const reports = stdout.trim().split('\n').map((l) => JSON.parse(l) as { mmsi: number; lat: number });
  assert.deepEqual(reports.map((r) => [r.mmsi, r.lat]), [[236091959, 87.065], [206914217, 4.84]]);
});

test('takd ais: usage errors exit 2, a missing file exits 1', () => {
  assert.equal(run(['ais']).status, 2);
  assert.equal(run(['ais', 'encode', 'x']).status, 2);
  assert.equal(run(['ais', 'decode', '/nonexistent/capture']).status, 1);
});
