/**
 * The data-package store: one directory, each package as two files named by its sha256 —
 * `HASH` (the bytes) and `HASH.json` (its metadata). Nothing is ever named from a request.
 *
 * An upload streams into `.upload-RANDOM.tmp` while its sha256 is computed, is fsync'ed and
 * renamed to `HASH`; then the metadata is written the same way (`.HASH.json-RANDOM.tmp` →
 * `HASH.json`) and the directory fsync'ed. A package exists once its metadata does: at open,
 * temporaries are removed, bytes without metadata are removed, and the index is rebuilt
 * from the metadata files (checked against the size on disk).
 */
import { createHash, randomBytes, randomUUID, type Hash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { makeDirSync } from '../../util/make-dir.js';

export const HASH_PATTERN = /^[0-9a-f]{64}$/;

export type Tool = 'public' | 'private';

export interface PackageMeta {
  uid: string;
  hash: string;
  /** As given by the uploader (for Content-Disposition and search); never a path. */
  name: string;
  size: number;
  mimeType: string;
  keywords: string[];
  creatorUid: string;
  submissionUser: string;
  /** ISO time. */
  submissionTime: string;
  tool: Tool;
}

export class StoreError extends Error {
  constructor(
    /** HTTP status and counter reason. */
    readonly status: 400 | 413 | 500 | 507,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

export interface StoreLimits {
  maxFileSize: number;
  quota: number;
}

/** A file being received: write, then commit (or abort). */
export class Upload {
  readonly hash: Hash = createHash('sha256');
  bytes = 0;
  private done = false;

  constructor(private readonly store: PackageStore, readonly tempPath: string, private readonly handle: FileHandle) {}

  /** Appends bytes; throws StoreError 413/507 as soon as a limit is passed (nothing more is written). */
  async write(chunk: Buffer): Promise<void> {
    if (this.done) throw new StoreError(500, 'internal', 'upload already finished');
    const next = this.bytes + chunk.length;
    if (next > this.store.limits.maxFileSize) throw new StoreError(413, 'too-large', `file larger than max_file_size (${this.store.limits.maxFileSize} bytes)`);
    if (!this.store.reserve(chunk.length)) throw new StoreError(507, 'quota', `the package store is full (quota ${this.store.limits.quota} bytes)`);
    this.bytes = next;
    this.hash.update(chunk);
    let offset = 0;
    while (offset < chunk.length) {
      const { bytesWritten } = await this.handle.write(chunk, offset, chunk.length - offset);
      offset += bytesWritten;
    }
  }

  /** fsync, check the hash (when given), rename to its hash; returns the stored metadata. */
  async commit(expectedHash: string | undefined, meta: Omit<PackageMeta, 'hash' | 'size'>): Promise<{ meta: PackageMeta; duplicate: boolean }> {
    this.done = true;
    const hash = this.hash.digest('hex');
    try {
      await this.handle.sync();
      await this.handle.close();
      if (expectedHash !== undefined && expectedHash !== hash) throw new StoreError(400, 'hash-mismatch', `the body's sha256 is ${hash}, not the hash given`);
      return await this.store.adopt(this, hash, meta);
    } catch (error) {
      await this.abort();
      throw error;
    } finally {
      this.store.release(this);
    }
  }

  async abort(): Promise<void> {
    if (!this.done) {
      this.done = true;
      this.store.release(this);
    }
    await this.handle.close().catch(() => undefined);
    await rm(this.tempPath, { force: true }).catch(() => undefined);
  }
}

export class PackageStore {
  private readonly byHash = new Map<string, PackageMeta>();
  private used = 0;
  /** Bytes of uploads in progress (counted against the quota as they arrive). */
  private reserved = 0;
  private readonly inFlight = new Set<Upload>();
  /** Uploads being moved under their hash. */
  private readonly adopting = new Map<string, Promise<void>>();
  /** Metadata writes in progress per hash (serialised). */
  private readonly writing = new Map<string, Promise<void>>();

  constructor(readonly dir: string, readonly limits: StoreLimits) {}

  /** Creates the directory, removes temporaries and orphans, rebuilds the index. Synchronous: runs once at start. */
  open(): { packages: number; removed: number } {
    makeDirSync(this.dir, 0o750);
    this.byHash.clear();
    this.used = 0;
    let removed = 0;
    const names = readdirSync(this.dir);
    const metas = new Set(names.filter((n) => n.endsWith('.json') && HASH_PATTERN.test(n.slice(0, -5))).map((n) => n.slice(0, -5)));
    for (const name of names) {
      const path = join(this.dir, name);
      if (name.startsWith('.') && name.endsWith('.tmp')) {
        rmSync(path, { force: true });
        removed++;
      } else if (HASH_PATTERN.test(name) && !metas.has(name)) {
        // Bytes whose metadata was never written: the upload was never answered.
        rmSync(path, { force: true });
        removed++;
      }
    }
    for (const hash of metas) {
      const meta = this.readMeta(hash);
      if (meta === undefined) {
        rmSync(join(this.dir, `${hash}.json`), { force: true });
        rmSync(join(this.dir, hash), { force: true });
        removed++;
        continue;
      }
      this.byHash.set(hash, meta);
      this.used += meta.size;
    }
    return { packages: this.byHash.size, removed };
  }

  private readMeta(hash: string): PackageMeta | undefined {
    try {
      const meta = JSON.parse(readFileSync(join(this.dir, `${hash}.json`), 'utf8')) as PackageMeta;
      if (meta.hash !== hash || typeof meta.size !== 'number') return undefined;
      if (statSync(join(this.dir, hash)).size !== meta.size) return undefined;
      return meta;
    } catch {
      return undefined;
    }
  }

  get count(): number {
    return this.byHash.size;
  }

  get usedBytes(): number {
    return this.used;
  }

  get uploadsInProgress(): number {
    return this.inFlight.size;
  }

  /** Would `bytes` more fit in the quota now? */
  fits(bytes: number): boolean {
    return this.used + this.reserved + bytes <= this.limits.quota;
  }

  reserve(bytes: number): boolean {
    if (!this.fits(bytes)) return false;
    this.reserved += bytes;
    return true;
  }

  release(upload: Upload): void {
    if (this.inFlight.delete(upload)) this.reserved -= upload.bytes;
  }

  get(hash: string): PackageMeta | undefined {
    return this.byHash.get(hash);
  }

  byUid(uid: string): PackageMeta | undefined {
    for (const meta of this.byHash.values()) if (meta.uid === uid) return meta;
    return undefined;
  }

  all(): PackageMeta[] {
    return [...this.byHash.values()];
  }

  path(meta: PackageMeta): string {
    return join(this.dir, meta.hash);
  }

  async begin(): Promise<Upload> {
    const tempPath = join(this.dir, `.upload-${randomBytes(8).toString('hex')}.tmp`);
    const handle = await open(tempPath, 'wx', 0o640);
    const upload = new Upload(this, tempPath, handle);
    this.inFlight.add(upload);
    return upload;
  }

  /** Moves a finished upload under its hash; an existing package of that hash is kept as it is. */
  async adopt(upload: Upload, hash: string, fields: Omit<PackageMeta, 'hash' | 'size'>): Promise<{ meta: PackageMeta; duplicate: boolean }> {
    // The same file uploaded twice at once: the second waits for the first and keeps its metadata.
    const pending = this.adopting.get(hash);
    if (pending !== undefined) await pending.catch(() => undefined);
    const existing = this.byHash.get(hash);
    if (existing !== undefined) {
      await rm(upload.tempPath, { force: true });
      return { meta: existing, duplicate: true };
    }
    const meta: PackageMeta = { ...fields, hash, size: upload.bytes };
    const adopting = (async () => {
      await rename(upload.tempPath, join(this.dir, hash));
      await this.writeMeta(meta);
      // The bytes count against `used` from here; the reservation is released by the caller.
      this.byHash.set(hash, meta);
      this.used += meta.size;
    })();
    this.adopting.set(hash, adopting);
    try {
      await adopting;
    } finally {
      if (this.adopting.get(hash) === adopting) this.adopting.delete(hash);
    }
    return { meta, duplicate: false };
  }

  async setTool(hash: string, tool: Tool): Promise<PackageMeta | undefined> {
    const meta = this.byHash.get(hash);
    if (meta === undefined) return undefined;
    const next = { ...meta, tool };
    await this.writeMeta(next);
    this.byHash.set(hash, next);
    return next;
  }

  private async writeMeta(meta: PackageMeta): Promise<void> {
    const previous = this.writing.get(meta.hash) ?? Promise.resolve();
    const write = previous.then(async () => {
      const temp = join(this.dir, `.${meta.hash}.json-${randomBytes(6).toString('hex')}.tmp`);
      const handle = await open(temp, 'wx', 0o640);
      try {
        await handle.writeFile(`${JSON.stringify(meta)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, join(this.dir, `${meta.hash}.json`));
      await syncDirectory(this.dir);
    });
    this.writing.set(meta.hash, write.catch(() => undefined));
    await write;
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic.
  } finally {
    await handle.close();
  }
}

export function newUid(): string {
  return randomUUID();
}
