/**
 * Who is where: the link each callsign and uid was last seen on, learnt from the position
 * reports that arrive on each link. Used to deliver events that name their recipients
 * (`<marti><dest …/>`) only where those recipients are.
 */
import type { CotEvent } from '../codec/event.js';
import type { Clock } from './clock.js';
import type { Recipients } from './detail-scan.js';
import { detachedString } from './detached-string.js';
import { KeyedFifo } from './keyed-fifo.js';

interface Sighting {
  link: string;
  at: number;
}

export interface DestinationBookOptions {
  /** A sighting older than this no longer counts; default 15 min. */
  forgetAfterMs?: number;
  /** Callsigns and uids remembered at most (each); default 10,000. */
  maxEntries?: number;
}

/** The links to send to, or 'unknown' when a recipient has not been seen anywhere. */
export type RecipientLinks = ReadonlySet<string> | 'unknown';

export class DestinationBook {
  private readonly byCallsign = new KeyedFifo<Sighting>();
  private readonly byUid = new KeyedFifo<Sighting>();
  private readonly forgetAfterMs: number;
  private readonly maxEntries: number;

  constructor(
    private readonly clock: Clock,
    options: DestinationBookOptions = {},
  ) {
    this.forgetAfterMs = options.forgetAfterMs ?? 15 * 60_000;
    this.maxEntries = Math.max(1, options.maxEntries ?? 10_000);
  }

  /** Records where a position report came from. */
  learn(event: CotEvent, link: string): void {
    const at = this.clock.now();
    remember(this.byUid, event.uid, { link, at }, this.maxEntries);
    const callsign = event.contact?.callsign;
    if (callsign) remember(this.byCallsign, callsign, { link, at }, this.maxEntries);
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
        const sighting = book.get(name);
        if (!sighting || sighting.at < oldest) return 'unknown';
        links.add(sighting.link);
      }
    }
    return links;
  }
}

function remember(book: KeyedFifo<Sighting>, key: string, sighting: Sighting, maxEntries: number): void {
  const known = book.get(key);
  if (known && known.link === sighting.link) {
    // The common case (a PLI every few seconds from the same link): update in place.
    known.at = sighting.at;
    return;
  }
  // Delete first so the entry moves to the end: the one not heard from longest is evicted first.
  book.delete(key);
  if (book.size >= maxEntries) book.deleteOldest();
  book.set(detachedString(key), sighting);
}
