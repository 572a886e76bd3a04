/**
 * systemd's notification protocol for a Type=notify unit: READY=1 once sources and outputs
 * are started, STATUS=<one line>, WATCHDOG=1 at half of WATCHDOG_USEC while the event loop
 * keeps time, RELOADING=1 … READY=1 around SIGHUP, STOPPING=1.
 *
 * Sent by the native addon from this very process (NotifyAccess=main works). If the addon
 * cannot load, the `systemd-notify` command is used instead — it sends from its own PID, so
 * that needs NotifyAccess=all — and the log says so once. Without NOTIFY_SOCKET (not under
 * systemd) every call does nothing.
 */
import { execFile } from 'node:child_process';
import { loadNativeAddon, type NativeAddon } from '../../native/index.js';
import type { Logger } from '../log.js';

export interface NotifierOptions {
  env?: NodeJS.ProcessEnv;
  logger: Logger;
  /** For tests: use this instead of loading the addon (undefined: force the fallback). */
  addon?: NativeAddon | null;
  /** Extra health check before each WATCHDOG=1 (besides the event loop keeping time). */
  healthy?: () => boolean;
}

export class SystemdNotifier {
  private readonly socket: string | undefined;
  private readonly addon: NativeAddon | undefined;
  private readonly logger: Logger;
  private watchdogTimer: NodeJS.Timeout | undefined;
  private warnedSendFailure = false;
  readonly mode: 'off' | 'addon' | 'command';

  constructor(private readonly options: NotifierOptions) {
    const env = options.env ?? process.env;
    this.logger = options.logger;
    this.socket = env.NOTIFY_SOCKET === undefined || env.NOTIFY_SOCKET === '' ? undefined : env.NOTIFY_SOCKET;
    if (this.socket === undefined) {
      this.mode = 'off';
      return;
    }
    let reason: string | undefined = 'disabled';
    if (options.addon !== undefined) {
      this.addon = options.addon ?? undefined;
    } else {
      const loaded = loadNativeAddon();
      this.addon = loaded.addon;
      reason = loaded.error;
    }
    if (this.addon === undefined) this.logger.warn({ reason }, 'native sd_notify addon not available; using the systemd-notify command (the unit needs NotifyAccess=all)');
    this.mode = this.addon !== undefined ? 'addon' : 'command';
  }

  ready(status: string): void {
    this.send(`READY=1\nSTATUS=${oneLine(status)}`);
  }

  status(status: string): void {
    this.send(`STATUS=${oneLine(status)}`);
  }

  reloading(): void {
    // MONOTONIC_USEC lets systemd (Type=notify-reload) match this to its own reload request.
    this.send(`RELOADING=1\nMONOTONIC_USEC=${process.hrtime.bigint() / 1000n}`);
  }

  stopping(): void {
    this.stopWatchdog();
    this.send('STOPPING=1');
  }

  /** Starts WATCHDOG=1 pings if systemd asked for them (WATCHDOG_USEC, for our PID). */
  startWatchdog(): void {
    const env = this.options.env ?? process.env;
    const usec = Number(env.WATCHDOG_USEC);
    if (this.socket === undefined || !Number.isFinite(usec) || usec <= 0) return;
    if (env.WATCHDOG_PID !== undefined && env.WATCHDOG_PID !== '' && Number(env.WATCHDOG_PID) !== process.pid) return;
    const periodMs = Math.max(1, Math.floor(usec / 2000));
    let expected = performance.now() + periodMs;
    const loopKeptTime = (): boolean => {
      const now = performance.now();
      const late = now - expected;
      expected = now + periodMs;
      // A timer that fires half a period late means the loop was stuck: let systemd notice.
      return late < periodMs / 2;
    };
    this.watchdogTimer = setInterval(() => {
      if (loopKeptTime() && (this.options.healthy?.() ?? true)) this.send('WATCHDOG=1');
    }, periodMs);
    this.watchdogTimer.unref();
    this.send('WATCHDOG=1');
  }

  stopWatchdog(): void {
    if (this.watchdogTimer !== undefined) clearInterval(this.watchdogTimer);
    this.watchdogTimer = undefined;
  }

  private send(message: string): void {
    if (this.socket === undefined) return;
    if (this.addon !== undefined) {
      const result = this.addon.notify(this.socket, message);
      if (result !== 0 && !this.warnedSendFailure) {
        this.warnedSendFailure = true;
        this.logger.warn({ errno: -result, socket: this.socket }, 'sd_notify failed');
      }
      return;
    }
    const args = message.split('\n');
    execFile('systemd-notify', args, { env: { ...process.env, NOTIFY_SOCKET: this.socket } }, (error) => {
      if (error && !this.warnedSendFailure) {
        this.warnedSendFailure = true;
        this.logger.warn({ error: error.message }, 'systemd-notify failed');
      }
    });
  }
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').slice(0, 200);
}
