/**
 * The TNC2 text form of an APRS packet, `SRC>DEST,DIGI1,DIGI2*,…:info`: parsed from text
 * lines (APRS-IS, `takd aprs decode` on logs) and written for logs. `*` marks the last
 * digipeater whose H bit is set. Parsing gives the same Ax25Frame shape the KISS path does.
 */
import type { Ax25Address, Ax25Frame } from './ax25.js';

/** `N0CALL-9>APRS,WIDE1-1*:…` from a decoded frame (info as latin1, byte for byte). */
export function toTnc2(frame: Ax25Frame): string {
  let lastRepeated = -1;
  frame.digipeaters.forEach((d, i) => {
    if (d.repeated) lastRepeated = i;
  });
  const path = frame.digipeaters.map((d, i) => (i === lastRepeated ? `${d.call}*` : d.call));
  return `${frame.source.call}>${[frame.destination.call, ...path].join(',')}:${frame.info.toString('latin1')}`;
}

/** Parses one TNC2 line; undefined when it is not one. APRS-IS path entries (qAR, TCPIP*) are kept as they are. */
export function parseTnc2(line: string): Ax25Frame | undefined {
  const colon = line.indexOf(':');
  const gt = line.indexOf('>');
  if (gt < 1 || colon < gt + 2) return undefined;
  const source = line.slice(0, gt);
  const header = line.slice(gt + 1, colon).split(',');
  if (!/^[A-Za-z0-9-]{1,9}$/.test(source) || header.some((h) => h === '' || h.length > 10)) return undefined;
  // H bits: everything up to and including the last starred entry has been repeated.
  const starredAt = header.map((h) => h.endsWith('*')).lastIndexOf(true);
  const digipeaters: Ax25Address[] = header.slice(1).map((h, i) => ({ call: h.replace(/\*$/, ''), repeated: i + 1 <= starredAt }));
  return {
    source: { call: source, repeated: false },
    destination: { call: header[0].replace(/\*$/, ''), repeated: false },
    digipeaters,
    info: Buffer.from(line.slice(colon + 1), 'latin1'),
  };
}
