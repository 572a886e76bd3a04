// `takd aprs decode` as users run it: KISS bytes and TNC2 text, file and stdin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kissEncode } from '../hal/framers/kiss.js';
import { encodeAx25 } from '../hal/drivers/kiss-aprs/ax25.js';

const takd = fileURLToPath(new URL('../daemon/main.js', import.meta.url));

function run(args: string[], input?: Buffer): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [takd, ...args], { input, encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('takd aprs decode -: a KISS byte stream with noise between frames', () => {
  const frames = Buffer.concat([
    kissEncode(encodeAx25('APRS', 'N0CALL-9', ['WIDE1-1'], Buffer.from('!4903.50N/07201.75W-Test /A=001234'))),
    Buffer.from('line noise'),
    kissEncode(encodeAx25('APRS', 'N0CALL-2', [], Buffer.from('>just a status'))),
    kissEncode(encodeAx25('TRSW1R', 'WB2OSZ', [], Buffer.from('`c0ol!O[/>=\r', 'latin1'))),
  ]);
  const { status, stdout, stderr } = run(['aprs', 'decode', '-'], frames);
  assert.equal(status, 0, stderr);
  const packets = stdout.trim().split('\n').map((l) => JSON.parse(l) as { from: string; latitude: number; format: string });
  assert.deepEqual(packets.map((p) => [p.from, p.format]), [['N0CALL-9', 'uncompressed'], ['WB2OSZ', 'mic-e']]);
  assert.match(stderr, /"skipped:status":1/);
});

test('takd aprs decode FILE: TNC2 text lines, comments skipped', () => {
  const dir = mkdtempSync(join(tmpdir(), 'takd-aprs-'));
  try {
    const file = join(dir, 'aprs-is.log');
    writeFileSync(file, '# APRS-IS capture\nFROMCALL>TOCALL:/092345z4903.50N/07201.75W>Test1234\nN0CALL>APRS:)AID #2!4903.50N/07201.75WA');
    const { status, stdout } = run(['aprs', 'decode', file, '--no-stats']);
    assert.equal(status, 0);
    const packets = stdout.trim().split('\n').map((l) => JSON.parse(l) as { from: string; object_name?: string; timestamp?: string });
    assert.deepEqual(packets.map((p) => [p.from, p.object_name, p.timestamp]), [['FROMCALL', undefined, '092345z'], ['N0CALL', 'AID #2', undefined]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('takd aprs: usage errors exit 2', () => {
  assert.equal(run(['aprs']).status, 2);
  assert.equal(run(['aprs', 'decode']).status, 2);
});
