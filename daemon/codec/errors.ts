/** Why a frame or event could not be decoded. Counted per reason; never thrown past a decoder's caller. */
export type DecodeErrorReason =
  | 'malformed-xml' // not well-formed XML (SAX error), or an unexpected structure
  | 'malformed-json' // a JSON line (takd's JSON form of CoT) that does not parse
  | 'not-an-event' // well-formed, but the root is not <event>
  | 'missing-field' // a required attribute or <point> is missing
  | 'bad-value' // an attribute that must be a number, time or range is not
  | 'doctype' // DOCTYPE / ENTITY declarations are refused (no entity expansion, ever)
  | 'invalid-utf8'
  | 'oversize' // larger than the configured limit
  | 'truncated' // a new <event> began before the previous one ended
  | 'garbage' // bytes between events that are not whitespace, declarations or comments
  | 'bad-header' // TAK protocol v1 framing: bad magic, varint or version
  | 'bad-protobuf'; // TAK protocol v1 payload does not decode

export class CotDecodeError extends Error {
  readonly reason: DecodeErrorReason;
  /** Byte offset of the problem in the input stream, when known. */
  offset: number | undefined;

  constructor(reason: DecodeErrorReason, message: string, offset?: number) {
    super(message);
    this.name = 'CotDecodeError';
    this.reason = reason;
    this.offset = offset;
  }
}

/** A counter per decode-error reason, for status.json and /metrics. */
export type DecodeErrorCounts = Record<DecodeErrorReason, number>;

export function newDecodeErrorCounts(): DecodeErrorCounts {
  return {
    'malformed-xml': 0,
    'malformed-json': 0,
    'not-an-event': 0,
    'missing-field': 0,
    'bad-value': 0,
    doctype: 0,
    'invalid-utf8': 0,
    oversize: 0,
    truncated: 0,
    garbage: 0,
    'bad-header': 0,
    'bad-protobuf': 0,
  };
}
