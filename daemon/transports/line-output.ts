/**
 * log://stdout, log://stderr and file://PATH: one event per line of XML, appended.
 * Send-only. Writes go through the same bounded queue as sockets, so a slow disk or a
 * blocked pipe drops the oldest events instead of growing memory.
 */
import { closeSync, createWriteStream, openSync, type WriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { CotEvent } from '../codec/event.js';
import { TransportConfigError } from './errors.js';
import { DEFAULTS, type TransportOptions } from './options.js';
import { oneLineXml } from './stream-codec.js';
import { silentLogger } from '../../util/logger.js';
import { newCounters, type Transport, type TransportState, type TransportStatus } from './types.js';
import type { FileSpec, LogSpec } from './url.js';
import { WriteQueue } from './write-queue.js';

export class LineOutput implements Transport {
  readonly name: string;
  readonly canSend = true;
  readonly canReceive = false;
  private readonly queue: WriteQueue;
  private readonly counters = newCounters();
  private stream: Writable | undefined;
  private state: TransportState = 'stopped';
  private message = 'not started';

  constructor(
    private readonly spec: LogSpec | FileSpec,
    options: TransportOptions = {},
  ) {
    this.name = options.name ?? (spec.kind === 'log' ? `log://${spec.stream}` : `file://${spec.path}`);
    const logger = options.logger ?? silentLogger;
    this.queue = new WriteQueue((event) => `${oneLineXml(event)}\n`, {
      capacity: options.maxQueue ?? DEFAULTS.maxQueue,
      logger,
      logContext: { transport: this.name },
    });
  }

  /** Throws TransportConfigError when the file cannot be opened for appending. */
  start(): void {
    if (this.stream) return;
    if (this.spec.kind === 'log') {
      this.stream = this.spec.stream === 'stdout' ? process.stdout : process.stderr;
    } else {
      let fd: number;
      try {
        fd = openSync(this.spec.path, 'a');
      } catch (error) {
        throw new TransportConfigError('url', `cannot append to ${this.spec.path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      }
      const file: WriteStream = createWriteStream('', { fd, autoClose: true });
      file.on('error', (error) => {
        this.state = 'failed';
        this.message = error.message;
        this.queue.fail(error);
        closeSync(fd);
      });
      this.stream = file;
    }
    this.state = 'up';
    this.message = `writing to ${this.name}`;
    this.queue.attach(this.stream);
  }

  send(event: CotEvent): boolean {
    this.queue.push(event);
    return true;
  }

  isUp(): boolean {
    return this.state === 'up';
  }

  backlog(): number {
    return this.queue.length;
  }

  whenBacklogBelow(depth: number, listener: () => void): void {
    this.queue.whenBacklogBelow(depth, listener);
  }

  flush(): Promise<void> {
    return this.queue.whenIdle();
  }

  async close(): Promise<void> {
    await this.queue.whenIdle().catch(() => undefined);
    const stream = this.stream;
    this.stream = undefined;
    this.queue.detach();
    if (stream && this.spec.kind === 'file') await new Promise<void>((resolve) => stream.end(() => resolve()));
    this.state = 'stopped';
    this.message = 'closed';
  }

  status(): TransportStatus {
    const { queued, written, dropped } = this.queue.counters;
    return {
      name: this.name,
      state: this.state,
      message: this.message,
      protocol: 0,
      counters: { ...this.counters, eventsQueued: queued, eventsSent: written, eventsDropped: dropped },
    };
  }
}
