/** Counts dropped events and logs them at most once per interval, never one line per drop. */
import type { Logger } from './logger.js';

export class DropLog {
  total = 0;
  private sinceLog = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly context: object,
    private readonly intervalMs = 10_000,
  ) {}

  note(count: number, why: string): void {
    this.total += count;
    this.sinceLog += count;
    if (this.timer) return;
    this.logger.warn({ ...this.context, dropped: this.sinceLog, why }, 'dropping events');
    this.sinceLog = 0;
    this.schedule(why);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(why: string): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.sinceLog === 0) return;
      this.logger.warn({ ...this.context, dropped: this.sinceLog, intervalMs: this.intervalMs, why }, 'dropped events');
      this.sinceLog = 0;
      this.schedule(why);
    }, this.intervalMs);
    this.timer.unref();
  }
}
