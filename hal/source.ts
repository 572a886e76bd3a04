/**
 * A running device: link + driver, with reconnect. Opens the link, pushes its bytes through
 * the driver's framer and decoder, and queues the messages for one consumer. When the
 * device goes away (or cannot be opened) it says so in status() and retries with a backoff
 * (util/backoff.ts, no jitter) that doubles from 100 ms up to 1 s, so a device that comes
 * back is in use again within about a second. A finite link (a replay file) ends the source.
 */
import type { ByteLink, Driver, HalLogger, LinkOptions, LinkProvider, Source, SourceStatus } from './contract.js';
import { AsyncQueue } from '../util/async-queue.js';
import { Backoff } from '../util/backoff.js';
import { silentLogger } from '../util/logger.js';
import { isLinkError } from './links/errors.js';
import { resolveLink, type LinkProviders } from './links/index.js';

export interface SourceOptions<F, M> {
  /** Config section id, e.g. `source.gps`; names the source in logs and status.json. */
  id: string;
  /** Link URL: `serial:///dev/ttyUSB0?baud=9600`, `tcp://127.0.0.1:2947`, `file:///x.log?pace=fast`; the driver's defaults fill in what it does not say. */
  url: string;
  /** The driver's wire: link defaults, framer, decoder, and what to send on open. */
  driver: Pick<Driver<F, M>, 'defaults' | 'framer' | 'decoder' | 'onOpen'>;
  providers: LinkProviders;
  logger?: HalLogger;
  /** Retry backoff: first delay and cap, ms. Defaults 100 and 1000. */
  retryInitialMs?: number;
  retryMaxMs?: number;
  /** Messages kept for a slow consumer before the oldest are dropped. Default 1024. */
  queueCapacity?: number;
}

/** Starts the source; throws at once (kind open-failed) for a URL no provider handles. */
export function startSource<F, M>(options: SourceOptions<F, M>): Source<M> {
  return new RunningSource(options);
}

class RunningSource<F, M> implements Source<M> {
  readonly id: string;
  private readonly queue: AsyncQueue<M>;
  private readonly framer;
  private readonly decoder;
  private readonly logger: HalLogger;
  private readonly state: SourceStatus;
  private link: ByteLink | undefined;
  /** What earlier links (before a reconnect) dropped. */
  private closedLinksDropped = 0;
  private stopped = false;
  private cancelSleep: (() => void) | undefined;
  private readonly done: Promise<void>;
  private readonly provider: LinkProvider;
  private readonly linkOptions: LinkOptions;

  constructor(private readonly options: SourceOptions<F, M>) {
    this.id = options.id;
    ({ provider: this.provider, options: this.linkOptions } = resolveLink(options.url, options.providers, options.driver.defaults));
    this.queue = new AsyncQueue<M>(options.queueCapacity ?? 1024);
    this.framer = options.driver.framer();
    this.decoder = options.driver.decoder();
    this.logger = (options.logger ?? silentLogger).child({ source: options.id });
    this.state = {
      id: options.id,
      state: 'starting',
      detail: `opening ${this.linkOptions.url.href}`,
      connects: 0,
      disconnects: 0,
      messages: 0,
      messagesDropped: 0,
      linkDropped: 0,
      framer: this.framer.counters,
      decoder: this.decoder.counters,
    };
    this.done = this.run().catch((error: unknown) => {
      this.setState('stopped', `failed: ${String(error)}`);
      this.queue.end();
    });
  }

  messages(): AsyncIterable<M> {
    return this.queue;
  }

  status(): SourceStatus {
    return {
      ...this.state,
      messagesDropped: this.queue.dropped,
      linkDropped: this.closedLinksDropped + (this.link?.dropped ?? 0),
      framer: { ...this.framer.counters },
      decoder: { ...this.decoder.counters },
    };
  }

  async write(bytes: Buffer): Promise<void> {
    if (this.link === undefined) throw new Error(`${this.id}: not connected (${this.state.detail})`);
    await this.link.write(bytes);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelSleep?.();
    await this.link?.close();
    await this.done;
    this.setState('stopped', 'stopped');
    this.queue.end();
  }

  private emit = (message: M): void => {
    this.state.messages++;
    this.queue.push(message);
  };

  private async run(): Promise<void> {
    const { provider, linkOptions } = this;
    const backoff = new Backoff({ initialMs: this.options.retryInitialMs ?? 100, maxMs: this.options.retryMaxMs ?? 1000, factor: 2, jitter: 0 });
    while (!this.stopped) {
      let link: ByteLink;
      try {
        link = await provider.open(linkOptions);
      } catch (error) {
        this.state.lastError = errorText(error);
        await this.retryAfter(backoff.next(), `cannot open: ${this.state.lastError}`);
        continue;
      }
      if (this.stopped) {
        await link.close();
        break;
      }
      this.link = link;
      this.state.connects++;
      backoff.reset();
      this.setState('connected', `running on ${link.description}`);
      this.logger.info({ link: link.description }, 'device open');
      const ended = await this.pump(link);
      this.link = undefined;
      this.closedLinksDropped += link.dropped ?? 0;
      if (ended) {
        this.setState('ended', `end of ${link.description}`);
        this.queue.end();
        return;
      }
      if (this.stopped) break;
      this.state.disconnects++;
      // The first retry after losing an open device waits the first delay; failures to reopen then double it.
      await this.retryAfter(backoff.peek(), `device gone (${this.state.lastError})`);
    }
  }

  /** Reads until the link ends (true: finite input finished) or fails (false). */
  private async pump(link: ByteLink): Promise<boolean> {
    const hello = this.options.driver.onOpen?.();
    if (hello !== undefined) await link.write(hello).catch(() => undefined);
    const { framer, decoder, emit } = this;
    try {
      for await (const chunk of link.chunks()) framer.push(chunk, (frame) => decoder.decode(frame, emit));
      decoder.flush(emit);
      return true;
    } catch (error) {
      this.state.lastError = errorText(error);
      if (!this.stopped) this.logger.warn({ error: this.state.lastError, kind: isLinkError(error) ? error.kind : 'unknown' }, 'device lost');
      await link.close().catch(() => undefined);
      framer.reset();
      decoder.flush(emit);
      decoder.reset?.();
      return false;
    }
  }

  private retryAfter(delayMs: number, why: string): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.setState('retrying', `${why}; retrying in ${(delayMs / 1000).toFixed(1)} s`);
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, delayMs);
      this.cancelSleep = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private setState(state: SourceStatus['state'], detail: string): void {
    this.state.state = state;
    this.state.detail = detail;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
