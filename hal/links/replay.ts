// A capture file as a link: `file:///path/capture.log?pace=baud&baud=4800` plays it at the
// line rate of a serial port (8N1: baud/10 bytes per second), `pace=time` by the UTC times in
// its NMEA sentences (real time), `pace=fast` flat out; `&loop=1` starts again at the end
// (for demos). Writes are refused (kind `canceled`).
import { open } from 'node:fs/promises';
import type { ByteLink, LinkOptions, LinkProvider } from '../contract.js';
import { ChunkQueue } from './chunk-queue.js';
import { HalLinkError } from './errors.js';

const DEFAULT_BAUD = 4800;
const FAST_CHUNK = 64 * 1024;
/** Paced playback sends about this often, in as many bytes as the line rate allows. */
const PACE_TICK_MS = 50;
/** pace=time never waits longer than this between two sentences (a gap in the capture). */
const MAX_TIME_GAP_MS = 10_000;

export type ReplayPace = 'baud' | 'time' | 'fast';

export function replayPace(url: URL): ReplayPace {
  const pace = url.searchParams.get('pace') ?? 'baud';
  if (pace !== 'baud' && pace !== 'time' && pace !== 'fast') {
    throw new HalLinkError('open-failed', `${url.href}: pace must be baud, time or fast`);
  }
  return pace;
}

/** One step of playback: send the bytes up to `end`, then wait `delayMs`. */
export interface ReplayStep {
  end: number;
  delayMs: number;
}

/** The UTC time of day (ms) an NMEA line carries: its first `hhmmss[.ss]` field among the first six. */
function lineTimeOfDay(line: string): number | undefined {
  if (line.charCodeAt(0) !== 0x24 /* $ */) return undefined;
  const fields = line.split(',', 7);
  for (let i = 1; i < fields.length; i++) {
    const match = /^(\d{2})(\d{2})(\d{2}(?:\.\d+)?)$/.exec(fields[i]);
    if (match !== null) return ((Number(match[1]) * 60 + Number(match[2])) * 60 + Number(match[3])) * 1000;
  }
  return undefined;
}

/**
 * The playback schedule for a capture, computed once: fixed-size steps for `fast` and
 * `baud`, and for `time` one step per line that waits for as long as the sentence times
 * advance before the next line (gaps capped, backwards steps and midnight not waited on).
 */
export function replaySchedule(data: Buffer, pace: ReplayPace, bytesPerSecond: number): ReplayStep[] {
  const steps: ReplayStep[] = [];
  if (pace !== 'time') {
    const size = pace === 'fast' ? FAST_CHUNK : Math.max(1, Math.round((bytesPerSecond * PACE_TICK_MS) / 1000));
    for (let end = Math.min(size, data.length); ; end = Math.min(end + size, data.length)) {
      steps.push({ end, delayMs: pace === 'fast' ? 0 : PACE_TICK_MS });
      if (end >= data.length) break;
    }
    return steps;
  }
  let start = 0;
  let lastTime: number | undefined;
  while (start < data.length) {
    const newline = data.indexOf(0x0a, start);
    const end = newline === -1 ? data.length : newline + 1;
    const time = lineTimeOfDay(data.toString('latin1', start, end).trim());
    if (time !== undefined) {
      if (lastTime !== undefined && time > lastTime && steps.length > 0) {
        steps[steps.length - 1].delayMs = Math.min(MAX_TIME_GAP_MS, time - lastTime);
      }
      lastTime = time;
    }
    steps.push({ end, delayMs: 0 });
    start = end;
  }
  return steps;
}

class ReplayLink implements ByteLink {
  readonly description: string;
  private readonly queue = new ChunkQueue();
  private timer: NodeJS.Timeout | undefined;
  private step = 0;
  private offset = 0;
  private closed = false;
  private readonly steps: ReplayStep[];

  constructor(
    private readonly data: Buffer,
    pace: ReplayPace,
    bytesPerSecond: number,
    private readonly loop: boolean,
    path: string,
  ) {
    this.description = `replay ${path} (${pace === 'baud' ? `${bytesPerSecond * 10} baud` : pace})`;
    this.steps = replaySchedule(data, pace, bytesPerSecond);
    this.schedule(0);
  }

  chunks(): AsyncIterable<Buffer> {
    return this.queue;
  }

  async write(): Promise<void> {
    throw new HalLinkError('canceled', `${this.description}: a capture file cannot be written to`);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.queue.end(new HalLinkError('canceled', `${this.description}: closed locally`));
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    this.timer = setTimeout(() => this.tick(), delayMs);
  }

  private tick(): void {
    const step = this.steps[this.step];
    if (step === undefined) {
      this.queue.end();
      return;
    }
    const chunk = this.data.subarray(this.offset, step.end);
    this.offset = step.end;
    this.step++;
    if (chunk.length > 0) this.queue.push(chunk);
    if (this.step >= this.steps.length) {
      if (!this.loop || this.data.length === 0) {
        this.queue.end();
        return;
      }
      this.step = 0;
      this.offset = 0;
    }
    this.schedule(step.delayMs);
  }
}

export class ReplayLinkProvider implements LinkProvider {
  readonly scheme = 'file';

  async open(options: LinkOptions): Promise<ByteLink> {
    const { url } = options;
    const pace = replayPace(url);
    const baud = options.baud ?? Number(url.searchParams.get('baud') ?? DEFAULT_BAUD);
    if (!Number.isFinite(baud) || baud <= 0) throw new HalLinkError('open-failed', `${url.href}: bad baud`);
    const path = decodeURIComponent(url.pathname);
    let data: Buffer;
    try {
      const file = await open(path, 'r');
      try {
        data = await file.readFile();
      } finally {
        await file.close();
      }
    } catch (cause) {
      throw new HalLinkError('open-failed', `${path}: ${(cause as Error).message}`, { cause });
    }
    return new ReplayLink(data, pace, baud / 10, url.searchParams.get('loop') === '1', path);
  }
}
