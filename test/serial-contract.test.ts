// The link contract suite against the real serial link on a socat pty pair: the device side
// is the other pty; unplug kills socat (both ptys vanish), replug starts it again.
import { mkdtempSync, openSync, closeSync, rmSync, write } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReadStream } from 'node:tty';
import { linkContractSuite } from '../hal/links/contract-suite.js';
import { SerialLinkProvider } from '../hal/links/serial.js';
import { PtyPair, socatAvailable } from './support/pty.js';

linkContractSuite(
  'serial (socat pty)',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'takd-serial-contract-'));
    const pty = new PtyPair(dir);
    const provider = new SerialLinkProvider();
    const received: Buffer[] = [];
    let device: { fd: number; reader: ReadStream } | undefined;
    const closeDevice = (): void => {
      if (device === undefined) return;
      device.reader.destroy();
      try {
        closeSync(device.fd);
      } catch {
        // tty streams may have closed it already
      }
      device = undefined;
    };
    const plug = async (): Promise<void> => {
      await pty.start();
      const fd = openSync(pty.devicePath, 'r+');
      const reader = new ReadStream(fd);
      reader.on('data', (d: Buffer) => received.push(Buffer.from(d)));
      reader.on('error', () => undefined);
      device = { fd, reader };
    };
    await plug();
    return {
      open: () => provider.open({ url: new URL(`serial://${pty.hostPath}?baud=115200`) }),
      // fs.write runs in the thread pool: a tty WriteStream would block the event loop when
      // the pty's buffer is full, and the host side (same process) could never drain it.
      // The tty ReadStream made the fd non-blocking, so a full buffer is EAGAIN: wait and retry.
      deviceSend: async (bytes) => {
        let offset = 0;
        while (offset < bytes.length && device !== undefined) {
          const fd = device.fd;
          offset += await new Promise<number>((resolve, reject) =>
            write(fd, bytes, offset, bytes.length - offset, null, (error, n) => {
              if (error === null) resolve(n);
              else if (error.code === 'EAGAIN') setTimeout(() => resolve(0), 5);
              else reject(error);
            }),
          );
        }
      },
      deviceReceived: () => Buffer.concat(received),
      unplug: async () => {
        closeDevice();
        await pty.stop();
      },
      replug: plug,
      cleanup: async () => {
        closeDevice();
        await pty.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  { skip: !socatAvailable() && 'socat not installed' },
);
