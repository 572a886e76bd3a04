/**
 * marti://HOST:8443 (HTTPS) and marti+http://HOST:8080 — TAK Server's REST API as a
 * transport (tak-server-api.md §5), as PyTAK does it:
 *
 *   send:    POST /Marti/api/injectors/cot/uid  {"uid": MARTI_COT_UID, "toInject": "<event…/>"}
 *   receive: GET /Marti/api/cot/sa?start=…&end=…  every MARTI_POLL_INTERVAL (5 s); the first
 *            window reaches MARTI_POLL_SECONDS_AGO (30 s) back, each later one starts one
 *            interval before the previous end, so nothing falls between two windows.
 *
 * Events that overlapping windows return twice are delivered once (uid, type and time).
 * One keep-alive connection carries the requests, one at a time per direction. TLS is that of
 * tls:// (client certificate, verification on, opt-outs warned at the first request after
 * every (re)start). A certificate error, and 401/403, are fatal (state 'failed', explained):
 * retrying cannot fix them. Other errors (refused, timeouts, 5xx) are retried with backoff;
 * a body that is too large or does not decode is counted and polling goes on.
 */
import { IdleWaiters } from '../../../util/idle-waiters.js';
import { QueuedOutput } from '../backlog-flow.js';
import type { Agent } from 'node:http';
import type { ConnectionOptions } from 'node:tls';
import { CotStreamDecoder } from '../../codec/stream.js';
import type { CotEvent } from '../../codec/event.js';
import { encodeXmlString } from '../../codec/xml/encode.js';
import { sourceXmlOf } from '../../codec/xml/source-text.js';
import { ReconnectPolicy, retryingMessage, type RetryRules } from '../reconnect-policy.js';
import { silentLogger, type Logger } from '../../../util/logger.js';
import { RingFifo } from '../../../util/ring-fifo.js';
import { deliver } from '../deliver.js';
import { classifyError, type ClassifiedError } from '../errors.js';
import { DEFAULTS, type TransportOptions } from '../options.js';
import { loadTlsClientOptions, weakenedVerificationWarnings } from '../tls-options.js';
import { newCounters, type Transport, type TransportStatus } from '../types.js';
import { formatAddress, type MartiSpec } from '../url.js';
import { BodyTooLargeError, nodeHttp, nodeHttps, request, type HttpAnswer } from './http.js';

export const INJECT_PATH = '/Marti/api/injectors/cot/uid';
export const SA_PATH = '/Marti/api/cot/sa';
/** A poll answer larger than this is abandoned (counted); the next window goes on. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    statusText: string,
  ) {
    super(`HTTP ${status} ${statusText}`.trim());
  }
}

/** HTTP status and certificate problems are not fixed by asking again: only network trouble is retried. */
const MARTI_RETRIES: RetryRules = {
  fatal: (problem) => problem.kind !== 'network',
  givingUp: (problem) => (problem.kind === 'network' ? 'giving up' : 'giving up: retrying cannot fix this; change the configuration and restart'),
  failedLine: () => 'request failed',
};

export class MartiClient extends QueuedOutput implements Transport {
  readonly name: string;
  readonly canSend: boolean;
  readonly canReceive: boolean;
  private readonly logger: Logger;
  private readonly retries: ReconnectPolicy;
  private readonly counters = newCounters();
  private readonly queue: RingFifo<CotEvent>;
  private readonly base: string;
  private readonly pollIntervalMs: number;
  private readonly pollSecondsAgoMs: number;
  private agent: Agent | undefined;
  private tlsOptions: ConnectionOptions | undefined;
  private sending = false;
  private polling = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  /** End of the last window answered; the next window starts one interval before it. */
  private lastWindowEnd: number | undefined;
  /** Dedup keys of delivered events → when they were first seen. */
  private readonly seen = new Map<string, number>();
  private warnedThisStart = false;
  private readonly idle = new IdleWaiters();
  private lowWater: { depth: number; listener: () => void } | undefined;
  private stopped = true;

  constructor(
    private readonly spec: MartiSpec,
    private readonly options: TransportOptions = {},
  ) {
    super();
    this.base = `${spec.secure ? 'marti' : 'marti+http'}://${formatAddress(spec.host, spec.port)}`;
    this.name = options.name ?? this.base;
    this.canSend = spec.direction !== 'receive';
    this.canReceive = spec.direction !== 'send';
    this.logger = options.logger ?? silentLogger;
    this.retries = new ReconnectPolicy(this.name, this.logger, options.backoff, options.maxAttempts, MARTI_RETRIES);
    this.queue = new RingFifo<CotEvent>(Math.max(1, options.maxQueue ?? DEFAULTS.maxQueue));
    this.pollIntervalMs = options.marti?.pollIntervalMs ?? DEFAULTS.martiPollIntervalMs;
    this.pollSecondsAgoMs = options.marti?.pollSecondsAgoMs ?? DEFAULTS.martiPollSecondsAgoMs;
  }

  /** Throws TransportConfigError when TLS material cannot be loaded. */
  start(): void {
    if (!this.stopped) return;
    if (this.spec.secure) this.tlsOptions = loadTlsClientOptions(this.options.tls ?? {}, this.spec.host);
    const agentOptions = { keepAlive: true, maxSockets: 2, timeout: this.timeoutMs() * 3 };
    this.agent = this.spec.secure ? new (nodeHttps().Agent)({ ...agentOptions, ...this.tlsOptions }) : new (nodeHttp().Agent)(agentOptions);
    this.stopped = false;
    this.warnedThisStart = false;
    // Send-only: HTTP has no connection to wait for; the first injection tells.
    if (this.canReceive) this.setState('starting', `first request to ${this.base}`);
    else this.setState('connected', `ready to inject into ${this.base} (nothing sent yet)`);
    this.resume();
  }

  send(event: CotEvent): boolean {
    if (!this.canSend) return false;
    this.counters.eventsQueued += 1;
    if (this.queue.pushDroppingOldest(event)) this.counters.eventsDropped += 1;
    this.pumpSend();
    return true;
  }

  backlog(): number {
    return this.queue.length;
  }

  whenBacklogBelow(depth: number, listener: () => void): void {
    this.lowWater = { depth, listener };
  }

  protected whenIdle(): Promise<void> {
    return this.idle.wait(this.queue.length === 0 && !this.sending);
  }

  async close(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.pollTimer = this.retryTimer = undefined;
    this.agent?.destroy();
    this.agent = undefined;
    this.queue.clear();
    this.settleIdle();
    if (this.state !== 'failed') this.setState('stopped', 'closed');
  }

  status(): TransportStatus {
    return { name: this.name, state: this.state, message: this.message, protocol: 0, counters: { ...this.counters, duplicatesDropped: this.duplicates } };
  }

  private duplicates = 0;

  private timeoutMs(): number {
    return this.options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs;
  }

  private blocked(): boolean {
    return this.stopped || this.state === 'failed' || this.state === 'retrying';
  }

  /** After start or a backoff: poll now, send what waits. */
  private resume(): void {
    this.retryTimer = undefined;
    if (this.stopped || this.state === 'failed') return;
    if (this.state === 'retrying') this.setState('starting', `retrying ${this.base}`);
    if (this.canReceive) void this.poll();
    this.pumpSend();
  }

  private async http(method: 'GET' | 'POST', path: string, body?: string): Promise<HttpAnswer> {
    const agent = this.agent;
    if (!agent) throw new Error('closed');
    if (this.spec.secure && !this.warnedThisStart) {
      this.warnedThisStart = true;
      for (const warning of weakenedVerificationWarnings(this.options.tls ?? {})) this.logger.warn({ transport: this.name }, warning);
    }
    const headers: Record<string, string> = body === undefined ? { accept: 'application/xml, text/xml, */*' } : { 'content-type': 'application/json' };
    const answer = await request({ secure: this.spec.secure, agent, host: this.spec.host, port: this.spec.port, method, path, headers, body, timeoutMs: this.timeoutMs(), maxBodyBytes: MAX_BODY_BYTES });
    if (answer.status >= 200 && answer.status < 300) return answer;
    throw new HttpStatusError(answer.status, answer.statusText);
  }

  private succeeded(): void {
    this.retries.succeeded();
    if (this.state !== 'connected') {
      this.counters.connects += 1;
      this.retries.connected();
      this.setState('connected', `talking to ${this.base} (REST)`);
      this.logger.info({ transport: this.name }, 'connected');
    }
  }

  private pumpSend(): void {
    if (this.sending || this.blocked() || !this.agent) return;
    const event = this.queue.peek();
    if (event === undefined) {
      this.settleIdle();
      return;
    }
    this.sending = true;
    const xml = injectableXml(event);
    const body = JSON.stringify({ uid: this.options.marti?.cotUid ?? this.options.ownUid ?? DEFAULTS.ownUid, toInject: xml });
    this.http('POST', INJECT_PATH, body).then(
      () => {
        this.sending = false;
        if (this.queue.peek() === event) this.queue.shift();
        this.counters.eventsSent += 1;
        this.succeeded();
        this.checkLowWater();
        this.pumpSend();
      },
      (error: unknown) => {
        this.sending = false;
        if (error instanceof HttpStatusError && error.status >= 400 && error.status < 500 && error.status !== 401 && error.status !== 403 && error.status !== 408 && error.status !== 429) {
          // The server will never take this one event: drop it, not the link.
          if (this.queue.peek() === event) this.queue.shift();
          this.counters.eventsDropped += 1;
          this.logger.warn({ transport: this.name, uid: event.uid, cause: error.message }, 'the server refused an injected event; dropped');
          this.checkLowWater();
          this.pumpSend();
          return;
        }
        this.failed(error);
      },
    );
  }

  private async poll(): Promise<void> {
    if (this.polling || this.blocked()) return;
    this.polling = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    const end = Date.now();
    const start = this.lastWindowEnd === undefined ? end - this.pollSecondsAgoMs : Math.min(end, this.lastWindowEnd - this.pollIntervalMs);
    const path = `${SA_PATH}?start=${encodeURIComponent(new Date(start).toISOString())}&end=${encodeURIComponent(new Date(end).toISOString())}`;
    try {
      const answer = await this.http('GET', path);
      this.succeeded();
      this.lastWindowEnd = end;
      this.receive(answer.body);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        // The server answered: the link is fine, the answer is not.
        this.succeeded();
        this.counters.decodeErrors += 1;
        this.lastWindowEnd = end;
        this.logger.warn({ transport: this.name, cause: error.message }, 'poll answer too large; window skipped');
      } else {
        this.polling = false;
        this.failed(error);
        return;
      }
    }
    this.polling = false;
    this.forget(end);
    if (!this.blocked()) this.pollTimer = setTimeout(() => void this.poll(), this.pollIntervalMs);
  }

  private receive(body: Buffer): void {
    if (body.length === 0) return;
    const decoder = new CotStreamDecoder({
      maxEventBytes: this.options.maxEventBytes ?? DEFAULTS.maxEventBytes,
      onEvent: (event) => this.onEvent(event),
      onError: (error) => {
        this.counters.decodeErrors += 1;
        this.logger.debug({ transport: this.name, reason: error.reason, err: error.message }, 'undecodable event in a poll answer');
      },
    });
    decoder.push(body);
  }

  private onEvent(event: CotEvent): void {
    const key = `${event.uid}\u0000${event.type}\u0000${event.time}`;
    if (this.seen.has(key)) {
      this.duplicates += 1;
      return;
    }
    this.seen.set(key, Date.now());
    this.counters.eventsReceived += 1;
    deliver(this.options.onEvent, event, { transport: this.name, peer: formatAddress(this.spec.host, this.spec.port), version: 0 }, this.logger);
  }

  /** Keys older than any window that can still overlap them. */
  private forget(now: number): void {
    const horizon = now - (Math.max(this.pollSecondsAgoMs, this.pollIntervalMs) + 3 * this.pollIntervalMs);
    for (const [key, at] of this.seen) {
      if (at >= horizon) break;
      this.seen.delete(key);
    }
  }

  private failed(error: unknown): void {
    if (this.stopped || this.state === 'failed' || this.state === 'retrying') return;
    const problem = this.classify(error);
    if (this.state === 'connected') this.retries.disconnected(this.counters);
    const delay = this.retries.afterFailure(problem, true);
    if (delay === undefined) {
      this.setState('failed', problem.cause);
      this.failWaiters();
      return;
    }
    this.setState('retrying', retryingMessage(delay, problem.cause));
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    this.retryTimer = setTimeout(() => this.resume(), delay);
  }

  private classify(error: unknown): ClassifiedError {
    if (error instanceof HttpStatusError) {
      if (error.status === 401 || error.status === 403) {
        const why = this.spec.secure
          ? 'the server refused our client certificate (is it enrolled, and from the CA the server trusts?); no file was changed'
          : 'the server requires authentication; TAK Server takes a client certificate on marti://host:8443';
        return { kind: 'certificate', cause: `${error.message}: ${why}` };
      }
      return { kind: 'network', cause: `${error.message} from the server` };
    }
    const classified = classifyError(error);
    if (classified.kind === 'certificate') return { kind: 'certificate', cause: `${classified.cause} (certificate errors are fatal for marti://)` };
    return classified;
  }

  private failWaiters(): void {
    this.queue.clear();
    this.idle.rejectAll(new Error(this.message));
  }

  private settleIdle(): void {
    if (this.queue.length === 0 && !this.sending) this.idle.resolveAll();
  }

  private checkLowWater(): void {
    const lowWater = this.lowWater;
    if (lowWater === undefined || this.queue.length >= lowWater.depth) return;
    this.lowWater = undefined;
    lowWater.listener();
  }
}

/** The event as XML without a declaration, as the injector's `toInject` takes it. */
export function injectableXml(event: CotEvent): string {
  const xml = sourceXmlOf(event) ?? encodeXmlString(event, { declaration: false });
  return xml.replace(/^\s*<\?xml[^>]*\?>\s*/, '');
}
