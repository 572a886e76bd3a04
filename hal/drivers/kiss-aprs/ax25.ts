/**
 * AX.25 UI frames as APRS uses them (inside a KISS data frame, without flags and FCS):
 * destination, source, 0–8 digipeaters, control 0x03, PID 0xF0, information field.
 *
 * Address entry: 6 callsign characters shifted left one bit, space padded, then an SSID
 * byte: bit 7 C (dest/source) or H "has been repeated" (digipeaters), bits 4–1 SSID,
 * bit 0 set on the last address. Rejects are returned as reasons, never thrown.
 */

export interface Ax25Address {
  /** `N0CALL-9` (no `-0`). */
  call: string;
  /** H bit: a digipeater that has repeated the frame (meaningless for dest/source). */
  repeated: boolean;
}

export interface Ax25Frame {
  destination: Ax25Address;
  source: Ax25Address;
  digipeaters: Ax25Address[];
  /** The information field (APRS payload), as bytes. */
  info: Buffer;
}

export type Ax25Reject = 'short' | 'bad-address' | 'no-address-end' | 'not-ui';

const ADDRESS_BYTES = 7;
const MAX_ADDRESSES = 10; // destination + source + 8 digipeaters
const CONTROL_UI = 0x03;
const PID_NO_LAYER3 = 0xf0;

function decodeAddress(frame: Buffer, offset: number): Ax25Address | undefined {
  let call = '';
  for (let i = 0; i < 6; i++) {
    const byte = frame[offset + i];
    if ((byte & 1) !== 0) return undefined; // the extension bit is only valid in the SSID byte
    const c = byte >> 1;
    if (c === 0x20) continue;
    // Upper-case letters and digits; lower case is seen from buggy encoders and tolerated.
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a))) return undefined;
    call += String.fromCharCode(c);
  }
  if (call === '') return undefined;
  const ssidByte = frame[offset + 6];
  const ssid = (ssidByte >> 1) & 0x0f;
  return { call: ssid === 0 ? call : `${call}-${ssid}`, repeated: (ssidByte & 0x80) !== 0 };
}

export function decodeAx25(frame: Buffer): Ax25Frame | Ax25Reject {
  if (frame.length < ADDRESS_BYTES * 2 + 2) return 'short';
  const addresses: Ax25Address[] = [];
  let offset = 0;
  for (;;) {
    if (addresses.length >= MAX_ADDRESSES || offset + ADDRESS_BYTES > frame.length) return 'no-address-end';
    const address = decodeAddress(frame, offset);
    if (address === undefined) return 'bad-address';
    addresses.push(address);
    const last = (frame[offset + 6] & 1) === 1;
    offset += ADDRESS_BYTES;
    if (last) break;
  }
  if (addresses.length < 2) return 'bad-address';
  if (offset + 2 > frame.length || frame[offset] !== CONTROL_UI || frame[offset + 1] !== PID_NO_LAYER3) return 'not-ui';
  return {
    destination: addresses[0],
    source: addresses[1],
    digipeaters: addresses.slice(2),
    info: frame.subarray(offset + 2),
  };
}

function encodeAddress(out: Buffer, offset: number, call: string, highBit: boolean, last: boolean): void {
  const [base, ssidText] = call.toUpperCase().split('-');
  const ssid = ssidText === undefined ? 0 : Number(ssidText) & 0x0f;
  for (let i = 0; i < 6; i++) out[offset + i] = (i < base.length ? base.charCodeAt(i) : 0x20) << 1;
  out[offset + 6] = (highBit ? 0x80 : 0) | 0x60 | (ssid << 1) | (last ? 1 : 0);
}

/** A UI frame (for the KISS data frame). Calls must be valid AX.25 calls (≤ 6 chars, SSID 0–15). */
export function encodeAx25(destination: string, source: string, digipeaters: string[], info: Buffer): Buffer {
  const addresses = [destination, source, ...digipeaters];
  const out = Buffer.alloc(addresses.length * ADDRESS_BYTES + 2 + info.length);
  addresses.forEach((call, i) => encodeAddress(out, i * ADDRESS_BYTES, call, i === 0, i === addresses.length - 1));
  const at = addresses.length * ADDRESS_BYTES;
  out[at] = CONTROL_UI;
  out[at + 1] = PID_NO_LAYER3;
  info.copy(out, at + 2);
  return out;
}

/** True for a call AX.25 can carry: 1–6 letters/digits, optional -SSID 0–15. */
export function isAx25Call(call: string): boolean {
  return /^[A-Z0-9]{1,6}(-(\d|1[0-5]))?$/i.test(call);
}
