/**
 * Strings from the decoder are often V8 "sliced strings": views into the whole event's
 * text. Kept as a map key for minutes (de-duplication, the destination book), such a view
 * keeps the full ~700-byte event alive; twenty thousand keys then hold megabytes of XML.
 * This returns an equal string that owns its characters: concatenation makes a new
 * string, and slicing it (V8 flattens before slicing) leaves nothing pointing at the event.
 */
export function detachedString(s: string): string {
  return ` ${s}`.slice(1);
}
