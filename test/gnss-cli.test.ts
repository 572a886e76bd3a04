// `takd gps decode` and `takd serial list` as users run them: the real binary, real files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toTpv } from '../hal/drivers/nmea-gnss/tpv.js';
import { decodeCapture, readExpected } from './support/gnss-golden.js';
import { gnssCorpusDir } from './support/paths.js';

const takd = fileURLToPath(new URL('../daemon/main.js', import.meta.url));

function run(args: string[], input?: Buffer): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [takd, ...args], { input, encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('takd gps decode FILE: one gpsd-style TPV per fix epoch, with gpsd names and units', () => {
  const capture = join(gnssCorpusDir, 'bu353s4.log');
  const { status, stdout, stderr } = run(['gps', 'decode', capture]);
  assert.equal(status, 0, stderr);
  const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const fixes = decodeCapture(readFileSync(capture));
  assert.deepEqual(lines, fixes.map((f) => JSON.parse(JSON.stringify(toTpv(f)))));
  // The first line against gpsd's own final TPV for that epoch.
  const gpsd = readExpected('bu353s4').find((e) => e.epoch_last === true);
  assert.equal(lines[0].time, gpsd?.time);
  assert.equal(lines[0].lat, gpsd?.lat);
  assert.equal(lines[0].altHAE, gpsd?.altHAE);
  assert.equal(lines[0].speed, gpsd?.speed);
  assert.match(stderr, /"badChecksum":0/);
});

test('takd gps decode -: reads stdin', () => {
  const capture = readFileSync(join(gnssCorpusDir, 'com-1289.log'));
  const { status, stdout, stderr } = run(['gps', 'decode', '-', '--no-stats'], capture);
  assert.equal(status, 0);
  assert.equal(stderr, '');
  assert.equal(stdout.trim().split('\n').length, decodeCapture(capture).length);
});

test('takd gps decode URL: a capture via file:// and the simulated receiver via sim://', () => {
  const capture = join(gnssCorpusDir, 'gr8013-w.log');
  const viaFile = run(['gps', 'decode', capture, '--no-stats']);
  const viaUrl = run(['gps', 'decode', `file://${capture}?pace=fast`, '--no-stats']);
  assert.equal(viaUrl.status, 0, viaUrl.stderr);
  assert.equal(viaUrl.stdout, viaFile.stdout);
  const sim = run(['gps', 'decode', 'sim://?lat=59.91&lon=10.75&speed=walk&rate=20', '--count', '3']);
  assert.equal(sim.status, 0, sim.stderr);
  const fixes = sim.stdout.trim().split('\n').map((l) => JSON.parse(l) as { mode: number; lat: number; speed: number });
  assert.equal(fixes.length, 3);
  for (const fix of fixes) {
    assert.equal(fix.mode, 3);
    assert.ok(Math.abs(fix.lat - 59.91) < 0.01);
    assert.equal(fix.speed, 1.4);
  }
  assert.equal(run(['gps', 'decode', 'bogus://x']).status, 2);
});

test('takd gps: usage errors exit 2, a missing file exits 1, --help exits 0 with an example', () => {
  assert.equal(run(['gps']).status, 2);
  assert.equal(run(['gps', 'encode', 'x']).status, 2);
  assert.equal(run(['gps', 'decode', '/nonexistent/capture.nmea']).status, 1);
  const help = run(['gps', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /Examples:\n\s+takd gps decode/);
});

test('takd serial list: exits 0 and prints a table or says there is nothing', () => {
  const { status, stdout } = run(['serial', 'list']);
  assert.equal(status, 0);
  assert.match(stdout, /^(PATH\s+NODE\s+USB ID|no serial devices found)/);
  assert.equal(run(['serial']).status, 2);
  assert.match(run(['serial', '--help']).stdout, /Example:/);
});
