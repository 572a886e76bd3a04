/**
 * The two detail elements routing reads from `xmlDetail` (which the codec keeps as
 * exact, well-formed text): `<_flow-tags_>` (stripped when relaying, tak-protocol.md
 * §6.3) and `<marti><dest callsign=… uid=…/></marti>` (recipients, §9.1).
 */
const FLOW_TAGS = '_flow-tags_';

/**
 * Removes every `_flow-tags_` element (empty or with content) from a detail fragment.
 * Returns the input unchanged (same string) when it has none.
 */
export function stripFlowTags(fragment: string): string {
  if (!fragment.includes(FLOW_TAGS)) return fragment;
  let out = '';
  let from = 0;
  for (;;) {
    const start = fragment.indexOf(`<${FLOW_TAGS}`, from);
    if (start < 0) break;
    const after = fragment[start + FLOW_TAGS.length + 1];
    if (after !== '>' && after !== '/' && after !== ' ' && after !== '\t' && after !== '\n' && after !== '\r') {
      out += fragment.slice(from, start + 1);
      from = start + 1;
      continue;
    }
    const end = elementEnd(fragment, start);
    out += fragment.slice(from, start);
    from = end;
  }
  return out + fragment.slice(from);
}

/** Index just past the element that opens at `start` (no nesting of the same name expected). */
function elementEnd(fragment: string, start: number): number {
  const tagClose = tagEnd(fragment, start);
  if (tagClose < 0) return fragment.length;
  if (fragment[tagClose - 1] === '/') return tagClose + 1;
  const closing = fragment.indexOf(`</${FLOW_TAGS}`, tagClose);
  if (closing < 0) return fragment.length;
  const close = fragment.indexOf('>', closing);
  return close < 0 ? fragment.length : close + 1;
}

/** Index of the `>` ending the start tag at `start`, skipping quoted attribute values. */
function tagEnd(fragment: string, start: number): number {
  let quote = '';
  for (let i = start + 1; i < fragment.length; i++) {
    const c = fragment[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i;
  }
  return -1;
}

export interface Recipients {
  callsigns: string[];
  uids: string[];
}

const DEST_TAG = /<dest\b([^>]*)>/g;
const ATTRIBUTE = /([A-Za-z_:][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/g;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (whole, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return ENTITIES[name] ?? whole;
  });
}

/** Recipients named in `<marti><dest …/></marti>`; undefined when the event names none. */
export function martiRecipients(fragment: string | undefined): Recipients | undefined {
  if (!fragment || !fragment.includes('<marti')) return undefined;
  const martiStart = fragment.indexOf('<marti');
  const martiEnd = fragment.indexOf('</marti>', martiStart);
  const marti = fragment.slice(martiStart, martiEnd < 0 ? fragment.length : martiEnd);
  const recipients: Recipients = { callsigns: [], uids: [] };
  for (const tag of marti.matchAll(DEST_TAG)) {
    for (const attribute of tag[1].matchAll(ATTRIBUTE)) {
      const value = unescapeXml(attribute[3] ?? attribute[4] ?? '');
      if (value === '') continue;
      if (attribute[1] === 'callsign') recipients.callsigns.push(value);
      else if (attribute[1] === 'uid') recipients.uids.push(value);
    }
  }
  return recipients.callsigns.length + recipients.uids.length > 0 ? recipients : undefined;
}
