/**
 * AIS decoder: one sentence (from the line framer) in, zero or one AisMessage out.
 * Sentence checks → fragment reassembly → message body → static data joined by MMSI.
 * Everything that does not decode is counted by reason; nothing is thrown.
 *
 * Type 24 follows gpsd: part A (the name) is remembered and produces no report; part B is
 * reported with the name of part A merged in, so one report carries the whole static data.
 */
import type { Decoder } from '../../contract.js';
import { decodeAisBody } from './messages.js';
import { FragmentAssembler } from './reassembly.js';
import type { AisReport } from './report.js';
import { parseAisSentence } from './sentence.js';
import { Type24Pairs } from './type24-pairs.js';
import { VesselCache, type VesselStatic } from './vessels.js';

export interface AisMessage {
  report: AisReport;
  /** The sentence(s) that made it, in order. */
  sentences: string[];
  /** VDO: our own vessel. */
  own: boolean;
  /** What is known about this MMSI's vessel (name, call sign, type), if anything. */
  vessel?: VesselStatic;
}

export interface AisDecoderCounters {
  sentences: number;
  messages: number;
  /** `$` NMEA sentences and other non-AIS lines (mixed GPS + AIS streams). */
  notAis: number;
  badChecksum: number;
  noChecksum: number;
  badField: number;
  tooShort: number;
  /** Type 24 parts held back until the other part is known. */
  partialStatic: number;
  /** Fragments out of order, duplicated, or with characters outside the armour alphabet. */
  fragmentsDiscarded: number;
  incompleteDropped: number;
  [key: string]: number;
}

export interface AisDecoderOptions {
  /** Milliseconds after which an incomplete multi-fragment message is dropped. Default 2000. */
  fragmentTimeoutMs?: number;
  /** Vessels whose static data is kept. Default 4096. */
  vesselCapacity?: number;
  /** Time source for fragment timeouts (tests inject one). */
  clock?: () => number;
}

export class AisDecoder implements Decoder<string, AisMessage> {
  readonly counters: AisDecoderCounters = {
    sentences: 0,
    messages: 0,
    notAis: 0,
    badChecksum: 0,
    noChecksum: 0,
    badField: 0,
    tooShort: 0,
    partialStatic: 0,
    fragmentsDiscarded: 0,
    incompleteDropped: 0,
  };
  readonly vessels: VesselCache;
  private readonly assembler: FragmentAssembler;
  private readonly clock: () => number;
  private readonly type24 = new Type24Pairs();

  constructor(options: AisDecoderOptions = {}) {
    this.assembler = new FragmentAssembler(options.fragmentTimeoutMs ?? 2000);
    this.vessels = new VesselCache(options.vesselCapacity ?? 4096);
    this.clock = options.clock ?? Date.now;
  }

  decode(line: string, emit: (message: AisMessage) => void): void {
    const fragment = parseAisSentence(line);
    if (typeof fragment === 'string') {
      if (fragment === 'not-ais') this.counters.notAis++;
      else if (fragment === 'bad-checksum') this.counters.badChecksum++;
      else if (fragment === 'no-checksum') this.counters.noChecksum++;
      else this.counters.badField++;
      return;
    }
    this.counters.sentences++;
    const assembled = this.assembler.add(fragment, this.clock());
    this.syncAssemblerCounters();
    if (assembled === undefined) return;
    const report = decodeAisBody(assembled.bits);
    if (report === 'too-short') {
      this.counters.tooShort++;
      return;
    }
    report.talker = assembled.talker;
    const learnt = this.vessels.learn(report);
    if (report.type === 24) {
      // Part A is held and reported merged into its part B; a part B without a waiting
      // part A is learnt but not reported (gpsd's behaviour, which the golden files follow).
      if (report.callsign === undefined) {
        if (report.shipname !== undefined) this.type24.partA(report.mmsi, report.shipname);
        this.counters.partialStatic++;
        return;
      }
      const name = this.type24.takePartA(report.mmsi);
      if (name === undefined) {
        this.counters.partialStatic++;
        return;
      }
      report.shipname = name;
    }
    this.counters.messages++;
    const message: AisMessage = { report, sentences: assembled.sentences, own: assembled.own };
    const vessel = learnt ?? this.vessels.get(report.mmsi);
    if (vessel !== undefined) message.vessel = vessel;
    emit(message);
  }

  flush(_emit: (message: AisMessage) => void): void {
    // Nothing waits for more input except incomplete fragments, which cannot be completed.
  }

  reset(): void {
    this.assembler.reset();
    this.type24.clear();
    this.syncAssemblerCounters();
  }

  private syncAssemblerCounters(): void {
    this.counters.fragmentsDiscarded = this.assembler.counters.fragmentsDiscarded;
    this.counters.incompleteDropped = this.assembler.counters.incompleteDropped;
  }
}
