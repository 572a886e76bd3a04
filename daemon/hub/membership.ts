/** What a listener is told about its hub: which hub, and whether certificates bind identities. */
import type { Hub } from './hub.js';

export interface HubMembership {
  hub: Hub;
  /** The client certificate's CN must be the uid or callsign the client claims (tls+listen only). */
  bindIdentity: boolean;
}
