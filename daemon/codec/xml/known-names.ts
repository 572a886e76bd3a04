import { isNameChar } from './subset.js';

// Element and attribute names that CoT senders write in every event. The quick parser
// returns these constants instead of slicing a new string for each name: a sliced name
// used as an object key or Map key must first be hashed and looked up in V8's string
// table, and that lookup was the single hottest line of the decoder.
const NAMES = [
  // event and point
  'event', 'version', 'uid', 'type', 'how', 'time', 'start', 'stale', 'access', 'qos', 'opex', 'caveat', 'releasableTo',
  'point', 'lat', 'lon', 'hae', 'ce', 'le', 'detail',
  // typed detail elements and their attributes
  'contact', 'callsign', 'endpoint', 'phone', '__group', 'name', 'role', 'takv', 'device', 'platform', 'os',
  'status', 'battery', 'track', 'speed', 'course', 'precisionlocation', 'geopointsrc', 'altsrc',
  // common untyped detail elements
  'Droid', 'link', 'relation', 'production_time', 'parent_callsign', 'remarks', 'source', 'to', 'usericon', 'iconsetpath',
  'color', 'argb', 'marti', 'dest', '__chat', 'chatroom', 'id', 'senderCallsign', 'groupOwner', 'chatgrp', 'user0', 'user1',
  'archive', '_flow-tags_', 'emergency', 'strokeColor', 'strokeWeight', 'fillColor', 'labels_on', 'height', 'width',
];

/** Candidates by first character code (all names are ASCII). */
const BY_FIRST: (string[] | undefined)[] = new Array<string[] | undefined>(128).fill(undefined);
for (const name of NAMES) (BY_FIRST[name.charCodeAt(0)] ??= []).push(name);

/**
 * The known name that starts at s[from] and ends there (the next character cannot
 * continue a name), as its constant; undefined when the name there is not a known one.
 * It reads the name once, comparing it with the few known names of the same first
 * letter, instead of finding its end first and then looking it up.
 */
export function knownNameAt(s: string, from: number): string | undefined {
  const first = s.charCodeAt(from);
  const bucket = first < 128 ? BY_FIRST[first] : undefined;
  if (bucket === undefined) return undefined;
  for (const name of bucket) {
    if (sameAt(s, from, name) && !isNameChar(s.charCodeAt(from + name.length))) return name;
  }
  return undefined;
}

/** s has `name` at `at`; its first character is checked already. A loop the compiler inlines (startsWith is a call). */
function sameAt(s: string, at: number, name: string): boolean {
  for (let k = 1; k < name.length; k++) if (s.charCodeAt(at + k) !== name.charCodeAt(k)) return false;
  return true;
}
