/**
 * Detects half-open links: when nothing has been received for `pingAfterMs` a TAK ping is
 * sent (and repeated), and after `idleTimeoutMs` of silence the link is declared dead.
 * A server that is up answers pings with pongs, so only a dead or wedged peer stays silent.
 *
 * With `onlyOnceHeard`, read silence counts only after the peer has shown it answers
 * (anything received on this connection, a pong included): a plain consumer that never
 * sends (a script, Node-RED, `nc -l`) is then never declared dead for being quiet, and
 * TCP keepalive and write errors are what notice a dead link to it.
 */
export interface SilenceWatchdogOptions {
  /** Send a ping after this much silence, and again every third of it; 0 = never. */
  pingAfterMs: number;
  /** Declare the link dead after this much silence; 0 = never. */
  idleTimeoutMs: number;
  /** Apply idleTimeoutMs only once something was heard (see above); default false. */
  onlyOnceHeard?: boolean;
  sendPing: () => void;
  onIdle: (silentForMs: number) => void;
  now?: () => number;
}

export class SilenceWatchdog {
  private lastReceived: number;
  private heardAnything = false;
  private lastPing = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(private readonly options: SilenceWatchdogOptions) {
    this.now = options.now ?? Date.now;
    this.lastReceived = this.now();
    const periods = [options.pingAfterMs / 3, options.idleTimeoutMs / 4].filter((p) => p > 0);
    if (periods.length === 0) return;
    const tick = Math.max(20, Math.min(1_000, ...periods));
    this.timer = setInterval(() => this.check(), tick);
    this.timer.unref();
  }

  /** Call on every byte received. */
  heard(): void {
    this.lastReceived = this.now();
    this.heardAnything = true;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private check(): void {
    const now = this.now();
    const silentFor = now - this.lastReceived;
    const { pingAfterMs, idleTimeoutMs } = this.options;
    const idleApplies = idleTimeoutMs > 0 && (this.heardAnything || this.options.onlyOnceHeard !== true);
    if (idleApplies && silentFor >= idleTimeoutMs) {
      this.stop();
      this.options.onIdle(silentFor);
      return;
    }
    if (pingAfterMs > 0 && silentFor >= pingAfterMs && now - this.lastPing >= pingAfterMs / 3) {
      this.lastPing = now;
      this.options.sendPing();
    }
  }
}
