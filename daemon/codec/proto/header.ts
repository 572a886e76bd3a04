/**
 * TAK protocol v1 header facts and the mesh header reader (spec §2.1).
 */
import { CotDecodeError } from '../errors.js';
import { readVarint } from './varint.js';

export const TAK_MAGIC = 0xbf;
export const SUPPORTED_VERSION = 1;

/** True when a datagram starts like a v1 mesh message (XML never starts with 0xBF). */
export function looksLikeMeshFrame(datagram: Uint8Array): boolean {
  return datagram.length > 0 && datagram[0] === TAK_MAGIC;
}

/** Offset of the TakMessage after a `BF varint(version) BF` header; throws bad-header if it is not a v1 header. */
export function meshPayloadOffset(datagram: Uint8Array): number {
  if (datagram[0] !== TAK_MAGIC) throw new CotDecodeError('bad-header', 'mesh frame does not start with 0xBF', 0);
  const version = readVarint(datagram, 1);
  if (typeof version === 'string') throw new CotDecodeError('bad-header', `mesh header version varint is ${version}`, 1);
  if (datagram[version.next] !== TAK_MAGIC) {
    throw new CotDecodeError('bad-header', 'mesh header lacks the second 0xBF', version.next);
  }
  if (version.value !== SUPPORTED_VERSION) {
    throw new CotDecodeError('bad-header', `unsupported TAK protocol version ${version.value}`, 1);
  }
  return version.next + 1;
}
