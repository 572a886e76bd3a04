/** What happened to the events offered to each output, by reason (status.json, /metrics). */
export interface OutputCounters {
  /** Handed to the transport (again, after it gave one back). */
  sent: number;
  /**
   * Given back by the transport: its connection died before the kernel took them. They wait
   * in their lane again (or the durable queue) and are sent again.
   */
  returned: number;
  /** Of those, delivered from the durable queue after an outage. */
  replayed: number;
  /** Position reports replaced by a newer one of the same uid while waiting. */
  coalesced: number;
  /** Past their stale time: dropped, never sent. */
  stale: number;
  /** Had to wait for the link's rate budget. */
  rateLimited: number;
  /** Larger than the link's largest event or burst. */
  tooBig: number;
  /** Written to the durable queue while the link was down or busy. */
  stored: number;
  /** Lost from the durable queue to its byte bound. */
  evicted: number;
  /** Dropped because the in-memory wait list was full and there is no durable queue. */
  overflow: number;
  /** Not taken by this output's filter (type, source, place). */
  filtered: number;
  /** Not sent back out of the link it came from. */
  echo: number;
  /** Addressed (marti dest) to recipients seen on other links. */
  notAddressed: number;
  /** Stored bytes that did not decode back into an event, or the queue failed to write. */
  storeErrors: number;
  /**
   * The transport did not take it: receive-only, dropped at once (a datagram too large or
   * with too many in flight), or not a kind it carries (a radio's `send` choice).
   */
  refused: number;
  /**
   * Times it stopped holding inputs back: up but not drained for 2 s (a peer that stopped
   * reading), so it drops by its own policy instead of slowing every input and output.
   */
  gateReleased: number;
}

export function newOutputCounters(): OutputCounters {
  return {
    sent: 0,
    returned: 0,
    replayed: 0,
    coalesced: 0,
    stale: 0,
    rateLimited: 0,
    tooBig: 0,
    stored: 0,
    evicted: 0,
    overflow: 0,
    filtered: 0,
    echo: 0,
    notAddressed: 0,
    storeErrors: 0,
    refused: 0,
    gateReleased: 0,
  };
}

export interface RouterCounters {
  received: number;
  /** Pings and protocol negotiation: link-local, never relayed. */
  control: number;
  /** Same uid + type + time seen within the de-duplication window. */
  duplicates: number;
  flowTagsStripped: number;
  /** Events naming recipients (marti dest). */
  addressed: number;
  /** Of those, naming a recipient not seen on any link: routed as if unaddressed. */
  addressedToUnknown: number;
}

export function newRouterCounters(): RouterCounters {
  return { received: 0, control: 0, duplicates: 0, flowTagsStripped: 0, addressed: 0, addressedToUnknown: 0 };
}
