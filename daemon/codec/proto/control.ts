/**
 * TakControl (spec §4.2, §5.2): which TAK protocol versions a mesh node can decode.
 * On the wire 0 (unset) means 1; a decoded control with min > max is refused.
 */
import { CotDecodeError } from '../errors.js';
import type { WireTakControl } from './schema.js';

export interface TakControlInfo {
  minProtoVersion: number;
  maxProtoVersion: number;
  /** The sender's uid; may be absent when the same message carries its cotEvent. */
  contactUid?: string;
}

export function controlToWire(control: TakControlInfo): WireTakControl {
  const wire: WireTakControl = { minProtoVersion: control.minProtoVersion, maxProtoVersion: control.maxProtoVersion };
  if (control.contactUid) wire.contactUid = control.contactUid;
  return wire;
}

export function wireToControl(wire: WireTakControl): TakControlInfo {
  const control: TakControlInfo = {
    minProtoVersion: wire.minProtoVersion || 1,
    maxProtoVersion: wire.maxProtoVersion || 1,
  };
  if (control.minProtoVersion > control.maxProtoVersion) {
    throw new CotDecodeError(
      'bad-value',
      `TakControl min version ${control.minProtoVersion} > max ${control.maxProtoVersion}`,
    );
  }
  if (wire.contactUid) control.contactUid = wire.contactUid;
  return control;
}
