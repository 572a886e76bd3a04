/**
 * The one vocabulary for the state of a link — a transport, a device source, a supervised
 * component — in code, status.json, /metrics and `takd status`. Each says the detail in
 * its message ("asked the server for TAK protocol 1", "retrying in 9 s: ECONNREFUSED").
 */
export type LinkState =
  | 'starting' // opening, dialling, binding, negotiating
  | 'connected' // up and usable
  | 'retrying' // lost or refused; waiting before the next attempt
  | 'failed' // gave up (a configuration error, or attempts exhausted)
  | 'ended' // a finite input finished (a replay file)
  | 'stopped'; // not started, or closed
