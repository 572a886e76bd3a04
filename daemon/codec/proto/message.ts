/**
 * One TakMessage ⇄ bytes: the payload of every TAK protocol v1 frame, mesh or stream.
 */
import { CotDecodeError } from '../errors.js';
import type { CotEvent } from '../event.js';
import { controlToWire, wireToControl } from './control.js';
import type { TakControlInfo } from './control.js';
import { readTakMessage } from './decode.js';
import { writeTakMessage } from './encode.js';
import { eventToWire, wireToEvent } from './event-mapping.js';
import type { WireTakMessage } from './schema.js';
import { ProtoWriter } from './writer.js';

export interface DecodedTakMessage {
  event?: CotEvent;
  control?: TakControlInfo;
}

/** The reusable scratch writer of every encode in this process (encodes are synchronous). */
export const sharedWriter = new ProtoWriter();

/**
 * The message as a protobufjs object: the reference mapping, for tests and the codec
 * benchmark (the codec itself writes the bytes straight from the event, encode.ts).
 */
export function takMessageToWire(event: CotEvent | undefined, control?: TakControlInfo): WireTakMessage {
  const wire: WireTakMessage = {};
  if (control) wire.takControl = controlToWire(control);
  if (event) wire.cotEvent = eventToWire(event);
  return wire;
}

/** Throws an Error (not a decode error) when the event lacks a required core field. */
export function encodeTakMessage(event: CotEvent | undefined, control?: TakControlInfo): Buffer {
  sharedWriter.reset();
  writeTakMessage(sharedWriter, event, control);
  return sharedWriter.finish();
}

/** Throws CotDecodeError: bad-protobuf (wire format, bad UTF-8), missing-field, bad-value, malformed-xml (xmlDetail). */
export function decodeTakMessage(bytes: Uint8Array): DecodedTakMessage {
  let wire: WireTakMessage;
  try {
    wire = readTakMessage(bytes);
  } catch (error) {
    throw new CotDecodeError('bad-protobuf', `TAK v1 payload does not decode: ${(error as Error).message}`);
  }
  const decoded: DecodedTakMessage = {};
  if (wire.takControl) decoded.control = wireToControl(wire.takControl);
  if (wire.cotEvent) decoded.event = wireToEvent(wire.cotEvent);
  return decoded;
}
