/**
 * One TakMessage ⇄ bytes: the payload of every TAK protocol v1 frame, mesh or stream.
 */
import { CotDecodeError } from '../errors.js';
import type { CotEvent } from '../event.js';
import { controlToWire, wireToControl } from './control.js';
import type { TakControlInfo } from './control.js';
import { eventToWire, wireToEvent } from './event-mapping.js';
import { TakMessageType } from './schema.js';
import type { WireTakMessage } from './schema.js';

export interface DecodedTakMessage {
  event?: CotEvent;
  control?: TakControlInfo;
}

export function takMessageToWire(event: CotEvent | undefined, control?: TakControlInfo): WireTakMessage {
  const wire: WireTakMessage = {};
  if (control) wire.takControl = controlToWire(control);
  if (event) wire.cotEvent = eventToWire(event);
  return wire;
}

/** Throws an Error (not a decode error) when the event lacks a required core field. */
export function encodeTakMessage(event: CotEvent | undefined, control?: TakControlInfo): Uint8Array {
  return TakMessageType.encode(takMessageToWire(event, control)).finish();
}

/** Throws CotDecodeError: bad-protobuf (wire format), missing-field, bad-value, malformed-xml (xmlDetail). */
export function decodeTakMessage(bytes: Uint8Array): DecodedTakMessage {
  let wire: WireTakMessage;
  try {
    wire = TakMessageType.decode(bytes) as WireTakMessage;
  } catch (error) {
    throw new CotDecodeError('bad-protobuf', `TAK v1 payload does not decode: ${(error as Error).message}`);
  }
  const decoded: DecodedTakMessage = {};
  if (wire.takControl) decoded.control = wireToControl(wire.takControl);
  if (wire.cotEvent) decoded.event = wireToEvent(wire.cotEvent);
  return decoded;
}
