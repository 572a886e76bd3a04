/**
 * Multi-fragment reassembly. Fragments of one message share (talker, sequence id, channel);
 * fragment 1 opens a buffer, fragment k must follow k − 1 with the same count, and the
 * message is complete when number == count. Any gap, duplicate or count change discards the
 * buffer (counted). Incomplete buffers time out, and at most `maxPending` are kept: a
 * receiver that only ever sends first fragments cannot grow memory.
 */
import { AisBits } from './bits.js';
import type { AisFragment } from './sentence.js';

export interface ReassemblyCounters {
  /** Fragments discarded: out of order, duplicate, count mismatch, or bad armour. */
  fragmentsDiscarded: number;
  /** Incomplete messages dropped because they timed out or the table was full. */
  incompleteDropped: number;
}

interface Pending {
  count: number;
  nextNumber: number;
  openedAt: number;
  bits: AisBits;
  sentences: string[];
}

export interface AssembledMessage {
  /** Valid only until the next call to add(). */
  bits: AisBits;
  sentences: string[];
  talker: string;
  own: boolean;
}

export class FragmentAssembler {
  readonly counters: ReassemblyCounters = { fragmentsDiscarded: 0, incompleteDropped: 0 };
  private readonly pending = new Map<string, Pending>();
  private readonly single = new AisBits(64);
  private readonly free: AisBits[] = [];

  constructor(
    private readonly timeoutMs = 2000,
    private readonly maxPending = 32,
  ) {}

  /** Adds one fragment; returns the whole message when this fragment completes it. */
  add(fragment: AisFragment, now: number): AssembledMessage | undefined {
    if (fragment.count === 1) {
      this.single.clear();
      if (!this.single.append(fragment.line, fragment.payloadStart, fragment.payloadEnd, fragment.fill)) {
        this.counters.fragmentsDiscarded++;
        return undefined;
      }
      return { bits: this.single, sentences: [fragment.line], talker: fragment.talker, own: fragment.own };
    }
    this.expire(now);
    const key = `${fragment.talker}${fragment.sequenceId}${fragment.channel}`;
    let entry = this.pending.get(key);
    if (fragment.number === 1) {
      if (entry !== undefined) this.discard(key, entry);
      entry = this.open(fragment.count, now);
      this.pending.set(key, entry);
    } else if (entry === undefined || entry.count !== fragment.count || entry.nextNumber !== fragment.number) {
      if (entry !== undefined) this.discard(key, entry);
      this.counters.fragmentsDiscarded++;
      return undefined;
    }
    if (!entry.bits.append(fragment.line, fragment.payloadStart, fragment.payloadEnd, fragment.fill)) {
      this.discard(key, entry);
      this.counters.fragmentsDiscarded++;
      return undefined;
    }
    entry.sentences.push(fragment.line);
    entry.nextNumber++;
    if (fragment.number < fragment.count) return undefined;
    this.pending.delete(key);
    // The bits go back to the free list now; the caller reads them before the next add().
    this.free.push(entry.bits);
    return { bits: entry.bits, sentences: entry.sentences, talker: fragment.talker, own: fragment.own };
  }

  /** Forgets every incomplete message (after a reconnect). */
  reset(): void {
    for (const [key, entry] of this.pending) this.discard(key, entry);
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  private open(count: number, now: number): Pending {
    if (this.pending.size >= this.maxPending) {
      const [oldestKey, oldest] = this.pending.entries().next().value as [string, Pending];
      this.discard(oldestKey, oldest);
    }
    const bits = this.free.pop() ?? new AisBits(128);
    bits.clear();
    return { count, nextNumber: 1, openedAt: now, bits, sentences: [] };
  }

  private expire(now: number): void {
    // Map iteration is insertion order, so the oldest buffers come first.
    for (const [key, entry] of this.pending) {
      if (now - entry.openedAt <= this.timeoutMs) break;
      this.discard(key, entry);
    }
  }

  private discard(key: string, entry: Pending): void {
    this.pending.delete(key);
    this.free.push(entry.bits);
    this.counters.incompleteDropped++;
  }
}
