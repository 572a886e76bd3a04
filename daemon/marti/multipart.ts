/**
 * A streaming multipart/form-data parser (RFC 7578 over RFC 2046): bytes go in as they
 * arrive, part headers and body chunks come out at once, nothing is held but a tail shorter
 * than the delimiter and one part's header block (bounded). Written as a state machine so a
 * 100 MB upload costs a few kilobytes; every malformation is a MultipartError with a reason.
 */

export class MultipartError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

export interface PartHeaders {
  /** Content-Disposition `name`. */
  name?: string;
  /** Content-Disposition `filename` (taken as given: never used as a path). */
  filename?: string;
  contentType?: string;
}

export interface MultipartHandler {
  partStart(headers: PartHeaders): void;
  partData(chunk: Buffer): void;
  partEnd(): void;
}

export interface MultipartLimits {
  /** Bytes of one part's header block. */
  maxHeaderBytes: number;
  /** Parts in the body. */
  maxParts: number;
  /** Bytes before the first delimiter. */
  maxPreambleBytes: number;
}

export const DEFAULT_MULTIPART_LIMITS: MultipartLimits = { maxHeaderBytes: 8192, maxParts: 16, maxPreambleBytes: 8192 };

/** The boundary of a `multipart/form-data; boundary=…` Content-Type, or undefined. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const [type, ...parameters] = splitParameters(contentType);
  if (type.toLowerCase() !== 'multipart/form-data') return undefined;
  for (const parameter of parameters) {
    const eq = parameter.indexOf('=');
    if (eq < 0 || parameter.slice(0, eq).trim().toLowerCase() !== 'boundary') continue;
    const boundary = unquote(parameter.slice(eq + 1).trim());
    // RFC 2046: 1-70 characters from a restricted set, not ending in a space.
    if (/^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/.test(boundary)) return boundary;
    return undefined;
  }
  return undefined;
}

/** `a; b="x;y"; c` → ['a', 'b="x;y"', 'c'] (semicolons inside quotes kept). */
function splitParameters(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '\\' && i + 1 < text.length) {
      current += c + text[++i];
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ';' && !quoted) {
      out.push(current.trim());
      current = '';
    } else {
      current += c;
    }
  }
  out.push(current.trim());
  return out;
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) return value.slice(1, -1).replace(/\\(.)/g, '$1');
  return value;
}

function parsePartHeaders(block: string): PartHeaders {
  const headers: PartHeaders = {};
  for (const line of block.split('\r\n')) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new MultipartError('part header without a colon');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-disposition') {
      const [kind, ...parameters] = splitParameters(value);
      if (kind.toLowerCase() !== 'form-data') throw new MultipartError('part is not form-data');
      for (const parameter of parameters) {
        const eq = parameter.indexOf('=');
        if (eq < 0) continue;
        const key = parameter.slice(0, eq).trim().toLowerCase();
        const text = unquote(parameter.slice(eq + 1).trim());
        if (key === 'name') headers.name = text;
        else if (key === 'filename') headers.filename = text;
      }
    } else if (name === 'content-type') {
      headers.contentType = value;
    }
  }
  return headers;
}

const CRLF = Buffer.from('\r\n');
const DASHES = Buffer.from('--');
const HEADER_END = Buffer.from('\r\n\r\n');

type State = 'preamble' | 'after-delimiter' | 'headers' | 'body' | 'done';

export class MultipartParser {
  private state: State = 'preamble';
  /** `\r\n--boundary`: every delimiter, the first one included (a virtual CRLF starts the body). */
  private readonly delimiter: Buffer;
  /** Bytes seen but not yet decided on (shorter than a delimiter, or a header block). */
  private pending: Buffer = CRLF;
  private preambleBytes = 0;
  private parts = 0;
  private inPart = false;

  constructor(boundary: string, private readonly handler: MultipartHandler, private readonly limits: MultipartLimits = DEFAULT_MULTIPART_LIMITS) {
    this.delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
  }

  get finished(): boolean {
    return this.state === 'done';
  }

  /** Feeds bytes; throws MultipartError. Bytes after the closing delimiter are ignored. */
  write(chunk: Buffer): void {
    if (this.state === 'done') return;
    let buffer = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    this.pending = Buffer.alloc(0);
    for (;;) {
      const rest = this.step(buffer);
      if (rest === undefined) return;
      buffer = rest;
    }
  }

  /** The body ended; throws MultipartError unless the closing delimiter was seen. */
  end(): void {
    if (this.state !== 'done') throw new MultipartError('body cut short');
  }

  /** One state's work on `buffer`; returns what is left to parse, or undefined to wait for more. */
  private step(buffer: Buffer): Buffer | undefined {
    switch (this.state) {
      case 'preamble': {
        const at = buffer.indexOf(this.delimiter);
        if (at < 0) {
          const keep = Math.min(buffer.length, this.delimiter.length - 1);
          this.preambleBytes += buffer.length - keep;
          if (this.preambleBytes > this.limits.maxPreambleBytes) throw new MultipartError('no boundary at the start of the body');
          this.pending = buffer.subarray(buffer.length - keep);
          return undefined;
        }
        this.preambleBytes += at;
        if (this.preambleBytes > this.limits.maxPreambleBytes) throw new MultipartError('no boundary at the start of the body');
        this.state = 'after-delimiter';
        return buffer.subarray(at + this.delimiter.length);
      }
      case 'after-delimiter': {
        // `--` closes the body; otherwise optional spaces/tabs (transport padding), then CRLF.
        if (buffer.length < 2) return this.wait(buffer);
        if (buffer[0] === DASHES[0] && buffer[1] === DASHES[1]) {
          this.state = 'done';
          return undefined;
        }
        let i = 0;
        while (i < buffer.length && (buffer[i] === 0x20 || buffer[i] === 0x09)) i++;
        if (i > 64) throw new MultipartError('bad delimiter line');
        if (buffer.length < i + 2) return this.wait(buffer);
        if (buffer[i] !== 0x0d || buffer[i + 1] !== 0x0a) throw new MultipartError('bad delimiter line');
        this.parts++;
        if (this.parts > this.limits.maxParts) throw new MultipartError(`more than ${this.limits.maxParts} parts`);
        this.state = 'headers';
        return buffer.subarray(i + 2);
      }
      case 'headers': {
        // An empty header block is a lone CRLF.
        let end: number;
        let skip: number;
        if (buffer.length >= 2 && buffer[0] === 0x0d && buffer[1] === 0x0a) {
          end = 0;
          skip = 2;
        } else {
          end = buffer.indexOf(HEADER_END);
          skip = 4;
        }
        if (end < 0) {
          if (buffer.length > this.limits.maxHeaderBytes) throw new MultipartError('part headers too large');
          return this.wait(buffer);
        }
        if (end > this.limits.maxHeaderBytes) throw new MultipartError('part headers too large');
        const headers = parsePartHeaders(buffer.subarray(0, end).toString('latin1'));
        this.state = 'body';
        this.inPart = true;
        this.handler.partStart(headers);
        return buffer.subarray(end + skip);
      }
      case 'body': {
        const at = buffer.indexOf(this.delimiter);
        if (at < 0) {
          // Everything but a tail that could be the start of a delimiter is part data.
          const safe = buffer.length - (this.delimiter.length - 1);
          if (safe > 0) this.handler.partData(buffer.subarray(0, safe));
          this.pending = Buffer.from(buffer.subarray(Math.max(0, safe)));
          return undefined;
        }
        if (at > 0) this.handler.partData(buffer.subarray(0, at));
        this.inPart = false;
        this.handler.partEnd();
        this.state = 'after-delimiter';
        return buffer.subarray(at + this.delimiter.length);
      }
      case 'done':
        return undefined;
    }
  }

  private wait(buffer: Buffer): undefined {
    this.pending = Buffer.from(buffer);
    return undefined;
  }

  /** True while a part's body is being delivered (for callers that abort mid-part). */
  get inside(): boolean {
    return this.inPart;
  }
}
