/** Says yes once per key per interval: for log lines a misbehaving peer could repeat endlessly. */
export class OncePerInterval {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  shouldLog(key: string): boolean {
    const now = this.now();
    const previous = this.last.get(key);
    if (previous !== undefined && now - previous < this.intervalMs) return false;
    // Bounded: a flood of distinct keys cannot grow the map without limit.
    if (this.last.size >= 100) this.last.clear();
    this.last.set(key, now);
    return true;
  }
}
