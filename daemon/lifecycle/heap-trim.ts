/**
 * Gives back the heap a storm grew. When 500 phones join at once, V8 grows its heap to hold
 * the quarter-million deliveries in flight (RSS +70 MiB); once they are written, that space
 * is free but stays resident: node 24's memory reducer, which should shrink it, waits for
 * the allocation rate to fall, and even an idle takd (sweeps, timers, status) never counts
 * as idle to it. So takd looks itself: when the heap has grown 24 MiB over its size after
 * the last collection (at first: when it is 24 MiB) and the event loop was quiet at two
 * looks in a row (the storm is over, not just starting), one full collection gives it
 * back (measured: RSS 147 → 76 MiB after 500 phones joined). It pauses the loop: 84 ms
 * for a 38 MiB heap on the benchmark machine; only after such growth.
 *
 * Why resident: node 24's V8 keeps the pages a collection frees in a pool (a 70 MiB heap
 * collected to 10 MiB left 63 MiB resident, still 30 s later); only a memory-reducing
 * collection releases them. So RSS follows the heap's high-water mark since the last trim.
 *
 * A heap that grows back soon after a trim is a working set, not a storm (the soak's
 * flapping output replays its queue every 2 minutes): trimming it again made RSS a saw.
 * Its size is kept instead, until it has gone unused for 10 minutes.
 *
 * But the pool ratchets: every burst that reaches a new peak leaves its pages resident, so
 * a kept working set's RSS crept up a few MiB at a time (the soak: +5 MiB at one replay, kept
 * to the end; RSS slope 3–4 MiB/10 min). So takd also watches its anonymous resident memory
 * (RssAnon): when a quiet look finds it 4 MiB above its lowest of the last 5 minutes, twice
 * in a row, the pages a burst left behind are given back the same way (at most once a
 * minute). A trim that gives back less than half of that excess was not a pool but a
 * larger working set: the rule rests for 5 minutes, until the lowest has caught up.
 */
import { readFileSync } from 'node:fs';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadNativeAddon } from '../../native/index.js';

/** Heap grown by this much over its size after the last collection is worth giving back. */
const GROWTH_BYTES = 24 * 1024 * 1024;
/** A look is quiet when the event loop was busy at most this share of the time since the last. */
const QUIET_UTILIZATION = 0.3;
/**
 * malloc's free pages are given back every this many quiet looks (10 s): glibc keeps what a
 * burst freed below live chunks resident, and each burst could raise that a little more.
 * A trim that finds nothing costs ~0.35 ms.
 */
const MALLOC_TRIM_LOOKS = 5;
/** A heap that grows back within this long of a trim keeps that size; kept, unused this long, it is given back. */
const KEEP_MS = 10 * 60_000;
/** Anonymous resident memory this far above its lowest of the last RESIDENT_WINDOW_MS is pages a burst left. */
const RESIDENT_STEP_BYTES = 4 * 1024 * 1024;
const RESIDENT_WINDOW_MS = 5 * 60_000;
/** At most one trim for left pages this often. */
const RESIDENT_TRIM_EVERY_MS = 60_000;

type Collect = () => void;

/** V8's gc(), without running node with --expose-gc for everything else. */
function loadCollector(): Collect | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    if (typeof gc !== 'function') return undefined;
    // 'last-resort': the collection that also shrinks the heap and returns its free pages
    // to the system now (a plain full collection left RSS up until V8's memory reducer
    // followed it 8 s later). Older V8 ignores the flavour and collects in full.
    return () => (gc as (options: object) => void)({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  } catch {
    return undefined;
  }
}

/**
 * glibc's malloc_trim(0) through the native addon: the free pages a burst's Buffers and
 * socket writes left inside malloc's heap go back too. Nothing without the addon.
 */
function loadMallocTrim(): () => void {
  const trim = loadNativeAddon().addon?.trimMalloc;
  return trim === undefined ? () => undefined : () => void trim();
}

export interface HeapLook {
  /** V8's heap size (total_heap_size). */
  totalBytes: number;
  /** What of it live objects and garbage not yet collected use (used_heap_size). */
  usedBytes: number;
  /** Share of the time since the last look the event loop was busy (0–1). */
  busy: number;
  /** Milliseconds, any origin (performance.now()). */
  at: number;
  /** Anonymous resident memory (RssAnon: the heap, its pool, malloc); undefined where /proc has none. */
  residentBytes?: number;
}

/** RssAnon from /proc/self/status (the binary's own pages, which RSS also counts, left out). */
function anonymousResident(): number | undefined {
  try {
    const kib = /^RssAnon:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'latin1'))?.[1];
    return kib === undefined ? undefined : Number(kib) * 1024;
  } catch {
    return undefined;
  }
}

function lookAtProcess(): () => HeapLook {
  let last: EventLoopUtilization | undefined;
  return () => {
    const now = performance.eventLoopUtilization();
    const busy = last === undefined ? 1 : performance.eventLoopUtilization(now, last).utilization;
    last = now;
    const heap = getHeapStatistics();
    const residentBytes = anonymousResident();
    return { totalBytes: heap.total_heap_size, usedBytes: heap.used_heap_size, busy, at: performance.now(), ...(residentBytes !== undefined && { residentBytes }) };
  };
}

/** The largest (or smallest) value noted over a window of whole minutes. */
class WindowExtreme {
  /** Per minute, newest last. */
  private readonly minutes: { minute: number; value: number }[] = [];

  constructor(
    private readonly windowMs: number,
    private readonly pick: (a: number, b: number) => number,
    /** The value with nothing noted. */
    private readonly none: number,
  ) {}

  note(value: number, at: number): void {
    const minute = Math.floor(at / 60_000);
    const last = this.minutes.at(-1);
    if (last !== undefined && last.minute === minute) last.value = this.pick(last.value, value);
    else this.minutes.push({ minute, value });
    while ((this.minutes[0]?.minute ?? minute) <= minute - this.windowMs / 60_000) this.minutes.shift();
  }

  value(): number {
    return this.minutes.reduce((extreme, m) => this.pick(extreme, m.value), this.none);
  }
}

export class HeapTrim {
  /** Full collections made to give the heap back. */
  trims = 0;
  /** Times the heap grew back soon after a trim, and its size was kept as the working set. */
  kept = 0;
  /** Of the trims, those for pages a burst left resident (the resident rule). */
  residentTrims = 0;
  /**
   * The heap's size after the last collection (or the smallest seen since), or the working
   * set kept. Not the first look: a storm in the first seconds (phones joining at start)
   * would become the floor.
   */
  private floor = 0;
  private quietLooks = 0;
  private collect: Collect | undefined | null = null;
  /** The last trim: when, and how much it gave back (known from the look after it). */
  private lastTrim: { at: number; before: number; givenBack?: number } | undefined;
  /** When a working set was kept (the floor raised to it). */
  private keptAt: number | undefined;
  /** The largest heap use over the last KEEP_MS. */
  private readonly usedPeak = new WindowExtreme(KEEP_MS, Math.max, 0);

  private trimMalloc: (() => void) | undefined;
  private quietSinceMallocTrim = 0;
  /** The lowest anonymous resident memory at a quiet look over the last RESIDENT_WINDOW_MS. */
  private readonly residentLow = new WindowExtreme(RESIDENT_WINDOW_MS, Math.min, Number.POSITIVE_INFINITY);
  private residentHighLooks = 0;
  /** The last trim for left pages: when, and the excess it was for (checked at the next look). */
  private residentTrim: { at: number; resident: number; excess: number; checked: boolean } | undefined;
  /** The resident rule rests until then (a trim gave back too little). */
  private residentRestUntil = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly look: () => HeapLook = lookAtProcess(),
    collect?: Collect,
    trimMalloc?: () => void,
  ) {
    if (collect !== undefined) this.collect = collect;
    this.trimMalloc = trimMalloc;
  }

  /** Called every few seconds. True when it collected. */
  check(): boolean {
    const { totalBytes, usedBytes, busy, at, residentBytes } = this.look();
    this.usedPeak.note(usedBytes, at);
    if (busy <= QUIET_UTILIZATION && ++this.quietSinceMallocTrim >= MALLOC_TRIM_LOOKS) this.releaseMalloc();
    if (residentBytes !== undefined && this.pagesLeft(residentBytes, busy, at)) {
      if (!this.trim(totalBytes, at)) return false;
      this.residentTrims += 1;
      this.residentTrim = { at, resident: residentBytes, excess: residentBytes - this.residentLow.value(), checked: false };
      return true;
    }
    const trim = this.lastTrim;
    if (trim !== undefined && trim.givenBack === undefined) trim.givenBack = Math.max(0, trim.before - totalBytes);
    if (totalBytes < this.floor) this.floor = totalBytes;
    // Grown back to half of what the last trim gave back, within KEEP_MS: the trim was
    // wasted (an output that flaps every 2 minutes replays its queue each time). That size
    // is what the heap needs: it becomes the floor instead of being collected again.
    if (trim?.givenBack !== undefined && trim.givenBack > 0 && at - trim.at < KEEP_MS && totalBytes - this.floor >= trim.givenBack / 2) {
      this.floor = totalBytes;
      this.keptAt = at;
      this.lastTrim = undefined;
      this.kept += 1;
      this.quietLooks = 0;
      return false;
    }
    // A kept working set that nothing used for KEEP_MS is given back after all.
    const unused = this.keptAt !== undefined && at - this.keptAt >= KEEP_MS && totalBytes - this.usedPeak.value() >= GROWTH_BYTES;
    // Grown, and quiet twice in a row: the storm is over, not starting.
    if ((totalBytes - this.floor < GROWTH_BYTES && !unused) || busy > QUIET_UTILIZATION) {
      this.quietLooks = 0;
      return false;
    }
    this.quietLooks += 1;
    if (this.quietLooks < 2) return false;
    this.quietLooks = 0;
    return this.trim(totalBytes, at);
  }

  /** One full, memory-reducing collection and malloc's free pages; false without a collector. */
  private trim(totalBytes: number, at: number): boolean {
    if (this.collect === null) this.collect = loadCollector();
    if (this.collect === undefined) return false;
    this.collect();
    this.releaseMalloc();
    this.trims += 1;
    this.lastTrim = { at, before: totalBytes };
    this.keptAt = undefined;
    // The next look's size becomes the floor (the smallest seen since).
    this.floor = Number.POSITIVE_INFINITY;
    return true;
  }

  /**
   * True when resident memory has stayed RESIDENT_STEP_BYTES above its recent lowest at two
   * quiet looks in a row: pages a burst left resident (heap-trim.ts, top).
   */
  private pagesLeft(resident: number, busy: number, at: number): boolean {
    const last = this.residentTrim;
    if (last !== undefined && !last.checked) {
      last.checked = true;
      // Gave back less than half of the excess: a larger working set, not left pages.
      if (last.resident - resident < last.excess / 2) this.residentRestUntil = at + RESIDENT_WINDOW_MS;
    }
    if (busy > QUIET_UTILIZATION) {
      this.residentHighLooks = 0;
      return false;
    }
    this.residentLow.note(resident, at);
    const high = resident - this.residentLow.value() >= RESIDENT_STEP_BYTES;
    this.residentHighLooks = high ? this.residentHighLooks + 1 : 0;
    if (this.residentHighLooks < 2 || at < this.residentRestUntil) return false;
    if (last !== undefined && at - last.at < RESIDENT_TRIM_EVERY_MS) return false;
    this.residentHighLooks = 0;
    return true;
  }

  private releaseMalloc(): void {
    this.quietSinceMallocTrim = 0;
    (this.trimMalloc ??= loadMallocTrim())();
  }
}
