/**
 * NMEA 0183 sentences → one GnssFix per fix epoch.
 *
 * A receiver sends a burst of sentences per epoch (GGA, GSA, GSV…, RMC); only some carry the
 * time. An epoch ends when a sentence carries a different time, or, once the decoder has
 * seen a full cycle, at the sentence that ended the previous one (its type and how many of
 * that type the cycle had: a multi-constellation receiver ends on its third GSA, not its
 * first), so the fix goes out right after the epoch's last sentence rather than one epoch
 * late. A sentence that arrives after that with the same time updates the fix and is emitted
 * again (the later fix wins), and becomes the new end of cycle.
 *
 * Input is one sentence per call as the line framer produces it (checksum already checked);
 * anything else is counted and ignored. Never throws on input.
 */
import type { Decoder, FixMode, GnssFix } from '../../contract.js';
import { DateTracker } from './date-tracker.js';
import { EpochData } from './epoch.js';
import { timeOfDay } from './fields.js';
import { finishFix } from './fix.js';
import { sentenceTable, type SentenceHandler } from './sentences.js';

export interface NmeaDecoderOptions {
  /** Undo GPS week rollover: times before this (epoch ms) move forward by 1024 weeks. */
  notBefore?: number;
}

export type NmeaDecoderCounters = {
  sentences: number;
  fixes: number;
  /** Proprietary ($P…) and sentence types without a row in the table. */
  ignored: number;
  /** Not `$` + 5-character address + fields. */
  malformed: number;
  /** A known sentence whose essential fields do not parse. */
  unusable: number;
  /** Epochs closed because they grew past the bound without a time. */
  overlong: number;
};

const sentenceHandlers = new Map<string, SentenceHandler>(Object.entries(sentenceTable));

/** Sentences with times this close belong to one epoch (receivers round fractions differently). */
const SAME_EPOCH_MS = 20;
/** An epoch never holds more sentences than this; a stream without times still produces fixes. */
const MAX_SENTENCES_PER_EPOCH = 64;

export class NmeaGnssDecoder implements Decoder<string, GnssFix> {
  readonly counters: NmeaDecoderCounters = {
    sentences: 0, fixes: 0, ignored: 0, malformed: 0, unusable: 0, overlong: 0,
  };
  private readonly dates: DateTracker;
  private current = new EpochData();
  private lastEmitted: EpochData | undefined;
  /** The sentence type that ends a cycle, learnt from the last epoch closed by a time change. */
  private cycleEnd = '';
  /** How many sentences of the cycleEnd type that epoch had: the cycle ends at that one. */
  private cycleEndCount = 1;
  private previousMode: FixMode = 0;
  /** previousMode as it was before lastEmitted, for re-emitting that epoch. */
  private modeBeforeLast: FixMode = 0;

  constructor(options: NmeaDecoderOptions = {}) {
    this.dates = new DateTracker(options.notBefore);
  }

  decode(sentence: string, emit: (fix: GnssFix) => void): void {
    if (typeof sentence !== 'string' || sentence.charCodeAt(0) !== 0x24 /* $ */) {
      this.counters.malformed++;
      return;
    }
    // Look the type up before splitting: most of the cost is in split, and some types need few fields.
    const comma = sentence.indexOf(',');
    const address = comma === -1 ? '' : sentence.slice(1, comma);
    const proprietary = address.charCodeAt(0) === 0x50; // P: a maker's own sentence, keyed whole
    if (!proprietary && address.length !== 5) {
      this.counters.malformed++;
      return;
    }
    const type = proprietary ? address : address.slice(2);
    const handler = sentenceHandlers.get(type);
    if (handler === undefined) {
      this.counters.ignored++;
      return;
    }
    const star = sentence.lastIndexOf('*');
    const fields = sentence.slice(1, star === -1 ? undefined : star).split(',', handler.fieldLimit);
    this.counters.sentences++;
    const time = handler.timeField === undefined ? undefined : timeOfDay(fields[handler.timeField]);
    let epoch = this.current;
    if (time !== undefined) {
      epoch = this.epochFor(time, emit);
      const rank = handler.timeRank ?? 1;
      if (rank > epoch.timeRank) {
        epoch.timeRank = rank;
        epoch.timeOfDay = time;
      }
    }
    if (!handler.apply(fields, epoch)) {
      this.counters.unusable++;
      return;
    }
    epoch.sentences.push(type);
    if (epoch === this.lastEmitted) {
      // A late sentence of an epoch already sent: send the better fix and learn the real cycle end.
      this.cycleEnd = type;
      this.cycleEndCount = epoch.countOf(type);
      this.emitEpoch(epoch, emit);
    } else if (type === this.cycleEnd && epoch.countOf(type) === this.cycleEndCount && epoch.hasFixReport()) {
      // Also without a time: a receiver that lost its fix sends the cycle's last sentence empty.
      // An epoch with nothing about the fix yet (a lone ZDA) waits for the sentences that follow.
      this.emitEpoch(epoch, emit);
      this.current = new EpochData();
    } else if (epoch.sentences.length >= MAX_SENTENCES_PER_EPOCH) {
      this.counters.overlong++;
      this.emitEpoch(epoch, emit);
      this.current = new EpochData();
    }
  }

  flush(emit: (fix: GnssFix) => void): void {
    if (this.current.timeOfDay !== undefined) this.emitEpoch(this.current, emit);
    this.current = new EpochData();
  }

  /** Forget everything learnt about the stream (after a reconnect to a maybe different device). */
  reset(): void {
    this.current = new EpochData();
    this.lastEmitted = undefined;
    this.cycleEnd = '';
    this.cycleEndCount = 1;
    this.previousMode = 0;
    this.modeBeforeLast = 0;
    this.dates.reset();
  }

  /** The epoch a sentence with this time belongs to; closes the current one when the time moved on. */
  private epochFor(time: number, emit: (fix: GnssFix) => void): EpochData {
    const current = this.current;
    if (current.timeOfDay === undefined) {
      const last = this.lastEmitted;
      if (last?.timeOfDay !== undefined && Math.abs(last.timeOfDay - time) < SAME_EPOCH_MS) return last;
      current.timeOfDay = time;
      return current;
    }
    if (Math.abs(current.timeOfDay - time) < SAME_EPOCH_MS) return current;
    // Untimed sentences count too: gpsd's cycle ender is whatever came last before the time changed.
    const last = current.sentences[current.sentences.length - 1];
    if (last !== undefined) {
      this.cycleEnd = last;
      this.cycleEndCount = current.countOf(last);
    }
    this.emitEpoch(current, emit);
    const next = new EpochData();
    next.timeOfDay = time;
    this.current = next;
    return next;
  }

  private emitEpoch(epoch: EpochData, emit: (fix: GnssFix) => void): void {
    let time: number | undefined;
    if (epoch.timeOfDay !== undefined) {
      if (epoch.day !== undefined) this.dates.setDay(epoch.day, epoch.timeOfDay);
      time = this.dates.resolve(epoch.timeOfDay);
    }
    const fix = finishFix(epoch, time, epoch === this.lastEmitted ? this.modeBeforeLast : this.previousMode);
    if (epoch !== this.lastEmitted) this.modeBeforeLast = this.previousMode;
    this.lastEmitted = epoch;
    this.previousMode = fix.mode;
    this.counters.fixes++;
    emit(fix);
  }
}
