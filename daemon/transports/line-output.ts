/**
 * log://stdout, log://stderr and file://PATH: one event per line of XML, appended.
 * Send-only. Like a stream client it keeps no queue: a slow disk or a blocked pipe makes it
 * not writable(), and events wait in the router's lanes (bounded there).
 */
import { closeSync, createWriteStream, openSync, type WriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { CotEvent } from '../codec/event.js';
import { TransportConfigError } from './errors.js';
import { DEFAULTS, type TransportOptions } from './options.js';
import { oneLineXml } from './stream-codec.js';
import { newCounters, silentLogger, type OutputListener, type Transport, type TransportState, type TransportStatus } from './types.js';
import type { FileSpec, LogSpec } from './url.js';
import { StreamWriter } from './stream-writer.js';

export class LineOutput implements Transport {
  readonly name: string;
  readonly canSend = true;
  readonly canReceive = false;
  private readonly writer: StreamWriter;
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
    this.writer = new StreamWriter((event) => `${oneLineXml(event)}\n`, {
      maxInFlightBytes: options.maxInFlightBytes ?? DEFAULTS.maxInFlightBytes,
      standaloneCapacity: options.maxQueue ?? DEFAULTS.maxQueue,
      logContext: { transport: this.name },
      logger,
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
        this.writer.fail(error);
        closeSync(fd);
      });
      this.stream = file;
    }
    this.state = 'up';
    this.message = `writing to ${this.name}`;
    this.writer.attach(this.stream);
  }

  send(event: CotEvent): boolean {
    this.writer.send(event);
    return true;
  }

  isUp(): boolean {
    return this.state === 'up';
  }

  writable(): boolean {
    return this.state === 'up' && this.writer.writable();
  }

  setListener(listener: OutputListener | undefined): void {
    this.writer.setListener(listener);
  }

  flush(): Promise<void> {
    return this.writer.whenIdle();
  }

  async close(): Promise<void> {
    await this.writer.whenIdle().catch(() => undefined);
    const stream = this.stream;
    this.stream = undefined;
    this.writer.detach();
    this.writer.discardHeld();
    if (stream && this.spec.kind === 'file') await new Promise<void>((resolve) => stream.end(() => resolve()));
    this.state = 'stopped';
    this.message = 'closed';
  }

  status(): TransportStatus {
    const { queued, written, dropped, returned } = this.writer.counters;
    return {
      name: this.name,
      state: this.state,
      message: this.message,
      protocol: 0,
      counters: { ...this.counters, eventsQueued: queued, eventsSent: written, eventsDropped: dropped, eventsReturned: returned },
    };
  }
}
