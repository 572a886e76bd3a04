// XML escaping for attribute values (always written in double quotes) and text.
// XML 1.0 cannot carry most C0 control characters at all, not even as character
// references; those become U+FFFD so the output stays well-formed.

const NEEDS_ATTR_ESCAPE = /[&<>"'\x00-\x1f\x7f]/;
const NEEDS_TEXT_ESCAPE = /[&<>\x00-\x08\x0b\x0c\x0d\x0e-\x1f\x7f]/;
const ATTR_ESCAPES = /[&<>"'\x00-\x1f\x7f]/g;
const TEXT_ESCAPES = /[&<>\x00-\x08\x0b\x0c\x0d\x0e-\x1f\x7f]/g;

function replacement(ch: string): string {
  switch (ch) {
    case '&':
      return '&amp;';
    case '<':
      return '&lt;';
    case '>':
      return '&gt;';
    case '"':
      return '&quot;';
    case "'":
      return '&apos;';
    // Tab, newline and carriage return survive attribute-value normalisation only as references.
    case '\t':
      return '&#9;';
    case '\n':
      return '&#10;';
    case '\r':
      return '&#13;';
    case '\x7f':
      return '&#127;';
    default:
      return '\ufffd';
  }
}

export function escapeAttribute(value: string): string {
  return NEEDS_ATTR_ESCAPE.test(value) ? value.replace(ATTR_ESCAPES, replacement) : value;
}

export function escapeText(value: string): string {
  return NEEDS_TEXT_ESCAPE.test(value) ? value.replace(TEXT_ESCAPES, replacement) : value;
}

/** Builds one escaped element for an xmlDetail fragment (remarks, link, …). */
export function xmlElement(name: string, attributes: Record<string, string | number | undefined>, text?: string): string {
  let xml = `<${name}`;
  for (const key in attributes) {
    const value = attributes[key];
    if (value !== undefined) xml += ` ${key}="${escapeAttribute(String(value))}"`;
  }
  return text === undefined || text === '' ? `${xml}/>` : `${xml}>${escapeText(text)}</${name}>`;
}
