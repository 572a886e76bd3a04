// CotStreamDecoder: a byte stream of CoT (a TCP/TLS connection, a serial line, a file) →
// events. It starts in XML (TAK protocol 0) and can switch to TAK protocol v1 stream
// frames at the exact byte after the event that negotiated the switch (spec §2.2, §4.1).
// Problems are reported to onError with a reason and the stream offset; decoding goes on.
import type { CotEvent } from './event.js';
import { CotDecodeError, newDecodeErrorCounts, type DecodeErrorCounts } from './errors.js';
import { decodeTakMessage, ProtoStreamDeframer } from './proto/index.js';
import { XmlEventDecoder } from './xml/decode.js';
import { DEFAULT_MAX_EVENT_BYTES, XmlEventFramer } from './xml/framer.js';

export interface CotStreamDecoderOptions {
  /** Largest event accepted, in bytes, in either protocol (default 64 KiB). */
  maxEventBytes?: number;
  /** Each decoded event with its raw frame (valid only during the call). */
  onEvent(event: CotEvent, frame: Buffer): void;
  onError(error: CotDecodeError): void;
}

export interface CotStreamCounters {
  events: number;
  errors: DecodeErrorCounts;
}

export class CotStreamDecoder {
  readonly counters: CotStreamCounters = { events: 0, errors: newDecodeErrorCounts() };
  private readonly xmlFramer: XmlEventFramer;
  private readonly xmlDecoder = new XmlEventDecoder();
  private readonly protoDeframer: ProtoStreamDeframer;
  private readonly onEvent: (event: CotEvent, frame: Buffer) => void;
  private readonly onError: (error: CotDecodeError) => void;
  private current: 0 | 1 = 0;
  private requested: 0 | 1 = 0;

  constructor(options: CotStreamDecoderOptions) {
    const maxBytes = options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
    this.onEvent = options.onEvent;
    this.onError = options.onError;
    this.xmlFramer = new XmlEventFramer({ maxEventBytes: maxBytes, onError: this.reportError });
    this.protoDeframer = new ProtoStreamDeframer({ maxBytes });
  }

  get protocol(): 0 | 1 {
    return this.requested;
  }

  /** 0 = XML, 1 = TAK v1 stream frames. Inside onEvent it takes effect right after that event. */
  setProtocol(version: 0 | 1): void {
    this.requested = version;
  }

  /** True while an event has begun arriving and is not complete yet (for a per-event deadline). */
  get midEvent(): boolean {
    return this.current === 0 ? this.xmlFramer.midEvent : this.protoDeframer.midFrame;
  }

  /** Forget partial frames (after a reconnect) and go back to XML. */
  reset(): void {
    this.xmlFramer.reset();
    this.protoDeframer.reset();
    this.current = this.requested = 0;
  }

  /** Never throws on input. */
  push(chunk: Buffer): void {
    let rest: Buffer | undefined = chunk;
    while (rest !== undefined && rest.length > 0) {
      this.current = this.requested;
      if (this.current === 0) {
        rest = this.xmlFramer.push(rest, this.onXmlFrame);
      } else {
        this.protoDeframer.push(rest, this.onProtoFrame, this.reportError);
        rest = undefined;
      }
    }
  }

  private readonly reportError = (error: CotDecodeError): void => {
    this.counters.errors[error.reason]++;
    this.onError(error);
  };

  /** Returns true to stop XML framing when the protocol was switched inside onEvent. */
  private readonly onXmlFrame = (frame: Buffer, offset: number): boolean => {
    let event: CotEvent;
    try {
      event = this.xmlDecoder.decode(frame);
    } catch (err) {
      this.reportDecodeFailure(err, offset);
      return false;
    }
    this.counters.events++;
    this.onEvent(event, frame);
    return this.requested !== 0;
  };

  /** Returns false for a payload that is not a TakMessage, so the deframer hunts through it again. */
  private readonly onProtoFrame = (payload: Buffer): boolean => {
    let event: CotEvent | undefined;
    try {
      event = decodeTakMessage(payload).event;
    } catch (err) {
      this.reportDecodeFailure(err, undefined);
      return false;
    }
    if (event === undefined) return true; // a pure TakControl message: nothing to deliver
    this.counters.events++;
    this.onEvent(event, payload);
    return true;
  };

  private reportDecodeFailure(err: unknown, offset: number | undefined): void {
    if (!(err instanceof CotDecodeError)) throw err;
    err.offset ??= offset;
    this.reportError(err);
  }
}
