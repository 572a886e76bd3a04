/**
 * Who may use the HTTP endpoint: anyone who reaches a loopback address; off loopback (or
 * with `[status] require_token = yes`) only a request carrying the bearer token from
 * `[status] token_file` (GET /health stays open for monitoring). Every client address has
 * a request budget per minute (429 past it).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isIP } from 'node:net';
import { makeDirSync } from '../../util/make-dir.js';

/** `$STATE_DIRECTORY/console.token`, else /var/lib/takd/console.token. */
export function defaultTokenFile(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.STATE_DIRECTORY?.split(':')[0] || '/var/lib/takd';
  return join(state, 'console.token');
}

/** Reads the token file; creates it (0600, 32 random bytes as hex) when missing or `renew`. */
export function ensureToken(file: string, renew = false): { token: string; created: boolean } {
  if (!renew) {
    try {
      const token = readFileSync(file, 'utf8').trim();
      if (token.length >= 16) return { token, created: false };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  const token = randomBytes(32).toString('hex');
  makeDirSync(dirname(file), 0o700);
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, created: true };
}

export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/** Whether a bearer header carries the token (constant time in the token's length). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1] ?? '');
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** Requests per minute per client address, a token bucket each; idle buckets are forgotten. */
export class ClientRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly burst: number;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
    private readonly maxClients = 4096,
  ) {
    this.burst = Math.max(10, Math.floor(perMinute / 10));
  }

  /** 0 when the request may go, else the seconds to wait. */
  take(client: string): number {
    const now = this.now();
    const perMs = this.perMinute / 60_000;
    let bucket = this.buckets.get(client);
    if (bucket === undefined) {
      if (this.buckets.size >= this.maxClients) this.forgetFull(now);
      bucket = { tokens: this.burst, at: now };
      this.buckets.set(client, bucket);
    }
    bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
  }

  private forgetFull(now: number): void {
    for (const [client, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * (this.perMinute / 60_000) >= this.burst) this.buckets.delete(client);
    }
    if (this.buckets.size >= this.maxClients) this.buckets.delete(this.buckets.keys().next().value as string);
  }
}
