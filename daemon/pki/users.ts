/**
 * The box's users: who may enroll (a one-time token, stored only as its SHA-256), which
 * certificates were issued to whom, and who was revoked. users.json is 0600; revoked.json
 * (the fingerprints every TLS listener refuses) is world-readable and rewritten on each
 * revocation. Files are replaced whole (rename), read fresh by each caller: the CLI and the
 * running daemon's enrollment server share them, and change users.json only under its lock.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { PRIVATE_MODE, PUBLIC_MODE, withFileLock, writeFileAtomic } from './files.js';
import type { PkiPaths } from './paths.js';

export const USER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const DEFAULT_TOKEN_HOURS = 24;
/** How long a spent token still fetches the profile. */
export const SPENT_TOKEN_MS = 10 * 60_000;

export interface IssuedCert {
  serial: string;
  fingerprint256: string;
  notAfter: string;
  issuedAt: string;
  uid?: string;
}

export interface UserRecord {
  name: string;
  team?: string;
  role?: string;
  createdAt: string;
  /** The pending enrollment token: its SHA-256 (hex) and expiry. Gone once used. */
  token?: { sha256: string; expiresAt: string };
  /** The token just spent: still good for profile/enrollment, which ATAK asks right after signing. */
  spent?: { sha256: string; until: string };
  certs: IssuedCert[];
  revokedAt?: string;
}

export interface RevokedEntry {
  name: string;
  fingerprint256: string;
  serial: string;
  revokedAt: string;
}

export type TokenVerdict = 'ok' | 'unknown-user' | 'wrong-token' | 'no-token' | 'expired' | 'revoked';

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export class UserDb {
  private users = new Map<string, UserRecord>();

  private constructor(private readonly paths: PkiPaths) {}

  /** Reads users.json (empty when absent); throws with the path on a damaged file. */
  static load(paths: PkiPaths): UserDb {
    const db = new UserDb(paths);
    if (!existsSync(paths.users)) return db;
    let parsed: { users?: UserRecord[] };
    try {
      parsed = JSON.parse(readFileSync(paths.users, 'utf8')) as { users?: UserRecord[] };
    } catch (error) {
      throw new Error(`${paths.users}: not readable as JSON (${(error as Error).message})`, { cause: error });
    }
    for (const user of parsed.users ?? []) if (typeof user?.name === 'string') db.users.set(user.name.toLowerCase(), { ...user, certs: Array.isArray(user.certs) ? user.certs : [] });
    return db;
  }

  /**
   * Loads, changes and saves users.json holding its lock: the CLI and the running daemon's
   * enrollment server both write it. Every change goes through here.
   */
  static update<T>(paths: PkiPaths, change: (db: UserDb) => T): T {
    return withFileLock(`${paths.users}.lock`, () => {
      const db = UserDb.load(paths);
      const result = change(db);
      db.save();
      return result;
    });
  }

  private save(): void {
    const users = [...this.users.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
    writeFileAtomic(this.paths.users, `${JSON.stringify({ users }, null, 2)}\n`, PRIVATE_MODE);
  }

  get(name: string): UserRecord | undefined {
    return this.users.get(name.toLowerCase());
  }

  all(): UserRecord[] {
    return [...this.users.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** Adds the user (or renews a token, which also lifts a revocation); returns the token to hand out. */
  add(name: string, options: { team?: string; role?: string; tokenHours?: number; now?: number }): string {
    if (!USER_NAME.test(name)) throw new Error(`'${name.slice(0, 80)}' is not a user name: letters, digits, '.', '_' and '-', at most 64, starting with a letter or digit`);
    const now = options.now ?? Date.now();
    const token = randomBytes(18).toString('base64url');
    const existing = this.get(name);
    const record: UserRecord = existing ?? { name, createdAt: new Date(now).toISOString(), certs: [] };
    if (options.team !== undefined) record.team = options.team;
    if (options.role !== undefined) record.role = options.role;
    delete record.revokedAt;
    record.token = { sha256: sha256(token), expiresAt: new Date(now + (options.tokenHours ?? DEFAULT_TOKEN_HOURS) * 3_600_000).toISOString() };
    this.users.set(name.toLowerCase(), record);
    return token;
  }

  /** Was `token` spent in the last few minutes (profile/enrollment after signing)? */
  recentlySpent(name: string, token: string, now = Date.now()): boolean {
    const user = this.get(name);
    if (user?.spent === undefined || user.revokedAt !== undefined || Date.parse(user.spent.until) <= now) return false;
    return timingSafeEqual(Buffer.from(sha256(token), 'hex'), Buffer.from(user.spent.sha256.padEnd(64, '0').slice(0, 64), 'hex'));
  }

  /** Is `token` the user's pending one? Compared in constant time. */
  verify(name: string, token: string, now = Date.now()): TokenVerdict {
    const user = this.get(name);
    // Hash anyway: an unknown user costs what a known one does.
    const offered = Buffer.from(sha256(token), 'hex');
    if (user === undefined) return 'unknown-user';
    if (user.revokedAt !== undefined) return 'revoked';
    if (user.token === undefined) return 'no-token';
    const match = timingSafeEqual(offered, Buffer.from(user.token.sha256.padEnd(64, '0').slice(0, 64), 'hex'));
    if (!match) return 'wrong-token';
    if (Date.parse(user.token.expiresAt) <= now) return 'expired';
    return 'ok';
  }

  /** Uses the token up and records the certificate it bought. */
  consume(name: string, cert: IssuedCert, now = Date.now()): void {
    const user = this.get(name);
    if (user === undefined) throw new Error(`no user '${name}'`);
    if (user.token !== undefined) user.spent = { sha256: user.token.sha256, until: new Date(now + SPENT_TOKEN_MS).toISOString() };
    delete user.token;
    user.certs.push(cert);
  }

  /** Revokes the user: the pending token is gone and every certificate issued is refused. */
  revoke(name: string, now = Date.now()): IssuedCert[] {
    const user = this.get(name);
    if (user === undefined) throw new Error(`no user '${name}' (takd user list)`);
    user.revokedAt = new Date(now).toISOString();
    delete user.token;
    delete user.spent;
    return user.certs;
  }

  /** Every revoked certificate (of users revoked now or before). */
  revokedEntries(previous: readonly RevokedEntry[]): RevokedEntry[] {
    const out = new Map(previous.map((e) => [e.fingerprint256, e]));
    for (const user of this.users.values()) {
      if (user.revokedAt === undefined) continue;
      for (const cert of user.certs) if (Date.parse(cert.issuedAt) <= Date.parse(user.revokedAt)) out.set(cert.fingerprint256, { name: user.name, fingerprint256: cert.fingerprint256, serial: cert.serial, revokedAt: user.revokedAt });
    }
    return [...out.values()];
  }
}

export function readRevoked(paths: PkiPaths): RevokedEntry[] {
  if (!existsSync(paths.revoked)) return [];
  const parsed = JSON.parse(readFileSync(paths.revoked, 'utf8')) as { revoked?: RevokedEntry[] };
  return Array.isArray(parsed.revoked) ? parsed.revoked : [];
}

export function writeRevoked(paths: PkiPaths, entries: readonly RevokedEntry[]): void {
  writeFileAtomic(paths.revoked, `${JSON.stringify({ revoked: entries }, null, 2)}\n`, PUBLIC_MODE);
}
