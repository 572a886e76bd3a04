/**
 * Who is where: the link each callsign and uid was last seen on, learnt from the position
 * reports that arrive on each link. Used to deliver events that name their recipients
 * (`<marti><dest …/>`) only where those recipients are.
 *
 * Callsigns and uids are remembered by fingerprint (fingerprint.ts) in a ring: no string
 * per sighting is kept, and the oldest sighting is evicted first when the book is full.
 */
import type { CotEvent } from '../codec/event.js';
import type { Clock } from './clock.js';
import type { Recipients } from './detail-scan.js';
import { Fingerprinter } from './fingerprint.js';
import { FingerprintRing } from './fingerprint-ring.js';

export interface DestinationBookOptions {
  /** A sighting older than this no longer counts; default 15 min. */
  forgetAfterMs?: number;
  /** Callsigns and uids remembered at most (each); default 10,000. */
  maxEntries?: number;
}

/** The links to send to, or 'unknown' when a recipient has not been seen anywhere. */
export type RecipientLinks = ReadonlySet<string> | 'unknown';

/** Sightings of one kind of name, by fingerprint, oldest first. */
class Sightings {
  private readonly ring: FingerprintRing;
  /** The link of each ring slot, or undefined for a slot left behind when its name moved to another link. */
  private readonly links: (string | undefined)[];
  private readonly seenAt: Float64Array;

  constructor(capacity: number) {
    this.ring = new FingerprintRing(capacity);
    this.links = new Array<string | undefined>(capacity);
    this.seenAt = new Float64Array(capacity);
  }

  /** The slot of a name's sighting, or -1. */
  find(a: number, b: number): number {
    const slot = this.ring.find(a, b);
    return slot !== -1 && this.links[slot] !== undefined ? slot : -1;
  }

  linkAt(slot: number): string {
    return this.links[slot] as string;
  }

  seenAtSlot(slot: number): number {
    return this.seenAt[slot] as number;
  }

  record(a: number, b: number, link: string, now: number): void {
    const known = this.find(a, b);
    if (known !== -1 && this.links[known] === link) {
      // The common case (a PLI every few seconds from the same link): update in place.
      this.seenAt[known] = now;
      return;
    }
    // Moved (or new): the old slot is left behind, the sighting goes to the newest end.
    if (known !== -1) this.links[known] = undefined;
    const ring = this.ring;
    if (ring.count === ring.capacity) {
      this.links[ring.head] = undefined;
      ring.dropOldest();
    }
    const slot = ring.push(a, b);
    this.links[slot] = link;
    this.seenAt[slot] = now;
  }
}

export class DestinationBook {
  private readonly byCallsign: Sightings;
  private readonly byUid: Sightings;
  private readonly print = new Fingerprinter();
  private readonly forgetAfterMs: number;

  constructor(
    private readonly clock: Clock,
    options: DestinationBookOptions = {},
  ) {
    this.forgetAfterMs = options.forgetAfterMs ?? 15 * 60_000;
    const maxEntries = Math.max(1, options.maxEntries ?? 10_000);
    this.byCallsign = new Sightings(maxEntries);
    this.byUid = new Sightings(maxEntries);
  }

  /** Records where a position report came from. */
  learn(event: CotEvent, link: string, at = this.clock.now()): void {
    const print = this.print;
    print.begin().string(event.uid).finish();
    this.byUid.record(print.a, print.b, link, at);
    const callsign = event.contact?.callsign;
    if (callsign) {
      print.begin().string(callsign).finish();
      this.byCallsign.record(print.a, print.b, link, at);
    }
  }

  /** The links where every named recipient was last seen; 'unknown' if any was not seen. */
  linksFor(recipients: Recipients): RecipientLinks {
    const links = new Set<string>();
    const oldest = this.clock.now() - this.forgetAfterMs;
    for (const [book, names] of [
      [this.byCallsign, recipients.callsigns],
      [this.byUid, recipients.uids],
    ] as const) {
      for (const name of names) {
        this.print.begin().string(name).finish();
        const slot = book.find(this.print.a, this.print.b);
        if (slot === -1 || book.seenAtSlot(slot) < oldest) return 'unknown';
        links.add(book.linkAt(slot));
      }
    }
    return links;
  }
}
