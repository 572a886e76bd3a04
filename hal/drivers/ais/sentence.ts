/**
 * The AIS sentence layer: `!AIVDM,count,number,seqid,channel,payload,fill*hh`.
 *
 * Parses one line (as the line framer hands it over, without CR LF) into its fields, with
 * the checksum verified here rather than in the framer: receivers such as AIS-catcher and
 * some base stations append extra comma fields after `*hh`, which a framer that expects the
 * checksum at the very end would reject. An NMEA 4.10 tag block (`\s:x,c:123*hh\`) before
 * the `!` is skipped. Returns a reason string instead of throwing on bad input.
 */

export interface AisFragment {
  /** `AIVDM`, `AIVDO`, `BSVDM`, … (talker + sentence type). */
  talker: string;
  /** True for VDO (own vessel). */
  own: boolean;
  count: number;
  number: number;
  /** Sequence id 0..9, or -1 when empty (single-fragment messages). */
  sequenceId: number;
  /** Radio channel as sent (`A`, `B`, `1`, `2` or ''). */
  channel: string;
  /** The whole line, and where the armoured payload sits in it. */
  line: string;
  payloadStart: number;
  payloadEnd: number;
  fill: number;
}

export type SentenceReject = 'not-ais' | 'bad-checksum' | 'no-checksum' | 'bad-field';

function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

/** A one-digit decimal field between two commas, or -1. */
function digitField(line: string, start: number, end: number): number {
  if (end - start !== 1) return -1;
  const code = line.charCodeAt(start);
  return code >= 48 && code <= 57 ? code - 48 : -1;
}

export function parseAisSentence(input: string): AisFragment | SentenceReject {
  let line = input;
  if (line.charCodeAt(0) === 0x5c /* \ */) {
    const close = line.indexOf('\\', 1);
    if (close < 0) return 'bad-field';
    line = line.slice(close + 1);
  }
  // `!` + 2-char talker + `VDM`/`VDO` + `,`
  if (line.length < 12 || line.charCodeAt(0) !== 0x21 || line.charCodeAt(6) !== 0x2c) return 'not-ais';
  const sentence = line.slice(3, 6);
  if (sentence !== 'VDM' && sentence !== 'VDO') return 'not-ais';
  const star = line.indexOf('*', 7);
  if (star < 0 || star + 2 >= line.length) return 'no-checksum';
  let sum = 0;
  for (let i = 1; i < star; i++) sum ^= line.charCodeAt(i);
  const high = hexDigit(line.charCodeAt(star + 1));
  const low = hexDigit(line.charCodeAt(star + 2));
  if (high < 0 || low < 0) return 'no-checksum';
  if (sum !== high * 16 + low) return 'bad-checksum';

  // Six comma-separated fields after the sentence name, the last one up to the `*`.
  const commas: number[] = [6];
  for (let i = 7; i < star && commas.length < 7; i++) if (line.charCodeAt(i) === 0x2c) commas.push(i);
  if (commas.length !== 6) return 'bad-field';
  const count = digitField(line, commas[0] + 1, commas[1]);
  const number = digitField(line, commas[1] + 1, commas[2]);
  const sequenceId = commas[3] === commas[2] + 1 ? -1 : digitField(line, commas[2] + 1, commas[3]);
  const fill = star === commas[5] + 1 ? 0 : digitField(line, commas[5] + 1, star); // some receivers leave it empty
  if (count < 1 || number < 1 || number > count || fill < 0 || fill > 5) return 'bad-field';
  if (sequenceId === -1 && commas[3] !== commas[2] + 1) return 'bad-field';
  if (commas[5] - commas[4] - 1 > 200) return 'bad-field';
  return {
    talker: line.slice(1, 6),
    own: sentence === 'VDO',
    count,
    number,
    sequenceId,
    channel: line.slice(commas[3] + 1, commas[4]),
    line,
    payloadStart: commas[4] + 1,
    payloadEnd: commas[5],
    fill,
  };
}
