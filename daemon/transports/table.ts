// The transport table: URL scheme → the row that says all a transport is (contract.ts).
// Adding a transport is one folder under daemon/transports/ (start from _template/) and one
// row here. Nothing else names a transport: the URL parser, the router's roles, config's
// keys and docs, `takd send`/`takd listen` and the daemon read it from its row.
import type { SpecBase, TransportKind } from './contract.js';
import type { TransportOptions } from './options.js';
import type { Transport } from './types.js';
import { templateKind } from './_template/row.js';
import { fileKind, logKind } from './line/row.js';
import { martiKind } from './marti/row.js';
import { mqttKind, mqttsKind } from './mqtt/row.js';
import { tcpKind, tcpListenKind, tlsKind, tlsListenKind } from './stream/row.js';
import { udpKind } from './udp/row.js';
import { wssKind, wssListenKind } from './wss/row.js';

/** Every row, hidden ones (the template) included, in the order help and docs list them. */
export const transportKinds = [
  tcpKind,
  tlsKind,
  tcpListenKind,
  tlsListenKind,
  udpKind,
  wssKind,
  wssListenKind,
  martiKind,
  mqttKind,
  mqttsKind,
  logKind,
  fileKind,
  templateKind,
] as const;

/** A row of any spec type: what the table's readers hold. */
export type RegisteredKind = TransportKind<SpecBase>;

const rows: readonly RegisteredKind[] = transportKinds as unknown as readonly RegisteredKind[];

/** The rows a user may configure, in table order. */
export function userTransportKinds(): RegisteredKind[] {
  return rows.filter((row) => !row.hidden);
}

/**
 * The row for a scheme (`ssl` finds tls), with or without +listen; when the scheme has no
 * row of that kind, its first row (whose parser then refuses the modifier).
 */
export function kindForScheme(base: string, listen: boolean, hidden = false): RegisteredKind | undefined {
  const named = rows.filter((row) => (row.scheme === base || row.aliases?.includes(base) === true) && (hidden || !row.hidden));
  return named.find((row) => row.listens === listen) ?? named[0];
}

/** The row that parsed a spec. */
export function kindOf(spec: SpecBase): RegisteredKind {
  const row = rows.find((r) => r.kinds.includes(spec.kind));
  if (row === undefined) throw new Error(`no transport row makes kind '${spec.kind}'`);
  return row;
}

/** Loads the spec's transport (its code, on first use) and makes it, stopped. */
export async function openTransportKind(spec: SpecBase, options: TransportOptions): Promise<Transport> {
  const module = await kindOf(spec).load();
  return module.create(spec, options);
}
