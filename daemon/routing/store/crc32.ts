/** CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), table-driven: zlib.crc32 needs Node 22. */

/**
 * Built on first use, not at load: a daemon that never stores anything should not pay for the
 * 2048-step loop, which V8 compiles with its optimising compiler and so touches megabytes of
 * compiler code that then stay resident.
 */
let table: Uint32Array | undefined;

function buildTable(): Uint32Array {
  const built = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    built[n] = c >>> 0;
  }
  return built;
}

export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const lookup = (table ??= buildTable());
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) crc = lookup[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
