/**
 * What the data-package server needs from the CoT hub: the phones connected now, for
 * `GET /Marti/api/clientEndPoints`. The hub (daemon/hub/) implements it; without a hub the
 * list is empty.
 */
export interface ClientEndpoint {
  uid: string;
  callsign: string;
  /** Epoch milliseconds of the client's last event. */
  lastEventTime: number;
  /** The certificate subject or login, when known. */
  username?: string;
  /** Defaults to true: the hub lists connected clients. */
  connected?: boolean;
}

export interface ClientDirectory {
  clients(): readonly ClientEndpoint[];
}

export const NO_CLIENTS: ClientDirectory = { clients: () => [] };
