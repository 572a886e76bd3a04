// A link to fake hardware, for tests: the test plays the device (send bytes, unplug, plug
// back in) and sees what the daemon wrote, and how it opened the link (the baud a serial
// port would be set to). Follows the same contract as the real links. Registered under
// another scheme (`new MockLinkProvider('serial')`) it stands in for that kind of link.
import type { ByteLink, DeviceInfo, LinkOptions, LinkProvider } from '../contract.js';
import { ChunkQueue } from './chunk-queue.js';
import { HalLinkError } from './errors.js';

export class MockDevice {
  /** Everything the daemon wrote, in order. */
  readonly written: Buffer[] = [];
  /** The options of each open, in order (url as resolved, baud). */
  readonly openedWith: LinkOptions[] = [];
  plugged = true;
  opens = 0;
  private open: MockByteLink | undefined;

  constructor(readonly path: string) {}

  /** The device sends bytes (dropped while nobody has it open, like a real serial port). */
  send(bytes: Buffer | string): void {
    this.open?.queue.push(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  }

  /** USB unplugged: the open link fails with `disconnected`, and opening fails until plugIn(). */
  unplug(): void {
    this.plugged = false;
    this.open?.queue.end(new HalLinkError('disconnected', `${this.path}: device removed`));
    this.open = undefined;
  }

  plugIn(): void {
    this.plugged = true;
  }

  get isOpen(): boolean {
    return this.open !== undefined;
  }

  /** @internal used by MockLinkProvider */
  attach(link: MockByteLink, options: LinkOptions): void {
    this.opens++;
    this.openedWith.push(options);
    this.open = link;
  }

  /** @internal */
  detach(link: MockByteLink): void {
    if (this.open === link) this.open = undefined;
  }
}

class MockByteLink implements ByteLink {
  readonly queue = new ChunkQueue();
  readonly description: string;

  constructor(private readonly device: MockDevice) {
    this.description = `mock ${device.path}`;
  }

  chunks(): AsyncIterable<Buffer> {
    return this.queue;
  }

  async write(bytes: Buffer): Promise<void> {
    if (this.queue.isEnded) throw new HalLinkError(this.device.plugged ? 'canceled' : 'disconnected', `${this.description}: closed`);
    this.device.written.push(Buffer.from(bytes));
  }

  async close(): Promise<void> {
    this.queue.end(new HalLinkError('canceled', `${this.description}: closed locally`));
    this.device.detach(this);
  }
}

export class MockLinkProvider implements LinkProvider {
  private readonly devices = new Map<string, MockDevice>();

  /** `scheme`: the URL scheme it answers to; 'serial' makes it a fake serial port. */
  constructor(readonly scheme = 'mock') {}

  /** The fake device at `path` (mock:///path; for tcp://host:port, `host:port`), created on first use. */
  device(path: string): MockDevice {
    let device = this.devices.get(path);
    if (device === undefined) {
      device = new MockDevice(path);
      this.devices.set(path, device);
    }
    return device;
  }

  async open(options: LinkOptions): Promise<ByteLink> {
    const path = options.url.host === '' ? options.url.pathname : options.url.host;
    const device = this.devices.get(path);
    if (device === undefined || !device.plugged) {
      throw new HalLinkError('open-failed', `${path}: no such device`);
    }
    const link = new MockByteLink(device);
    device.attach(link, options);
    return link;
  }

  async list(): Promise<DeviceInfo[]> {
    return [...this.devices.values()].filter((d) => d.plugged).map((d) => ({ path: d.path, node: d.path }));
  }
}
