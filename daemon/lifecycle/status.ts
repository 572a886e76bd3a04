/**
 * status.json: what an operator (or a monitoring script) needs at a glance — version,
 * uptime, GPS fix state and age, every source and output with its state and last error,
 * queue depths and event counters. Written atomically (temp file + rename) once a second
 * into $RUNTIME_DIRECTORY (systemd's RuntimeDirectory=takd), else /run/takd; a large file
 * (a hub with hundreds of clients lists each) less often, see nextWriteMs.
 */
import type { HubStatus } from '../hub/hub.js';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log.js';
import type { RouterStatus } from '../routing/router.js';
import type { GpsState } from '../pli/own-position.js';
import type { ComponentStatus } from './component.js';
import type { ProcessGauges } from './process-gauges.js';
import { makeDirSync } from '../../util/make-dir.js';

export type { GpsState };

export interface StatusSnapshot {
  version: string;
  pid: number;
  startedAt: string;
  uptimeSeconds: number;
  /** true once every component was started (READY=1 sent). */
  ready: boolean;
  configFile: string | null;
  gps: GpsState;
  components: ComponentStatus[];
  counters: { eventsIn: number; eventsOut: number; dropped: Record<string, number> };
  /**
   * The router: its counters, and per output whether it is up, events waiting (`pending`,
   * of which `stored` in the durable queue) and counters by reason (sent, coalesced,
   * stale, rateLimited, tooBig, stored, evicted, …); for an output with a durable queue,
   * `store` says what the queue recovered and cut (`tornBytes`, `tornSegments`) at open.
   */
  router: RouterStatus;
  /** The hub (daemon/hub): its clients, counters, SA replay store and mailbox. */
  hub?: HubStatus;
  /** The takd process: memory, handles, CPU, event-loop delay (process-gauges.ts). */
  process?: ProcessGauges;
  /** The HTTP endpoint's door ([status] http): connections now, refusals by reason. */
  http?: Record<string, number>;
}

export function defaultStatusDir(env: NodeJS.ProcessEnv = process.env): string {
  // RUNTIME_DIRECTORY may list several directories separated by ':'; ours is the first.
  const runtime = env.RUNTIME_DIRECTORY?.split(':')[0];
  return runtime !== undefined && runtime !== '' ? runtime : '/run/takd';
}

/** Healthy: started, nothing failed, and at least one output connected (when there are outputs). */
export function isHealthy(snapshot: StatusSnapshot): boolean {
  if (!snapshot.ready) return false;
  if (snapshot.components.some((c) => c.state === 'failed')) return false;
  const outputs = snapshot.components.filter((c) => c.kind === 'output');
  return outputs.length === 0 || outputs.some((c) => c.state === 'connected');
}

/**
 * When the next write is due: a second after a small file; a file of hundreds of KiB (500
 * hub clients: ~500 KiB) at most every 10 s: rebuilding that every second was most of
 * what an idle box allocated.
 */
export function nextWriteMs(bytes: number, baseMs: number): number {
  return Math.min(10_000, Math.max(baseMs, Math.ceil(bytes / SMALL_FILE_BYTES) * 1000));
}

const SMALL_FILE_BYTES = 32 * 1024;

export class StatusFile {
  readonly path: string;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private disabled = false;

  constructor(private readonly dir: string, private readonly snapshot: () => StatusSnapshot, private readonly logger: Logger, private readonly intervalMs = 1000) {
    this.path = join(dir, 'status.json');
  }

  start(): void {
    try {
      makeDirSync(this.dir);
    } catch (error) {
      this.disable(error);
      return;
    }
    this.stopped = false;
    this.writeAndSchedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private writeAndSchedule(): void {
    if (this.stopped) return;
    const bytes = this.writeNow();
    if (this.disabled || this.stopped) return;
    this.timer = setTimeout(() => this.writeAndSchedule(), nextWriteMs(bytes, Math.max(1000, this.intervalMs)));
    this.timer.unref();
  }

  /** Writes the file now; its length in characters (0 when it could not be written). */
  writeNow(): number {
    if (this.disabled) return 0;
    const temporary = join(this.dir, `.status.json.${process.pid}.tmp`);
    try {
      const text = `${JSON.stringify(this.snapshot(), null, 2)}\n`;
      writeFileSync(temporary, text, { mode: 0o644 });
      renameSync(temporary, this.path);
      return text.length;
    } catch (error) {
      this.disable(error);
      return 0;
    }
  }

  private disable(error: unknown): void {
    this.disabled = true;
    this.stop();
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    this.logger.warn({ dir: this.dir, code }, 'cannot write status.json; set [status] dir or RUNTIME_DIRECTORY');
  }
}
