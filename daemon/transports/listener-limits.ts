/**
 * Who may connect to a listener, and for how long: the limits that keep one address (or a
 * crowd of half-open connections) from locking every phone out.
 *
 * A connection is counted from its first byte of TCP, TLS handshake included, so idle or
 * half-finished connections use up their address's share, not everyone's. Above
 * `maxClients - reserve` only addresses that hold no connection yet get in: a phone joining
 * the Wi-Fi still reaches the box while one address holds the rest.
 */

export interface ListenerLimits {
  /** Connections at most, handshakes included. */
  maxClients: number;
  /** Connections at most from one address. */
  maxPerAddress: number;
  /** The last slots, kept for addresses that hold no connection yet. */
  reserve: number;
  /** TLS handshakes in progress at most, in total and from one address. */
  maxHandshakes: number;
  maxHandshakesPerAddress: number;
  /** A TLS handshake not finished by then is closed. */
  handshakeTimeoutMs: number;
  /** Listeners that receive: a connection's first complete event must arrive by then (0: no deadline). */
  firstEventTimeoutMs: number;
  /** Listeners that receive: an event whose first byte arrived must be complete by then (0: no deadline). */
  eventTimeoutMs: number;
  /** No complete event (a ping counts) for this long: the client is gone (0: never). */
  idleTimeoutMs: number;
  /** Bytes queued towards one client (answers and relayed events) before takd stops reading from it. */
  maxOutboundBytes: number;
  /** A client that reads nothing of what is queued for it for this long is closed. */
  stallTimeoutMs: number;
}

export const LISTENER_LIMIT_DEFAULTS: ListenerLimits = {
  maxClients: 256,
  maxPerAddress: 16,
  reserve: 16,
  maxHandshakes: 64,
  maxHandshakesPerAddress: 8,
  handshakeTimeoutMs: 10_000,
  firstEventTimeoutMs: 30_000,
  eventTimeoutMs: 30_000,
  idleTimeoutMs: 120_000,
  maxOutboundBytes: 512 * 1024,
  stallTimeoutMs: 30_000,
};

/** Why a connection was refused at the door. */
export type RefusalReason = 'full' | 'perAddress' | 'reserve' | 'handshakes';

/** Why an admitted connection was closed by takd. */
export type ClosedReason = 'firstEventTimeout' | 'eventTimeout' | 'idle' | 'slowReader';

/** Why a TLS client did not get through the handshake. */
export type TlsRefusalReason = 'noCertificate' | 'unknownCa' | 'expired' | 'notYetValid' | 'badCertificate' | 'handshakeTimeout' | 'badHandshake' | 'revoked';

const UNKNOWN_CA = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
]);

/** The error code a listener gives the refusal of a revoked client certificate. */
export const REVOKED_CODE = 'ERR_TLS_CERT_REVOKED';

/**
 * Classifies a tlsClientError. Node finishes the handshake before it checks a client
 * certificate, so a rejected certificate shows as a hang-up with the verdict in the
 * socket's `authorizationError`; a missing one fails inside OpenSSL.
 */
export function tlsRefusalReason(errorCode: string | undefined, authorizationError: unknown): TlsRefusalReason {
  if (errorCode === 'ERR_TLS_HANDSHAKE_TIMEOUT') return 'handshakeTimeout';
  // Our own check after the handshake (takd user revoke): the chain itself was good.
  if (errorCode === REVOKED_CODE) return 'revoked';
  if (errorCode === 'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE') return 'noCertificate';
  if (typeof authorizationError === 'string') {
    if (authorizationError === 'CERT_HAS_EXPIRED') return 'expired';
    if (authorizationError === 'CERT_NOT_YET_VALID') return 'notYetValid';
    if (UNKNOWN_CA.has(authorizationError)) return 'unknownCa';
    return 'badCertificate';
  }
  return 'badHandshake';
}

export function resolveListenerLimits(partial: Partial<ListenerLimits> | undefined): ListenerLimits {
  const limits = { ...LISTENER_LIMIT_DEFAULTS, ...partial };
  limits.maxClients = Math.max(1, limits.maxClients);
  limits.maxPerAddress = Math.max(1, Math.min(limits.maxPerAddress, limits.maxClients));
  // A reserve is a small share: a listener for two clients keeps none.
  limits.reserve = Math.max(0, Math.min(limits.reserve, Math.floor(limits.maxClients / 8)));
  return limits;
}

/**
 * The door of one listener (or of several that share their clients, like the hub's):
 * counts connections per address and handshakes in progress, and refusals by reason.
 */
export class ListenerAdmission {
  readonly refused: Record<RefusalReason, number> = { full: 0, perAddress: 0, reserve: 0, handshakes: 0 };
  readonly closed: Record<ClosedReason, number> = { firstEventTimeout: 0, eventTimeout: 0, idle: 0, slowReader: 0 };
  readonly tlsRefused: Record<TlsRefusalReason, number> = {
    noCertificate: 0,
    unknownCa: 0,
    expired: 0,
    notYetValid: 0,
    badCertificate: 0,
    handshakeTimeout: 0,
    badHandshake: 0,
    revoked: 0,
  };
  private readonly perAddress = new Map<string, number>();
  private readonly handshakesPerAddress = new Map<string, number>();
  private total = 0;
  private handshakes = 0;

  constructor(readonly limits: ListenerLimits) {}

  get connections(): number {
    return this.total;
  }

  get handshaking(): number {
    return this.handshakes;
  }

  connectionsFrom(address: string): number {
    return this.perAddress.get(address) ?? 0;
  }

  /** Admits a new connection (counted until `release`), or says why not (counted). */
  admit(address: string, handshake: boolean): RefusalReason | undefined {
    const reason = this.refusal(address, handshake);
    if (reason !== undefined) {
      this.refused[reason] += 1;
      return reason;
    }
    this.total += 1;
    increment(this.perAddress, address);
    if (handshake) {
      this.handshakes += 1;
      increment(this.handshakesPerAddress, address);
    }
    return undefined;
  }

  /** The TLS handshake of an admitted connection finished (or failed). Call once. */
  handshakeDone(address: string): void {
    this.handshakes -= 1;
    decrement(this.handshakesPerAddress, address);
  }

  /** An admitted connection closed. */
  release(address: string): void {
    this.total -= 1;
    decrement(this.perAddress, address);
  }

  private refusal(address: string, handshake: boolean): RefusalReason | undefined {
    const { maxClients, maxPerAddress, reserve, maxHandshakes, maxHandshakesPerAddress } = this.limits;
    if (this.total >= maxClients) return 'full';
    const held = this.perAddress.get(address) ?? 0;
    if (held >= maxPerAddress) return 'perAddress';
    if (held > 0 && this.total >= maxClients - reserve) return 'reserve';
    if (handshake && (this.handshakes >= maxHandshakes || (this.handshakesPerAddress.get(address) ?? 0) >= maxHandshakesPerAddress)) return 'handshakes';
    return undefined;
  }

  /** Counters for status and /metrics, by reason. */
  counters(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [reason, n] of Object.entries(this.refused)) out[`refused.${reason}`] = n;
    for (const [reason, n] of Object.entries(this.closed)) out[`closed.${reason}`] = n;
    for (const [reason, n] of Object.entries(this.tlsRefused)) out[`tlsRefused.${reason}`] = n;
    return out;
  }
}

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function decrement(map: Map<string, number>, key: string): void {
  const n = (map.get(key) ?? 0) - 1;
  if (n > 0) map.set(key, n);
  else map.delete(key);
}
