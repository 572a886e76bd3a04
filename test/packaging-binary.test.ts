// The single binary itself, not the sources: built once per source hash (cached), then run
// as users run it. x64 natively; arm64 under qemu-aarch64-static. Commands must give the
// same output as the sources; `takd run` must carry a corpus capture (replayed, and through
// a socat pty as a serial port, which loads serialport's addon from inside the binary) to a
// loopback TCP listener as PLI, and notify systemd through the embedded sd_notify addon.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BuiltBinary } from '../packaging/build/binary.js';
import type { BinaryArch } from '../packaging/build/node-dist.js';
import { binaryCommand, binaryUnavailableReason, mib, SIZE_BUDGET, strippedOfficialNodeBytes, testBinary } from '../packaging/testing/binaries.js';
import { CotSink, TAKD_MAIN, TakdProcess, waitFor } from './support/daemon-process.js';
import { freePort } from './support/gpsfake.js';
import { FakeNotifySocket, pythonAvailable } from './support/notify-socket.js';
import { gnssCorpusDir, repoRoot } from './support/paths.js';
import { PtyPair, socatAvailable } from './support/pty.js';

const CAPTURE = 'bu353s4';
const capturePath = join(gnssCorpusDir, `${CAPTURE}.log`);
const noCorpus = existsSync(capturePath) ? undefined : `corpus capture ${capturePath} not present`;
const SAMPLE_EVENT =
  '<event version="2.0" uid="pkg-1" type="a-f-G-U-C" how="m-g" time="2024-05-01T12:00:00.000Z" start="2024-05-01T12:00:00.000Z" stale="2024-05-01T12:05:00.000Z">' +
  '<point lat="59.9139" lon="10.7522" hae="12.5" ce="4.9" le="9.1"/><detail><contact callsign="PKG-1"/><remarks>a &amp; b</remarks></detail></event>';

/** The first 2D/3D fix of the capture, from its golden TPV file. */
function firstGoldenFix(): { lat: number; lon: number } {
  const lines = readFileSync(join(gnssCorpusDir, `${CAPTURE}.tpv.jsonl`), 'utf8').split('\n').filter(Boolean);
  const fix = lines.map((l) => JSON.parse(l) as { mode?: number; lat?: number; lon?: number }).find((r) => (r.mode ?? 0) >= 2 && r.lat !== undefined);
  assert.ok(fix?.lat !== undefined && fix.lon !== undefined, 'the golden file has a fix');
  return { lat: fix.lat, lon: fix.lon };
}

function run(command: string[], args: string[], input?: Buffer | string): { status: number | null; stdout: Buffer; stderr: string } {
  const [program, ...rest] = command;
  const result = spawnSync(program, [...rest, ...args], { input, maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.toString() };
}

const sources = [process.execPath, TAKD_MAIN];

/**
 * The capture without its date sentences (RMC, ZDA), written into `dir`. With its 2014 dates,
 * a machine whose clock is not synchronised stamps PLI with GPS time (by design), and the
 * router drops those events as long stale; without dates the fixes carry the system time.
 * Every position is still the capture's.
 */
function datelessCapture(dir: string): string {
  const lines = readFileSync(capturePath, 'latin1').split('\n').filter((line) => !/^\$..(RMC|ZDA),/.test(line));
  const path = join(dir, `${CAPTURE}-dateless.log`);
  writeFileSync(path, lines.join('\n'), 'latin1');
  return path;
}

function smokeConfig(link: string, port: number): string {
  return ['[takd]', 'callsign = SMOKE-1', 'uid = smoke-1', '[source.gps]', 'driver = nmea-gnss', `link = ${link}`, '[output.server]', `url = tcp://127.0.0.1:${port}`, ''].join('\n');
}

/** The first own-position report among the events received (pings and others skipped). */
function firstPli(received: string): string | undefined {
  return received.match(/<event [^>]*type="a-f-G-U-C"[\s\S]*?<\/event>/)?.[0];
}

/** Waits for PLI on the sink; checks identity and that the position is the capture's. */
async function assertPliArrives(sink: CotSink, takd: TakdProcess, timeoutMs: number): Promise<void> {
  const first = await waitFor(`PLI on the listener (stderr: ${takd.stderr.slice(-400)}; stdout: ${takd.stdout.slice(-400)})`, () => firstPli(sink.received), timeoutMs);
  assert.match(first, /<event [^>]*uid="smoke-1"/);
  assert.match(first, /<contact [^>]*callsign="SMOKE-1"/);
  const lat = Number(/<point lat="([-\d.]+)"/.exec(first)?.[1]);
  const lon = Number(/<point [^>]*lon="([-\d.]+)"/.exec(first)?.[1]);
  const golden = firstGoldenFix();
  assert.ok(Math.abs(lat - golden.lat) < 1e-6 && Math.abs(lon - golden.lon) < 1e-6, `point ${lat},${lon} is the capture's first fix ${golden.lat},${golden.lon}`);
}

function describeBinary(arch: BinaryArch, startTimeoutMs: number): void {
  const unavailable = binaryUnavailableReason(arch);
  describe(`single binary takd-linux-${arch}`, { skip: unavailable }, () => {
    const outDir = mkdtempSync(join(tmpdir(), `takd-dist-${arch}-`));
    const processes: TakdProcess[] = [];
    let binary: BuiltBinary;
    let takdBinary: string[];

    before(async () => {
      binary = await testBinary(repoRoot, arch, outDir);
      takdBinary = binaryCommand(arch, binary.path);
    }, { timeout: 300_000 });
    after(async () => {
      for (const p of processes) await p.cleanup();
      rmSync(outDir, { recursive: true, force: true });
    });

    it('is a stripped ELF of the target architecture', (t) => {
      const file = spawnSync('file', ['-b', binary.path], { encoding: 'utf8' });
      if (file.status !== 0) return t.skip('needs the file command (apt: file)');
      assert.match(file.stdout, arch === 'x64' ? /x86-64/ : /aarch64/);
      assert.match(file.stdout, /, stripped/);
    });

    it(`fits the size budget: the stripped official node + ${mib(SIZE_BUDGET.binaryOverNodeBytes)}`, async (t) => {
      const floor = await strippedOfficialNodeBytes(arch, outDir);
      const budget = floor + SIZE_BUDGET.binaryOverNodeBytes;
      const measured = `takd-linux-${arch} ${mib(binary.bytes)} (${binary.bytes} bytes; bundle ${mib(binary.bundleBytes)}), stripped official node ${mib(floor)} (${floor} bytes), budget ${mib(budget)}`;
      t.diagnostic(measured);
      assert.ok(binary.bytes <= budget, measured);
    });

    it('--version prints the package version', () => {
      const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
      const result = run(takdBinary, ['--version']);
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stdout.toString(), `takd ${version}\n`);
      // Nothing on stderr: node warns there when V8 rejects the embedded code cache.
      assert.equal(result.stderr.toString(), '');
    });

    it('cot convert: XML → TAK v1 stream → XML round trip, identical to the sources', () => {
      const proto = run(takdBinary, ['cot', 'convert', '--to', 'proto-stream'], SAMPLE_EVENT);
      assert.equal(proto.status, 0, proto.stderr);
      assert.equal(proto.stdout[0], 0xbf, 'a TAK protocol v1 stream frame');
      const back = run(takdBinary, ['cot', 'convert', '--to', 'xml'], proto.stdout);
      assert.equal(back.status, 0, back.stderr);
      const fromSources = run(sources, ['cot', 'convert', '--to', 'xml'], run(sources, ['cot', 'convert', '--to', 'proto-stream'], SAMPLE_EVENT).stdout);
      assert.equal(back.stdout.toString(), fromSources.stdout.toString());
      assert.match(back.stdout.toString(), /uid="pkg-1"[\s\S]*callsign="PKG-1"[\s\S]*a &amp; b/);
    });

    it('gps decode on a corpus capture gives the same fixes as the sources', { skip: noCorpus }, () => {
      const fromBinary = run(takdBinary, ['gps', 'decode', capturePath]);
      assert.equal(fromBinary.status, 0, fromBinary.stderr);
      const lines = fromBinary.stdout.toString().split('\n').filter(Boolean);
      assert.ok(lines.length > 10, `fixes decoded (${lines.length})`);
      assert.equal(fromBinary.stdout.toString(), run(sources, ['gps', 'decode', capturePath]).stdout.toString());
    });

    it('serial list runs', () => {
      const result = run(takdBinary, ['serial', 'list']);
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout.toString(), /^(PATH\s+NODE|no serial devices found)/);
    });

    it('run: the console page comes from the embedded asset, as the sources serve it', { skip: existsSync(join(repoRoot, 'daemon/console/page-assets.generated.js')) ? undefined : 'the page is not built (npm run build)' }, async () => {
      const takd = new TakdProcess();
      processes.push(takd);
      const port = await freePort();
      takd.writeConfig(`[pli]\nenabled = no\n[status]\nhttp = 127.0.0.1:${port}\n[output.file]\nurl = file://${join(takd.dir, 'out.cot')}\n`);
      takd.start(['-c', takd.configFile], { STATE_DIRECTORY: takd.dir }, [...takdBinary, 'run']);
      await waitFor('ready', () => (takd.status()?.ready === true ? true : undefined), startTimeoutMs);
      // Ready is said before the HTTP endpoint listens: wait for it to answer.
      const deadline = Date.now() + startTimeoutMs;
      while (!(await fetch(`http://127.0.0.1:${port}/health`).then(() => true, () => false))) {
        assert.ok(Date.now() < deadline && takd.status()?.pid !== undefined, `the HTTP endpoint never answered: ${takd.stderr}`);
        await sleep(100);
      }
      const { PAGE_FILES } = await import('../daemon/console/page-assets.generated.js');
      for (const [path, file] of Object.entries(PAGE_FILES)) {
        const compressed = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { 'accept-encoding': 'br' } });
        assert.equal(compressed.status, 200, path);
        assert.equal(compressed.headers.get('etag'), file.etag, path);
        const plain = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { 'accept-encoding': 'identity' } });
        assert.equal((await plain.arrayBuffer()).byteLength, file.size, path);
      }
      assert.equal(await takd.stop('SIGTERM'), 0);
    });

    it('run: corpus capture replayed → PLI → loopback TCP listener', { skip: noCorpus }, async () => {
      const sink = new CotSink();
      const takd = new TakdProcess();
      processes.push(takd);
      try {
        const port = await sink.listen();
        takd.writeConfig(smokeConfig(`file://${datelessCapture(takd.dir)}?pace=fast`, port));
        takd.start(['-c', takd.configFile], { STATE_DIRECTORY: takd.dir }, [...takdBinary, 'run']);
        await assertPliArrives(sink, takd, startTimeoutMs);
        assert.equal(await takd.stop('SIGTERM'), 0);
      } finally {
        await sink.kill();
      }
    });

    it('run: NMEA through a pty as a serial port (serialport addon from the binary)', { skip: noCorpus ?? (socatAvailable() ? undefined : 'needs socat') }, async () => {
      const takd = new TakdProcess();
      processes.push(takd);
      const pty = new PtyPair(takd.dir, 'gps');
      const sink = new CotSink();
      try {
        await pty.start();
        const port = await sink.listen();
        takd.writeConfig(smokeConfig(`serial://${pty.hostPath}?baud=9600`, port));
        takd.start(['-c', takd.configFile], { STATE_DIRECTORY: takd.dir }, [...takdBinary, 'run']);
        await takd.waitForState('source.gps', 'connected', startTimeoutMs);
        const device = await open(pty.devicePath, 'w');
        try {
          await device.write(readFileSync(datelessCapture(takd.dir)).subarray(0, 4096));
          await assertPliArrives(sink, takd, startTimeoutMs);
        } finally {
          await device.close();
        }
        // The addon came out of the binary into the runtime directory (no /usr/lib/takd here).
        const extracted = readdirSync(join(takd.dir, 'addons')).filter((f) => f.startsWith('serialport-'));
        assert.equal(extracted.length, 1);
        assert.equal(await takd.stop('SIGTERM'), 0);
      } finally {
        await takd.cleanup();
        await sink.kill();
        await pty.stop();
      }
    });

    it('run: READY=1 and WATCHDOG=1 from the main PID through the embedded sd_notify addon', { skip: pythonAvailable() ? undefined : 'needs python3 for the fake notify socket' }, async () => {
      const takd = new TakdProcess();
      processes.push(takd);
      const socket = new FakeNotifySocket(join(takd.dir, 'notify.sock'));
      try {
        await socket.ready();
        takd.writeConfig(`[pli]\nenabled = no\n[output.file]\nurl = file://${join(takd.dir, 'out.cot')}\n`);
        takd.start(['-c', takd.configFile], { NOTIFY_SOCKET: socket.path, WATCHDOG_USEC: '2000000', STATE_DIRECTORY: takd.dir }, [...takdBinary, 'run']);
        // socket.waitFor's own bound is too short for a start under qemu on a busy machine.
        const received = (pattern: RegExp, from = 0) => () => socket.received.slice(from).find((n) => pattern.test(n.message));
        const ready = await waitFor(`READY=1 (stderr: ${takd.stderr.slice(-300)})`, received(/^READY=1/), startTimeoutMs);
        await waitFor('WATCHDOG=1', received(/^WATCHDOG=1$/, socket.received.indexOf(ready) + 1), startTimeoutMs);
        // Under qemu the PID seen is still takd's: qemu-user runs the binary in its own process.
        assert.equal(ready.pid, takd.child?.pid, 'sent by the main process (NotifyAccess=main)');
        assert.doesNotMatch(takd.stdout + takd.stderr, /addon not available/);
        assert.equal(await takd.stop('SIGTERM'), 0);
      } finally {
        socket.close();
      }
    });
  });
}

// qemu emulates every instruction: allow it longer to start (a bound, not an assertion).
describeBinary('x64', 20_000);
describeBinary('arm64', 90_000);
