// The Marti upload body (multipart/form-data): multipartBoundary on a Content-Type line,
// then MultipartParser fed the rest as it arrives. Only MultipartError is thrown; parts stay
// under maxParts; each header block under maxHeaderBytes; no more body bytes come out than
// went in; part events nest (start, data*, end); after `finished` nothing more comes out.
import { DEFAULT_MULTIPART_LIMITS, MultipartError, MultipartParser, multipartBoundary } from '../../../daemon/marti/multipart.js';
import { check, chunks, type FuzzTarget } from '../target.js';

const FALLBACK_BOUNDARY = 'fuzzB0undary';

export const target: FuzzTarget = {
  name: 'marti-multipart',
  sources: ['daemon/marti/multipart'],
  dictionary: [
    'multipart/form-data; boundary=', 'multipart/form-data; boundary="a b"', '; boundary=', fuzzDelimiter(''), fuzzDelimiter('--'), '\r\n', '\r\n\r\n',
    'Content-Disposition: form-data; name="assetfile"; filename="a.zip"', 'Content-Type: application/zip', 'name=', 'filename=', '"', ';', ' ', '\t', ':',
  ],
  maxLength: 8192,
  fuzz(data) {
    // The first byte chooses the chunk size (chunks()); then a Content-Type line (up to 200
    // bytes); the rest is the body.
    if (data.length === 0) return;
    const rest = data.subarray(1);
    const newline = rest.subarray(0, 200).indexOf(0x0a);
    const contentType = newline < 0 ? undefined : rest.subarray(0, newline).toString('latin1');
    const boundary = multipartBoundary(contentType) ?? FALLBACK_BOUNDARY;
    const body = newline < 0 ? rest : rest.subarray(newline + 1);
    let inPart = false;
    let parts = 0;
    let bodyBytes = 0;
    let finishedAt = -1;
    let events = 0;
    const parser = new MultipartParser(boundary, {
      partStart(headers) {
        check(!inPart, 'a part started inside a part');
        for (const value of [headers.name, headers.filename, headers.contentType]) check(value === undefined || value.length <= DEFAULT_MULTIPART_LIMITS.maxHeaderBytes, 'a header value over the header limit');
        inPart = true;
        parts += 1;
        events += 1;
      },
      partData(chunk) {
        check(inPart, 'data outside a part');
        bodyBytes += chunk.length;
        events += 1;
      },
      partEnd() {
        check(inPart, 'a part ended that had not started');
        inPart = false;
        events += 1;
      },
    });
    try {
      for (const part of chunks(Buffer.concat([data.subarray(0, 1), body]))) {
        parser.write(part);
        if (parser.finished && finishedAt < 0) finishedAt = events;
      }
      parser.end();
      check(!inPart, 'finished inside a part');
    } catch (err) {
      check(err instanceof MultipartError, `threw ${err instanceof Error ? err.stack : String(err)}`);
    }
    check(parts <= DEFAULT_MULTIPART_LIMITS.maxParts, `${parts} parts over the limit`);
    check(bodyBytes <= body.length, `${bodyBytes} body bytes out of ${body.length} in`);
    check(finishedAt < 0 || finishedAt === events, 'events after the closing delimiter');
  },
};

function fuzzDelimiter(suffix: string): string {
  return `\r\n--${FALLBACK_BOUNDARY}${suffix}`;
}
