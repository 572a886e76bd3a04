/**
 * The APRS information field by its data type identifier (first byte): positions with and
 * without timestamps, objects, items and Mic-E are decoded; third-party packets (`}`) are
 * unwrapped and decoded recursively; every other type is named so it can be counted and
 * skipped. Spec §2.4–§2.9.
 */
import type { Ax25Frame } from './ax25.js';
import { parseMicE } from './mic-e.js';
import type { AprsPacket } from './packet.js';
import { parsePosition, type PositionFields } from './position.js';
import { parseTnc2, toTnc2 } from './tnc2.js';

/** Why a packet made no position: the DTI's name (counted per name), or a parse failure. */
export type InfoSkip =
  | 'message' | 'status' | 'telemetry' | 'weather' | 'capabilities' | 'query' | 'nmea' | 'user-defined' | 'test'
  | 'other-type' | 'empty' | 'bad-position' | 'bad-object' | 'bad-timestamp' | 'third-party-loop';

const SKIPPED_TYPES: Record<string, InfoSkip> = {
  ':': 'message', '>': 'status', T: 'telemetry', _: 'weather', '<': 'capabilities', '?': 'query', $: 'nmea',
  '{': 'user-defined', ',': 'test', '#': 'weather', '*': 'weather', '[': 'other-type',
};

/** A 7-character APRS timestamp: DHM zulu `z`, DHM local `/`, HMS zulu `h`. */
function isTimestamp(text: string): boolean {
  return /^\d{6}[zh/]$/.test(text);
}

function withPosition(base: Omit<AprsPacket, keyof PositionFields>, position: PositionFields): AprsPacket {
  return { ...base, ...position } as AprsPacket;
}

function header(frame: Ax25Frame, kind: AprsPacket['kind']): Omit<AprsPacket, keyof PositionFields> {
  const raw = toTnc2(frame);
  // The path as TNC2 writes it: the text between the destination and the colon.
  const pathText = raw.slice(frame.source.call.length + 1 + frame.destination.call.length, raw.length - frame.info.length - 1);
  const path = pathText === '' ? [] : pathText.slice(1).split(',');
  const base: Omit<AprsPacket, keyof PositionFields> = { raw, from: frame.source.call, to: frame.destination.call, path, kind };
  for (let i = frame.digipeaters.length - 1; i >= 0; i--) {
    if (frame.digipeaters[i].repeated) {
      base.via = frame.digipeaters[i].call;
      break;
    }
  }
  return base;
}

export function decodeInfo(frame: Ax25Frame, depth = 0): AprsPacket | InfoSkip {
  const info = frame.info.toString('latin1');
  if (info.length === 0) return 'empty';
  const dti = info[0];
  switch (dti) {
    case '!':
    case '=': {
      const position = parsePosition(info, 1);
      if (position === undefined) return 'bad-position';
      return withPosition({ ...header(frame, 'position'), messagecapable: dti === '=' }, position);
    }
    case '/':
    case '@': {
      const timestamp = info.slice(1, 8);
      if (!isTimestamp(timestamp)) return 'bad-timestamp';
      const position = parsePosition(info, 8);
      if (position === undefined) return 'bad-position';
      return withPosition({ ...header(frame, 'position'), messagecapable: dti === '@', timestamp }, position);
    }
    case ';': {
      // name (9) · `*` live / `_` killed · timestamp (7) · position
      const name = info.slice(1, 10);
      const state = info[10];
      const timestamp = info.slice(11, 18);
      if (name.length !== 9 || (state !== '*' && state !== '_')) return 'bad-object';
      if (!isTimestamp(timestamp)) return 'bad-timestamp';
      const position = parsePosition(info, 18);
      if (position === undefined) return 'bad-position';
      return withPosition({ ...header(frame, 'object'), object_name: name.trimEnd(), alive: state === '*', timestamp }, position);
    }
    case ')': {
      // name (3–9, no `!`/`_`) · `!` live / `_` killed · position
      const match = /^\)([^!_]{3,9})([!_])/.exec(info);
      if (match === null) return 'bad-object';
      const position = parsePosition(info, match[0].length);
      if (position === undefined) return 'bad-position';
      return withPosition({ ...header(frame, 'item'), object_name: match[1], alive: match[2] === '!' }, position);
    }
    case '`':
    case "'": {
      const micE = parseMicE(frame.destination.call, info);
      if (micE === undefined) return 'bad-position';
      return withPosition(header(frame, 'mic-e'), micE);
    }
    case '}': {
      // Third-party: the rest is a TNC2 packet whose source is the real originator.
      if (depth >= 2) return 'third-party-loop';
      const inner = parseTnc2(info.slice(1));
      return inner === undefined ? 'other-type' : decodeInfo(inner, depth + 1);
    }
    default: {
      const skip = SKIPPED_TYPES[dti];
      if (skip !== undefined) return skip;
      // APRS101: an unknown DTI with a `!` in the first 40 characters: the position starts there.
      const bang = info.indexOf('!');
      if (bang > 0 && bang < 40) {
        const position = parsePosition(info, bang + 1);
        if (position !== undefined) return withPosition({ ...header(frame, 'position'), messagecapable: false }, position);
      }
      return 'other-type';
    }
  }
}
