// XmlEventFramer: a byte stream of CoT XML (TCP, TLS, serial, a file) → one frame per
// <event>…</event>, emitted as soon as it is complete.
//
// It works on bytes only. A frame that lies inside one chunk is emitted as a view of that
// chunk (no copy). Only a frame that spans chunks is assembled, in one reusable buffer
// bounded by maxEventBytes; an event larger than that is dropped without being held.
// Between events, XML declarations, comments and whitespace are skipped quietly; anything
// else is garbage, reported once per run. A new <event> before the current one closed
// means the current one was truncated: it is reported and framing restarts at the new one.
import { CotDecodeError } from '../errors.js';

export const DEFAULT_MAX_EVENT_BYTES = 64 * 1024;

/** The assembly buffer's first size (it grows by doubling up to the largest event). */
const ACC_FIRST_BYTES = 2 * 1024;
const NO_BYTES = Buffer.alloc(0);

export interface XmlFramerOptions {
  /** Largest event accepted, in bytes (default 64 KiB). */
  maxEventBytes?: number;
  /** Called for each framing problem; framing carries on. */
  onError?: (error: CotDecodeError) => void;
}

export interface XmlFramerCounters {
  frames: number;
  bytesIn: number;
  /** Bytes thrown away: garbage, truncated and oversize events (not whitespace/declarations). */
  bytesDropped: number;
  oversize: number;
  truncated: number;
  garbage: number;
  doctype: number;
}

/** Return true to stop framing after this frame; push() then returns the unread rest. */
export type FrameSink = (frame: Buffer, streamOffset: number) => boolean | void;

const OPEN = Buffer.from('<event');
const CLOSE = Buffer.from('</event');
/**
 * Comments, CDATA sections and processing instructions may hold "</event>" or "<event" as
 * text: the body scan steps over them.
 */
const MARKUP_OPEN = Buffer.from('<!');
const PI_OPEN = Buffer.from('<?');
const PI_CLOSE = Buffer.from('?>');
const COMMENT_OPEN = Buffer.from('<!--');
const COMMENT_CLOSE = Buffer.from('-->');
const CDATA_OPEN = Buffer.from('<![CDATA[');
const CDATA_CLOSE = Buffer.from(']]>');
const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const QUOTE = 0x22;
const APOS = 0x27;
const BANG = 0x21;
const QUESTION = 0x3f;

const enum State {
  /** Between events: looking for "<event". */
  Hunt,
  /** Inside the start tag of an event, looking for its ">" (quote-aware). */
  StartTag,
  /** Inside an event body, looking for "</event>". */
  Body,
  /** After an oversize event: discarding until its "</event>" or the next "<event". */
  Skip,
}

/** Markup state of the bytes between events, to tell declarations from garbage. */
const enum Between {
  Text,
  /** Just saw "<": the next byte says which markup this is. */
  AfterLt,
  /** Inside <?…?> or <!…>: skip to ">". */
  Markup,
  /** Inside other markup (a stray tag): garbage until ">". */
  StrayTag,
}

interface ScanResult {
  /** How far the buffer was read. */
  consumed: number;
  /** The sink asked to stop after the frame ending at `consumed`. */
  stopped: boolean;
  /** Start of the incomplete part to keep for the next chunk, or -1. */
  pendingFrom: number;
}

function isWhitespace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/** After "<event" must come whitespace, ">" or "/" — otherwise it is "<events…" or similar. */
function isNameEnd(b: number): boolean {
  return isWhitespace(b) || b === GT || b === SLASH;
}

export class XmlEventFramer {
  readonly counters: XmlFramerCounters = {
    frames: 0,
    bytesIn: 0,
    bytesDropped: 0,
    oversize: 0,
    truncated: 0,
    garbage: 0,
    doctype: 0,
  };

  private readonly maxEventBytes: number;
  private readonly onError: (error: CotDecodeError) => void;

  private state = State.Hunt;
  private between = Between.Text;
  /** Whether the current run of garbage has been reported already. */
  private garbageReported = false;
  private quote = 0;
  /** In StartTag: where the quote-aware scan for ">" got to. */
  private tagScan = 0;
  /** In Body: where to look for "</event" next; where the nested "<event" check got to. */
  private closeScan = 0;
  private nestedScan = 0;
  /** The first "<event" at or after openAheadFrom in buffer openAheadIn (-1: none), as findNestedOpen saw it. */
  private openAheadIn: Buffer | undefined;
  private openAheadFrom = 0;
  private openAhead = -1;
  /**
   * The first "<!" and the first "<?" at or after their `From` in buffer markupAheadIn (-1:
   * none to its end), each searched again only once the scan has passed it: ATAK puts an
   * "<?xml …?>" before every event, and searching "<!" anew at each of them scanned the
   * rest of the chunk once per event.
   */
  private markupAheadIn: Buffer | undefined;
  private bangFrom = 0;
  private bangAhead = -1;
  private questionFrom = 0;
  private questionAhead = -1;

  /**
   * Assembly buffer for whatever is pending across chunks (a partial frame or tag). Made on
   * first need, so a listener's hundreds of quiet connections (each event in one chunk) do
   * not each hold one; once made it is kept (a busy stream needs it at every chunk).
   */
  private acc: Buffer = NO_BYTES;
  private accLength = 0;
  /** Stream offset of acc[0]. */
  private accOffset = 0;

  constructor(options: XmlFramerOptions = {}) {
    this.maxEventBytes = options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
    this.onError = options.onError ?? (() => {});
  }

  /** Bytes the assembly buffer holds room for (memory, per connection). */
  get assemblyBytes(): number {
    return this.acc.length;
  }

  /** True while an event has begun and not yet ended (its bytes are arriving). */
  get midEvent(): boolean {
    return this.state !== State.Hunt;
  }

  /** Forget any partial frame (e.g. after a reconnect). Counters are kept. */
  reset(): void {
    this.state = State.Hunt;
    this.between = Between.Text;
    this.garbageReported = false;
    this.accLength = 0;
    this.acc = NO_BYTES;
  }

  /**
   * Feed the next chunk. Frames are handed to `emit` synchronously and are valid only
   * during the call. If `emit` returns true, framing stops right after that frame and the
   * unread rest of this chunk is returned (for a switch to another framing).
   */
  push(chunk: Buffer, emit: FrameSink): Buffer | undefined {
    const chunkOffset = this.counters.bytesIn;
    this.counters.bytesIn += chunk.length;
    this.openAheadIn = undefined; // a caller may pass the same Buffer again with new bytes
    this.markupAheadIn = undefined;
    let from = 0;
    if (this.accLength > 0) {
      // Something is pending from earlier chunks: continue it in the assembly buffer, and
      // go back to reading the chunk directly as soon as that pending part is resolved.
      const before = this.accLength;
      const take = Math.min(this.maxEventBytes + 16 - before, chunk.length);
      this.appendToAcc(chunk, take);
      const buffer = this.acc.subarray(0, this.accLength);
      const result = this.scan(buffer, 0, this.accOffset, emit, take < chunk.length, before);
      if (result.stopped) {
        this.accLength = 0;
        return chunk.subarray(result.consumed - before);
      }
      if (result.pendingFrom === -1) {
        this.accLength = 0;
        from = result.consumed - before;
      } else if (take < chunk.length) {
        // The assembly buffer is full; scan() has dropped the oversize event (state is
        // Hunt or Skip). The pending bytes are in the chunk too: go on from there.
        this.accLength = 0;
        from = Math.max(result.pendingFrom - before, 0);
      } else {
        this.keepPending(buffer, result.pendingFrom);
        return undefined;
      }
    }
    const result = this.scan(chunk, from, chunkOffset, emit, false, Infinity);
    if (result.stopped) return chunk.subarray(result.consumed);
    if (result.pendingFrom !== -1) {
      this.accLength = 0;
      this.accOffset = chunkOffset;
      this.keepPendingFrom(chunk, result.pendingFrom);
    }
    return undefined;
  }

  private appendToAcc(source: Buffer, count: number): void {
    const needed = this.accLength + count;
    if (needed > this.acc.length) {
      // Its own memory (not a slice of node's shared pool, which it would keep alive).
      const grown = Buffer.allocUnsafeSlow(Math.min(Math.max(needed, this.acc.length * 2, ACC_FIRST_BYTES), this.maxEventBytes + 16));
      this.acc.copy(grown, 0, 0, this.accLength);
      this.acc = grown;
    }
    source.copy(this.acc, this.accLength, 0, count);
    this.accLength += count;
  }

  /** Moves the pending part of the assembly buffer to its front. */
  private keepPending(buffer: Buffer, pendingFrom: number): void {
    if (pendingFrom === 0) return;
    buffer.copy(this.acc, 0, pendingFrom);
    this.accLength = buffer.length - pendingFrom;
    this.shiftPositions(pendingFrom);
  }

  /** Copies the pending part of a chunk into the (empty) assembly buffer. */
  private keepPendingFrom(chunk: Buffer, pendingFrom: number): void {
    this.appendToAcc(chunk.subarray(pendingFrom), chunk.length - pendingFrom);
    this.shiftPositions(pendingFrom);
  }

  private shiftPositions(by: number): void {
    this.accOffset += by;
    this.markupAheadIn = undefined;
    this.tagScan -= by;
    this.closeScan -= by;
    this.nestedScan -= by;
  }

  private error(reason: ConstructorParameters<typeof CotDecodeError>[0], message: string, offset: number): void {
    this.onError(new CotDecodeError(reason, message, offset));
  }

  /**
   * Scans buffer[from..] and emits complete frames. Returns how far it consumed, whether
   * the sink stopped it, and where the pending (incomplete) part starts, or -1 if nothing
   * is pending. Positions inside a pending frame (closeScan, nestedScan) are kept relative
   * to the buffer start and shifted by keepPending.
   * `moreInChunk`: the buffer is the assembly buffer and the chunk had bytes that did not
   * fit, so a pending event here is oversize. `handOffAt`: in the assembly buffer, where
   * the new chunk's bytes begin — once nothing is pending past it, return so the caller
   * reads the rest of the chunk without the copy.
   */
  private scan(
    buffer: Buffer,
    from: number,
    baseOffset: number,
    emit: FrameSink,
    moreInChunk: boolean,
    handOffAt: number,
  ): ScanResult {
    let pos = from;
    let frameStart = 0;
    if (this.state === State.StartTag) pos = this.tagScan;
    else if (this.state === State.Body) pos = this.closeScan;
    const end = buffer.length;
    while (pos < end) {
      if (this.state === State.Hunt || this.state === State.Skip) {
        if (pos >= handOffAt) return { consumed: pos, stopped: false, pendingFrom: -1 };
        const open = this.nextOpen(buffer, pos);
        if (this.state === State.Skip) {
          const close = buffer.indexOf(CLOSE, pos);
          if (close !== -1 && (open === -1 || close < open)) {
            const gt = buffer.indexOf(GT, close + CLOSE.length);
            if (gt === -1) return this.pendingTail(close, end);
            this.counters.bytesDropped += gt + 1 - pos;
            pos = gt + 1;
            this.state = State.Hunt;
            continue;
          }
          if (open === -1) {
            // Keep a possible partial "</event" or "<event" at the end; drop the rest.
            const keep = this.partialTagStart(buffer, pos, end);
            this.counters.bytesDropped += keep - pos;
            return this.pendingTail(keep, end);
          }
          this.counters.bytesDropped += open - pos;
          pos = open;
          this.state = State.Hunt;
          continue;
        }
        if (open === -1) {
          const keep = this.partialTagStart(buffer, pos, end);
          this.skipBetween(buffer, pos, keep, baseOffset);
          return this.pendingTail(keep, end);
        }
        if (open + OPEN.length >= end) {
          this.skipBetween(buffer, pos, open, baseOffset);
          return { consumed: open, stopped: false, pendingFrom: open };
        }
        if (!isNameEnd(buffer[open + OPEN.length])) {
          this.skipBetween(buffer, pos, open + 1, baseOffset);
          pos = open + 1;
          continue;
        }
        this.skipBetween(buffer, pos, open, baseOffset);
        this.between = Between.Text;
        this.garbageReported = false;
        frameStart = open;
        pos = open + OPEN.length;
        this.state = State.StartTag;
        this.quote = 0;
      }

      if (this.state === State.StartTag) {
        let i = pos;
        let quote = this.quote;
        for (; i < end; i++) {
          const b = buffer[i];
          // "<" is not allowed anywhere in a start tag, not even in a quoted value: the
          // event was cut off there. Resync at it.
          if (b === LT) break;
          if (quote !== 0) {
            if (b === quote) quote = 0;
          } else if (b === QUOTE || b === APOS) {
            quote = b;
          } else if (b === GT) {
            break;
          }
        }
        this.quote = quote;
        if (i === end) {
          if (end - frameStart > this.maxEventBytes || moreInChunk) return this.dropOversize(buffer, frameStart, end, baseOffset);
          this.tagScan = end;
          return { consumed: end, stopped: false, pendingFrom: frameStart };
        }
        if (buffer[i] === LT) {
          this.truncated(frameStart, i, baseOffset);
          pos = i;
          this.state = State.Hunt;
          continue;
        }
        if (buffer[i - 1] === SLASH) {
          // <event …/>: a complete (if empty) event.
          pos = i + 1;
          this.state = State.Hunt;
          if (this.deliver(buffer, frameStart, pos, baseOffset, emit)) return { consumed: pos, stopped: true, pendingFrom: -1 };
          continue;
        }
        pos = i + 1;
        this.closeScan = pos;
        this.nestedScan = pos;
        this.state = State.Body;
      }

      // State.Body
      const close = buffer.indexOf(CLOSE, this.closeScan);
      const markup = this.nextMarkup(buffer, this.closeScan);
      const inMarkup = markup !== -1 && (close === -1 || markup < close);
      // A nested "<event" before whatever comes first (the markup, the close tag, the end) cuts this event.
      const nested = this.findNestedOpen(buffer, inMarkup ? markup : close === -1 ? end : close);
      if (nested !== -1) {
        this.truncated(frameStart, nested, baseOffset);
        pos = nested;
        this.state = State.Hunt;
        continue;
      }
      if (inMarkup) {
        const sectionEnd = this.markupSectionEnd(buffer, markup);
        if (sectionEnd === -1) {
          // The comment, CDATA section or processing instruction goes on in the next chunk.
          this.closeScan = markup;
          if (end - frameStart > this.maxEventBytes || moreInChunk) return this.dropOversize(buffer, frameStart, end, baseOffset);
          return { consumed: end, stopped: false, pendingFrom: frameStart };
        }
        this.closeScan = sectionEnd;
        this.nestedScan = Math.max(this.nestedScan, sectionEnd);
        continue;
      }
      if (close === -1) {
        if (end - frameStart > this.maxEventBytes || moreInChunk) return this.dropOversize(buffer, frameStart, end, baseOffset);
        // Re-check the seam: "</event" may be split across this chunk and the next.
        this.closeScan = Math.max(this.closeScan, end - CLOSE.length);
        return { consumed: end, stopped: false, pendingFrom: frameStart };
      }
      let j = close + CLOSE.length;
      while (j < end && isWhitespace(buffer[j])) j++;
      if (j === end) {
        this.closeScan = close;
        if (end - frameStart > this.maxEventBytes || moreInChunk) return this.dropOversize(buffer, frameStart, end, baseOffset);
        return { consumed: end, stopped: false, pendingFrom: frameStart };
      }
      if (buffer[j] !== GT) {
        // "</events>" or the like: not our close tag; look further.
        this.closeScan = close + 1;
        continue;
      }
      pos = j + 1;
      this.state = State.Hunt;
      if (this.deliver(buffer, frameStart, pos, baseOffset, emit)) return { consumed: pos, stopped: true, pendingFrom: -1 };
    }
    return { consumed: end, stopped: false, pendingFrom: -1 };
  }

  /** Looks for "<event" + name end inside the body, between nestedScan and limit. */
  private findNestedOpen(buffer: Buffer, limit: number): number {
    let at = this.nestedScan;
    for (;;) {
      const found = buffer.indexOf(OPEN, at);
      if (found === -1 || found >= limit) {
        // The first "<event" past this one's close (usually the next event's start): the
        // hunt for the next event starts with it instead of searching again.
        this.openAheadIn = buffer;
        this.openAheadFrom = at;
        this.openAhead = found;
        // Leave room to re-check an "<event" split at the limit.
        this.nestedScan = Math.max(this.nestedScan, limit - OPEN.length);
        return -1;
      }
      if (found + OPEN.length < buffer.length && isNameEnd(buffer[found + OPEN.length])) return found;
      if (found + OPEN.length >= buffer.length) {
        this.nestedScan = found;
        return -1;
      }
      at = found + 1;
    }
  }

  /** The first "<!" or "<?" from pos, remembered per buffer so that a chunk of many events is searched once. */
  private nextMarkup(buffer: Buffer, pos: number): number {
    if (this.markupAheadIn !== buffer) {
      this.markupAheadIn = buffer;
      this.bangFrom = this.questionFrom = Infinity;
    }
    if (!(this.bangFrom <= pos && (this.bangAhead === -1 || this.bangAhead >= pos))) {
      this.bangFrom = pos;
      this.bangAhead = buffer.indexOf(MARKUP_OPEN, pos);
    }
    if (!(this.questionFrom <= pos && (this.questionAhead === -1 || this.questionAhead >= pos))) {
      this.questionFrom = pos;
      this.questionAhead = buffer.indexOf(PI_OPEN, pos);
    }
    const bang = this.bangAhead;
    const question = this.questionAhead;
    return bang === -1 ? question : question === -1 ? bang : Math.min(bang, question);
  }


  /**
   * Where the comment, CDATA section or processing instruction starting at `at` ends (just
   * past "-->", "]]>" or "?>"); -1 if its end (or enough of its start to tell) is not in the
   * buffer yet. Other "<!" markup is not allowed in an event body: it is stepped over and the
   * parser refuses it.
   */
  private markupSectionEnd(buffer: Buffer, at: number): number {
    for (const [open, close] of [[COMMENT_OPEN, COMMENT_CLOSE], [CDATA_OPEN, CDATA_CLOSE], [PI_OPEN, PI_CLOSE]] as const) {
      const have = Math.min(open.length, buffer.length - at);
      if (buffer.compare(open, 0, have, at, at + have) !== 0) continue;
      if (have < open.length) return -1;
      const found = buffer.indexOf(close, at + open.length);
      return found === -1 ? -1 : found + close.length;
    }
    return at + MARKUP_OPEN.length;
  }

  /** buffer.indexOf(OPEN, pos), from what findNestedOpen already found when it can tell. */
  private nextOpen(buffer: Buffer, pos: number): number {
    const ahead = this.openAhead;
    if (this.openAheadIn === buffer && this.openAheadFrom <= pos && (ahead === -1 || ahead >= pos)) return ahead;
    return buffer.indexOf(OPEN, pos);
  }

  private deliver(buffer: Buffer, start: number, end: number, baseOffset: number, emit: FrameSink): boolean {
    if (end - start > this.maxEventBytes) {
      this.reportOversize(start, end, baseOffset);
      return false;
    }
    this.counters.frames++;
    return emit(buffer.subarray(start, end), baseOffset + start) === true;
  }

  private truncated(start: number, end: number, baseOffset: number): void {
    this.counters.truncated++;
    this.counters.bytesDropped += end - start;
    this.error('truncated', `event cut off: a new <event> began after ${end - start} bytes`, baseOffset + start);
  }

  private reportOversize(start: number, end: number, baseOffset: number): void {
    this.counters.oversize++;
    this.counters.bytesDropped += end - start;
    this.error('oversize', `event larger than ${this.maxEventBytes} bytes dropped`, baseOffset + start);
  }

  /** The pending event outgrew the limit: drop it and discard until its end. */
  private dropOversize(buffer: Buffer, start: number, end: number, baseOffset: number): ScanResult {
    this.reportOversize(start, end, baseOffset);
    this.state = State.Skip;
    return this.pendingTail(this.partialTagStart(buffer, start, end), end);
  }

  /**
   * Where a possibly incomplete "<event" or "</event" at the end of the buffer starts
   * (end if there is none): only those few bytes need to be kept for the next chunk.
   */
  private partialTagStart(buffer: Buffer, from: number, end: number): number {
    const lt = buffer.lastIndexOf(LT, end - 1);
    if (lt < from || lt < end - CLOSE.length) return end;
    return lt;
  }

  private pendingTail(keep: number, end: number): ScanResult {
    return { consumed: end, stopped: false, pendingFrom: keep >= end ? -1 : keep };
  }

  /**
   * Accounts for the bytes between events: whitespace, <?xml …?> and <!-- … --> are fine;
   * DOCTYPE/ENTITY declarations are refused loudly; anything else is garbage.
   */
  private skipBetween(buffer: Buffer, from: number, to: number, baseOffset: number): void {
    let state = this.between;
    for (let i = from; i < to; i++) {
      const b = buffer[i];
      switch (state) {
        case Between.Text:
          if (b === LT) state = Between.AfterLt;
          else if (!isWhitespace(b)) this.garbageAt(i, baseOffset);
          break;
        case Between.AfterLt:
          if (b === QUESTION) state = Between.Markup;
          else if (b === BANG) {
            // <!DOCTYPE or <!ENTITY: never processed, always reported.
            const next = buffer[i + 1];
            if (next === 0x44 /* D */ || next === 0x45 /* E */) {
              this.counters.doctype++;
              this.error('doctype', 'DOCTYPE/ENTITY declarations are refused', baseOffset + i - 1);
            }
            state = Between.Markup;
          } else {
            this.garbageAt(i - 1, baseOffset);
            state = b === GT ? Between.Text : Between.StrayTag;
          }
          break;
        case Between.Markup:
          if (b === GT) state = Between.Text;
          break;
        case Between.StrayTag:
          this.counters.bytesDropped++;
          if (b === GT) state = Between.Text;
          break;
      }
    }
    this.between = state;
  }

  private garbageAt(index: number, baseOffset: number): void {
    this.counters.bytesDropped++;
    if (!this.garbageReported) {
      this.garbageReported = true;
      this.counters.garbage++;
      this.error('garbage', 'bytes that are not CoT between events skipped', baseOffset + index);
    }
  }
}
