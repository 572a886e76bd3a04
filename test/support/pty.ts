// A pty pair made by socat: a serial "device" for tests without hardware. The test writes
// to `devicePath` (playing the receiver) and takd opens `hostPath` as a serial port.
// Killing socat removes both links: that is the test's "USB unplugged".
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export function socatAvailable(): boolean {
  return spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0;
}

export class PtyPair {
  readonly devicePath: string;
  readonly hostPath: string;
  private process: ChildProcess | undefined;

  constructor(dir: string, name = 'tty') {
    this.devicePath = join(dir, `${name}-device`);
    this.hostPath = join(dir, `${name}-host`);
  }

  /** Starts socat and waits until both pty links exist. */
  async start(): Promise<void> {
    const child = spawn(
      'socat',
      [`pty,raw,echo=0,link=${this.devicePath}`, `pty,raw,echo=0,link=${this.hostPath}`],
      { stdio: 'ignore' },
    );
    this.process = child;
    for (let i = 0; i < 200; i++) {
      if (existsSync(this.devicePath) && existsSync(this.hostPath)) return;
      if (child.exitCode !== null) throw new Error(`socat exited with ${child.exitCode}`);
      await sleep(10);
    }
    throw new Error('socat did not create the pty pair');
  }

  /** "Unplugs" the device: kills socat and waits until it is gone (its links go with it). */
  async stop(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

/**
 * Writes `data` to the device side at a serial line rate (8N1: baud/10 bytes per second),
 * line by line, as a receiver would. Stops early (without error) when `shouldStop()` says so
 * or when the pty disappears.
 */
export async function writePaced(path: string, data: Buffer, baud: number, shouldStop: () => boolean = () => false): Promise<number> {
  const bytesPerSecond = baud / 10;
  let file;
  try {
    file = await open(path, 'w');
  } catch {
    return 0;
  }
  let written = 0;
  const started = Date.now();
  try {
    let start = 0;
    while (start < data.length && !shouldStop()) {
      let end = data.indexOf(0x0a, start);
      end = end === -1 ? data.length : end + 1;
      // Asynchronous (thread pool): a full pty buffer must not block the event loop the reader runs on.
      await file.write(data, start, end - start);
      written += end - start;
      start = end;
      const due = started + (written / bytesPerSecond) * 1000;
      const wait = due - Date.now();
      if (wait > 0) await sleep(wait);
    }
  } catch {
    // the pty went away under us: that is the test's unplug
  } finally {
    await file.close().catch(() => undefined);
  }
  return written;
}

/** The capture with gpsd's `#` comments removed and CR LF line ends, as a receiver sends it. */
export function receiverBytes(capture: Buffer): Buffer {
  const lines = capture.toString('latin1').split(/\r?\n/).filter((l) => l.length > 0 && !l.startsWith('#'));
  return Buffer.from(lines.map((l) => `${l}\r\n`).join(''), 'latin1');
}
