/**
 * Revoked client certificates, refused by every TLS listener in one place: the check that
 * listenerCertificateProblem (tls-options.ts) runs at each handshake. A connection whose
 * certificate passes is remembered until it closes, so a revocation that arrives later
 * closes it at once.
 *
 * The list is the PKI's revoked.json (SHA-256 fingerprints), watched by polling its stat:
 * `takd user revoke` needs no signal, no pid and no permission on the daemon, and a stat a
 * few times a second costs nothing. Node's fs.watch would miss the rename that replaces the
 * file on some file systems.
 */
import { readFileSync, unwatchFile, watchFile, type Stats } from 'node:fs';

/** What the check needs of a TLS socket. */
export interface PeerSocket {
  getPeerCertificate(): { fingerprint256?: string; subject?: unknown } | null;
  destroy(): void;
  once(event: 'close', listener: () => void): unknown;
}

const revoked = new Set<string>();
const live = new Map<PeerSocket, string>();
export const revocationCounters = { refused: 0, closed: 0, reloads: 0, badFiles: 0 };

function normalise(fingerprint: string): string {
  return fingerprint.toUpperCase().replace(/[^0-9A-F]/g, '');
}

/** Replaces the revoked set and closes live connections whose certificate is now in it. */
export function setRevokedFingerprints(fingerprints: Iterable<string>): number {
  revoked.clear();
  for (const fingerprint of fingerprints) revoked.add(normalise(fingerprint));
  let closed = 0;
  for (const [socket, fingerprint] of live) {
    if (!revoked.has(fingerprint)) continue;
    live.delete(socket);
    socket.destroy();
    closed++;
  }
  revocationCounters.closed += closed;
  return closed;
}

/** True when the peer's certificate is revoked (counted); otherwise the connection is watched until it closes. */
export function peerRevoked(socket: PeerSocket): boolean {
  const fingerprint = socket.getPeerCertificate()?.fingerprint256;
  if (fingerprint === undefined || fingerprint === '') return false;
  const key = normalise(fingerprint);
  if (revoked.has(key)) {
    revocationCounters.refused++;
    return true;
  }
  if (!live.has(socket)) {
    live.set(socket, key);
    socket.once('close', () => live.delete(socket));
  }
  return false;
}

/** Fingerprints in a revoked.json; throws on a damaged file. */
export function readRevocationFile(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const parsed = JSON.parse(text) as { revoked?: { fingerprint256?: unknown }[] };
  return (parsed.revoked ?? []).map((e) => e.fingerprint256).filter((f): f is string => typeof f === 'string');
}

const watched = new Map<string, number>();

/**
 * Loads the file now and again whenever it changes (polled every `intervalMs`); returns a
 * function that stops watching. A damaged file keeps the previous list (and is reported).
 */
export function watchRevocationFile(path: string, onProblem: (message: string) => void = () => undefined, intervalMs = 250): () => void {
  const load = (): void => {
    try {
      setRevokedFingerprints(readRevocationFile(path));
      revocationCounters.reloads++;
    } catch (error) {
      revocationCounters.badFiles++;
      onProblem(`${path}: ${(error as Error).message}; the previous revocation list stays`);
    }
  };
  load();
  const listener = (current: Stats, previous: Stats): void => {
    if (current.mtimeMs !== previous.mtimeMs || current.ino !== previous.ino || current.size !== previous.size) load();
  };
  watched.set(path, (watched.get(path) ?? 0) + 1);
  watchFile(path, { interval: intervalMs, persistent: false }, listener);
  return () => {
    unwatchFile(path, listener);
    const left = (watched.get(path) ?? 1) - 1;
    if (left <= 0) watched.delete(path);
    else watched.set(path, left);
  };
}
