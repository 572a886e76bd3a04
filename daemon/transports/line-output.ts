/**
 * log://stdout, log://stderr and file://PATH: one event per line of XML, appended.
 * Send-only. Like a stream client it keeps no queue: a slow disk or a blocked pipe makes it
 * not writable(), and events wait in the router's lanes (bounded there).
 */
import { closeSync, createWriteStream, openSync, type WriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { TransportConfigError } from './errors.js';
import { DEFAULTS, type TransportOptions } from './options.js';
import { oneLineXml } from './stream-codec.js';
import { silentLogger } from '../../util/logger.js';
import type { Transport } from './types.js';
import type { FileSpec, LogSpec } from './url.js';
import { StreamWriter } from './stream-writer.js';
import { WriterOutput } from './writer-output.js';

export class LineOutput extends WriterOutput implements Transport {
  readonly canSend = true;
  readonly canReceive = false;
  private stream: Writable | undefined;

  constructor(
    private readonly spec: LogSpec | FileSpec,
    options: TransportOptions = {},
  ) {
    const name = options.name ?? (spec.kind === 'log' ? `log://${spec.stream}` : `file://${spec.path}`);
    super(
      name,
      new StreamWriter((event) => `${oneLineXml(event)}\n`, {
        maxInFlightBytes: options.maxInFlightBytes ?? DEFAULTS.maxInFlightBytes,
        standaloneCapacity: options.maxQueue ?? DEFAULTS.maxQueue,
        logContext: { transport: name },
        logger: options.logger ?? silentLogger,
      }),
    );
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
    this.state = 'connected';
    this.message = `writing to ${this.name}`;
    this.writer.attach(this.stream);
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
}
