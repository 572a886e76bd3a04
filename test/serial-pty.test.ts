// Serial through a real pty pair (socat): a corpus capture written at the baud rate is
// decoded by a Source on serial://; then the device is unplugged (socat killed, ptys gone)
// and plugged back in (socat again, same paths) and the source resumes by itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GnssFix } from '../hal/contract.js';
import { nmeaGnssDriver } from '../hal/drivers/nmea-gnss/index.js';
import { defaultLinkProviders } from '../hal/links/index.js';
import { startSource } from '../hal/source.js';
import { decodeCapture } from './support/gnss-golden.js';
import { gnssCorpusDir } from './support/paths.js';
import { PtyPair, receiverBytes, socatAvailable, writePaced } from './support/pty.js';
import { eventually } from './support/wait.js';

const BAUD = 38400;

test('serial: a capture written to a pty at 38400 baud decodes to the same fixes as the file; unplug and replug resume', { skip: !socatAvailable() && 'socat not installed', timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'takd-pty-'));
  const pty = new PtyPair(dir);
  const source = startSource({
    id: 'source.gps',
    url: `serial://${pty.hostPath}?baud=${BAUD}`,
    driver: nmeaGnssDriver,
    providers: defaultLinkProviders(),
  });
  const fixes: GnssFix[] = [];
  const consumer = (async () => {
    for await (const fix of source.messages()) fixes.push(fix);
  })();
  try {
    const capture = readFileSync(join(gnssCorpusDir, 'bu353s4.log'));
    const expected = decodeCapture(capture).filter((f) => f.time !== undefined);
    await pty.start();
    assert.ok(await eventually(() => source.status().state === 'connected', 10_000), source.status().detail);
    await writePaced(pty.devicePath, receiverBytes(capture), BAUD);
    // The last epoch is only complete when the next one starts: compare all but the last.
    assert.ok(await eventually(() => fixes.filter((f) => f.time !== undefined).length >= expected.length - 1, 10_000));
    const got = fixes.filter((f) => f.time !== undefined).slice(0, expected.length - 1);
    assert.deepEqual(got.map((f) => [f.time, f.lat, f.lon, f.altHAE]), expected.slice(0, -1).map((f) => [f.time, f.lat, f.lon, f.altHAE]));

    // Unplug: the source notices and retries.
    await pty.stop();
    assert.ok(await eventually(() => source.status().disconnects === 1 && source.status().state === 'retrying', 10_000), source.status().detail);
    const before = fixes.length;

    t.diagnostic(`after unplug: ${source.status().detail}`);

    // Plug back in: same paths; the source reopens without help and decodes again.
    await pty.start();
    const pluggedAt = Date.now();
    assert.ok(await eventually(() => source.status().state === 'connected' && source.status().connects === 2, 10_000), source.status().detail);
    t.diagnostic(`reopened ${Date.now() - pluggedAt} ms after the device came back (issue: within 2 s)`);
    await writePaced(pty.devicePath, receiverBytes(capture), BAUD);
    assert.ok(await eventually(() => fixes.length >= before + expected.length - 1, 10_000), `fixes after replug: ${fixes.length - before}`);
    const status = source.status();
    assert.equal(status.framer.badChecksum, 0);
    assert.ok(status.messages >= 2 * (expected.length - 1));
  } finally {
    await source.stop();
    await consumer;
    await pty.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
