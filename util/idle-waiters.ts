/**
 * The callers of a `whenIdle()`/`flush()` waiting for a queue to empty: resolved together
 * once it has, or rejected together when its owner gives up. Each is told once.
 */
export class IdleWaiters {
  private waiters: { resolve: () => void; reject: (error: Error) => void }[] = [];

  get size(): number {
    return this.waiters.length;
  }

  /** Resolved at once when `idle`, else when resolveAll() runs. */
  wait(idle: boolean): Promise<void> {
    if (idle) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  resolveAll(): void {
    if (this.waiters.length === 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter.resolve();
  }

  rejectAll(error: Error): void {
    if (this.waiters.length === 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter.reject(error);
  }
}
