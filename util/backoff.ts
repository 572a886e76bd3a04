/**
 * Jittered exponential backoff for reconnects: the one used by network transports, the
 * supervisor and HAL sources. Defaults are PyTAK's (5 s, ×2, cap 120 s, ±20 %), plus a
 * reset once a connection has stayed up long enough to count as healthy, so one flap after
 * a day of uptime does not wait two minutes. A device source uses it without jitter
 * (100 ms doubling to 1 s) and resets on every open.
 */
export interface BackoffOptions {
  initialMs?: number;
  factor?: number;
  maxMs?: number;
  /** Fraction of the delay added or removed at random: 0.2 → ±20 %. */
  jitter?: number;
  /** A connection up at least this long resets the delay to initialMs. */
  resetAfterMs?: number;
  /** For tests: a source of numbers in [0, 1). */
  random?: () => number;
  /** For tests: the clock. */
  now?: () => number;
}

export class Backoff {
  private readonly initialMs: number;
  private readonly factor: number;
  private readonly maxMs: number;
  private readonly jitter: number;
  private readonly resetAfterMs: number;
  private readonly random: () => number;
  private readonly now: () => number;
  private attempt = 0;
  private upSince: number | undefined;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 5_000;
    this.factor = options.factor ?? 2;
    this.maxMs = options.maxMs ?? 120_000;
    this.jitter = options.jitter ?? 0.2;
    this.resetAfterMs = options.resetAfterMs ?? 300_000;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  /** Failed attempts since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** The delay before the next attempt; each call counts one more failure. */
  next(): number {
    const delay = this.peek();
    this.attempt += 1;
    return delay;
  }

  /** The delay next() would give now, without counting a failure (a lost link is not a failed attempt). */
  peek(): number {
    const base = Math.min(this.maxMs, this.initialMs * this.factor ** Math.min(this.attempt, 64));
    const spread = 1 + this.jitter * (2 * this.random() - 1);
    return Math.max(0, Math.round(base * spread));
  }

  /** The longest delay (with jitter): for failures that retrying soon cannot fix. */
  slowest(): number {
    this.attempt += 1;
    return Math.round(this.maxMs * (1 + this.jitter * (2 * this.random() - 1)));
  }

  connected(): void {
    this.upSince = this.now();
  }

  disconnected(): void {
    if (this.upSince !== undefined && this.now() - this.upSince >= this.resetAfterMs) this.attempt = 0;
    this.upSince = undefined;
  }

  reset(): void {
    this.attempt = 0;
    this.upSince = undefined;
  }
}
