/**
 * Writing the PKI's files: whole or not at all (temporary file, fsync, rename), with the
 * mode set at creation so a private key is never readable by others, not even briefly,
 * and owned by the service user when the command runs as root.
 */
import { chownSync, closeSync, existsSync, fchownSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { makeDirSync } from '../../util/make-dir.js';

/** The user the packaged service runs as (packaging/systemd/takd.service). */
export const SERVICE_USER = 'takd';

let owner: { uid: number; gid: number } | null | undefined;

/**
 * Run as root (`sudo takd ca init`), files are handed to the service user when it exists,
 * so the daemon can read its keys and spend tokens; otherwise they stay the caller's.
 */
function serviceOwner(): { uid: number; gid: number } | undefined {
  if (owner === undefined) {
    owner = null;
    if (process.getuid?.() === 0 && existsSync('/etc/passwd')) {
      const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${SERVICE_USER}:`));
      const [, , uid, gid] = line?.split(':') ?? [];
      if (uid !== undefined && gid !== undefined) owner = { uid: Number(uid), gid: Number(gid) };
    }
  }
  return owner ?? undefined;
}

/** Makes a directory of the PKI (0750, the service user's when run as root). */
export function makePkiDir(dir: string): void {
  if (existsSync(dir)) return;
  makeDirSync(dir, 0o750);
  const who = serviceOwner();
  if (who !== undefined) chownSync(dir, who.uid, who.gid);
}

/** Private keys, the user database, packages holding keys. */
export const PRIVATE_MODE = 0o600;
/** Certificates and the revocation list (every listener must read it). */
export const PUBLIC_MODE = 0o644;

export function writeFileAtomic(path: string, data: string | Uint8Array, mode: number): void {
  makePkiDir(dirname(path));
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', mode);
  try {
    const who = serviceOwner();
    if (who !== undefined) fchownSync(fd, who.uid, who.gid);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let at = 0;
    while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(temporary);
    throw error;
  }
  closeSync(fd);
  renameSync(temporary, path);
}
