/**
 * A bounded reader for the small zips TAK passes around (connection and data packages).
 * A zip from a stranger is hostile input: the central directory is read with every offset
 * checked against the buffer, entry count and sizes are capped, a member that inflates past
 * its declared size or fails its CRC is refused (a zip bomb cannot lie about its size and
 * still be read), and names that could escape a directory (`..`, absolute, backslash, NUL)
 * refuse the whole file. Nothing here writes anything: callers pick members by name.
 */
import { createRequire } from 'node:module';
import type * as Zlib from 'node:zlib';

let zlibModule: typeof Zlib | undefined;

/** node:zlib on first use: the configuration loader imports this file, a daemon without packages never needs zlib. */
function zlib(): typeof Zlib {
  zlibModule ??= createRequire(import.meta.url)('node:zlib') as typeof Zlib;
  return zlibModule;
}

export interface ZipLimits {
  /** Members at most (a connection package has 3-5). */
  maxEntries: number;
  /** Largest member, inflated. */
  maxEntryBytes: number;
  /** All members together, inflated. */
  maxTotalBytes: number;
  /** Inflated size / compressed size at most, per member. */
  maxRatio: number;
}

export const PACKAGE_LIMITS: ZipLimits = { maxEntries: 64, maxEntryBytes: 1024 * 1024, maxTotalBytes: 4 * 1024 * 1024, maxRatio: 200 };

/** Why a zip was refused; the message is for the user. */
export class ZipRefused extends Error {
  override name = 'ZipRefused';
}

export interface ZipEntry {
  /** The name as stored (forward slashes, never `..`, never absolute). */
  name: string;
  size: number;
  /** The member's bytes; throws ZipRefused when it does not inflate to its declared size and CRC. */
  read(): Buffer;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function refuse(why: string): never {
  throw new ZipRefused(why);
}

/** A member name that is safe to look at; anything else refuses the whole file. */
function checkName(name: string): void {
  if (name === '' || name.length > 255) refuse(`a member name is ${name === '' ? 'empty' : 'longer than 255 characters'}`);
  if (/[\0\\]/.test(name)) refuse(`the member name '${name.replace(/\0/g, '\\0')}' holds a NUL or backslash`);
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) refuse(`the member name '${name}' is an absolute path`);
  if (name.split('/').some((part) => part === '..')) refuse(`the member name '${name}' climbs out of the package (..)`);
}

function findEndRecord(zip: Buffer): number {
  // The end record is 22 bytes plus a comment of at most 65535.
  const stop = Math.max(0, zip.length - 22 - 65535);
  for (let at = zip.length - 22; at >= stop; at--) {
    if (zip.readUInt32LE(at) === EOCD) return at;
  }
  refuse('not a zip file (no end of central directory)');
}

/** Reads the directory of `zip`; members are inflated only when read. Throws ZipRefused. */
export function readZip(zip: Buffer, limits: ZipLimits = PACKAGE_LIMITS): ZipEntry[] {
  if (zip.length < 22) refuse('not a zip file (too short)');
  const end = findEndRecord(zip);
  const count = zip.readUInt16LE(end + 10);
  const dirSize = zip.readUInt32LE(end + 12);
  const dirOffset = zip.readUInt32LE(end + 16);
  if (zip.readUInt16LE(end + 4) !== 0 || zip.readUInt16LE(end + 8) !== count) refuse('multi-volume zips are not supported');
  if (count === 0xffff || dirOffset === 0xffffffff) refuse('zip64 is not supported (a package is small)');
  if (count > limits.maxEntries) refuse(`${count} members, more than the ${limits.maxEntries} allowed`);
  if (dirOffset + dirSize > end) refuse('the central directory lies outside the file');

  const entries: ZipEntry[] = [];
  const names = new Set<string>();
  let total = 0;
  let at = dirOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || zip.readUInt32LE(at) !== CENTRAL) refuse('a damaged central directory');
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const localOffset = zip.readUInt32LE(at + 42);
    if (at + 46 + nameLength + skip > end) refuse('a damaged central directory');
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + skip;
    checkName(name);
    if (names.has(name)) refuse(`the member '${name}' appears twice`);
    names.add(name);
    if (name.endsWith('/')) continue; // a directory: nothing to read
    if (flags & 1) refuse(`the member '${name}' is encrypted`);
    if (method !== 0 && method !== 8) refuse(`the member '${name}' uses compression method ${method} (only stored and deflate)`);
    if (size > limits.maxEntryBytes) refuse(`the member '${name}' is ${size} bytes, more than the ${limits.maxEntryBytes} allowed`);
    if (method === 0 && compressed !== size) refuse(`the stored member '${name}' has two sizes`);
    if (size > 0 && size / Math.max(compressed, 1) > limits.maxRatio) refuse(`the member '${name}' would inflate ${Math.round(size / Math.max(compressed, 1))}-fold (a zip bomb?)`);
    total += size;
    if (total > limits.maxTotalBytes) refuse(`the members add up to more than ${limits.maxTotalBytes} bytes`);
    entries.push({ name, size, read: () => readMember(zip, name, localOffset, dirOffset, method, compressed, size, crc) });
  }
  return entries;
}

function readMember(zip: Buffer, name: string, offset: number, dirOffset: number, method: number, compressed: number, size: number, crc: number): Buffer {
  if (offset + 30 > dirOffset || zip.readUInt32LE(offset) !== LOCAL) refuse(`the member '${name}' has no local header`);
  const start = offset + 30 + zip.readUInt16LE(offset + 26) + zip.readUInt16LE(offset + 28);
  if (start + compressed > dirOffset) refuse(`the member '${name}' runs past its end`);
  const raw = zip.subarray(start, start + compressed);
  let data: Buffer;
  if (method === 0) {
    data = Buffer.from(raw);
  } else {
    try {
      // One byte more than declared: a member that inflates further is lying about its size.
      data = zlib().inflateRawSync(raw, { maxOutputLength: Math.max(size, 1) + 1 });
    } catch (error) {
      refuse(`the member '${name}' does not inflate (${error instanceof RangeError ? 'larger than it says' : 'corrupt data'})`);
    }
  }
  if (data.length !== size) refuse(`the member '${name}' inflates to ${data.length} bytes, not the ${size} it says`);
  if (zlib().crc32(data) !== crc) refuse(`the member '${name}' fails its CRC check`);
  return data;
}
