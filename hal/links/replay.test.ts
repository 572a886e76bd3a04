import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ReplayLinkProvider, replaySchedule } from './replay.js';
import { isLinkError } from './errors.js';

const provider = new ReplayLinkProvider();

async function readAll(url: URL): Promise<Buffer> {
  const link = await provider.open({ url });
  const parts: Buffer[] = [];
  for await (const chunk of link.chunks()) parts.push(chunk);
  return Buffer.concat(parts);
}

test('replay: fast and baud-paced playback deliver the file byte for byte, then end', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'takd-replay-'));
  try {
    const data = Buffer.from('$GPGGA,1*00\r\n'.repeat(100));
    const path = join(dir, 'capture.log');
    writeFileSync(path, data);
    const url = pathToFileURL(path);
    url.searchParams.set('pace', 'fast');
    assert.deepEqual(await readAll(url), data);
    url.searchParams.set('pace', 'baud');
    url.searchParams.set('baud', '115200');
    assert.deepEqual(await readAll(url), data);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('replay: a missing file fails to open with kind open-failed; writes are refused', async () => {
  await assert.rejects(provider.open({ url: new URL('file:///nonexistent/takd.log') }), (e: unknown) => isLinkError(e) && e.kind === 'open-failed');
  await assert.rejects(provider.open({ url: new URL('file:///x.log?pace=slow') }), (e: unknown) => isLinkError(e) && e.kind === 'open-failed');
  const dir = mkdtempSync(join(tmpdir(), 'takd-replay-'));
  try {
    writeFileSync(join(dir, 'a.log'), 'x');
    const link = await provider.open({ url: pathToFileURL(join(dir, 'a.log')) });
    await assert.rejects(link.write(Buffer.from('y')), (e: unknown) => isLinkError(e) && e.kind === 'canceled');
    await link.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('replay: pace=time waits as long as the sentence times advance (gaps capped), nothing for untimed lines', () => {
  const lines = [
    '$GPGGA,120000.00,4500.000,N,00700.000,E,1,08,1.0,10.0,M,1.0,M,,*00',
    '$GPGSA,A,3,01,,,,,,,,,,,,2.0,1.0,1.5*00',
    '$GPRMC,120000.00,A,4500.000,N,00700.000,E,0.0,0.0,010126,,,A*00',
    '$GPGGA,120000.50,4500.000,N,00700.000,E,1,08,1.0,10.0,M,1.0,M,,*00',
    '$GPGLL,4500.000,N,00700.000,E,120001.50,A*00',
    '$GPGGA,120100.00,4500.000,N,00700.000,E,1,08,1.0,10.0,M,1.0,M,,*00',
  ];
  const data = Buffer.from(lines.map((l) => `${l}\r\n`).join(''));
  const steps = replaySchedule(data, 'time', 480);
  assert.deepEqual(steps.map((s) => s.delayMs), [0, 0, 500, 1000, 10_000, 0]);
  assert.equal(steps[steps.length - 1].end, data.length);
  const baud = replaySchedule(data, 'baud', 480);
  assert.ok(baud.every((s) => s.delayMs === 50));
  assert.equal(baud.length, Math.ceil(data.length / 24));
  assert.deepEqual(replaySchedule(data, 'fast', 480), [{ end: data.length, delayMs: 0 }]);
});
