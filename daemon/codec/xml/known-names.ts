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

/** Longest known name; longer names are never constants. */
const MAX_LENGTH = Math.max(...NAMES.map((name) => name.length));

/** Candidates by shape (length × 128 + first character code): an array index, not a Map lookup. */
const BY_SHAPE: (string[] | undefined)[] = new Array<string[] | undefined>((MAX_LENGTH + 1) * 128).fill(undefined);
for (const name of NAMES) (BY_SHAPE[name.length * 128 + name.charCodeAt(0)] ??= []).push(name);

/** s.slice(from, to), as one of the constants above when it is one of those names. */
export function nameAt(s: string, from: number, to: number): string {
  const length = to - from;
  const first = s.charCodeAt(from);
  if (length <= MAX_LENGTH && first < 128) {
    const bucket = BY_SHAPE[length * 128 + first];
    if (bucket !== undefined) {
      for (const name of bucket) if (sameAt(s, from, name)) return name;
    }
  }
  return s.slice(from, to);
}

/** s has `name` at `at`; its length and first character are checked already. A loop the compiler inlines (startsWith is a call). */
function sameAt(s: string, at: number, name: string): boolean {
  for (let k = 1; k < name.length; k++) if (s.charCodeAt(at + k) !== name.charCodeAt(k)) return false;
  return true;
}
