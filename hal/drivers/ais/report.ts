/**
 * One decoded AIS message, with gpsd's JSON field names and scaled units (what
 * `takd ais decode` prints and the golden tests compare): lat/lon degrees, speed knots,
 * course degrees true, heading whole degrees, draught metres, dimensions metres.
 * A field the message marks "not available" is left out; gpsd's unscaled integers for the
 * scaled fields are kept under `raw` so nothing is lost to rounding.
 */
export interface AisReport {
  type: number;
  repeat: number;
  mmsi: number;
  /** `AIVDM`, `AIVDO`, `BSVDM`, … */
  talker?: string;
  status?: number;
  lat?: number;
  lon?: number;
  /** Decoded lat/lon outside ±90/±180 without being the "not available" values. */
  position_invalid?: boolean;
  speed?: number;
  course?: number;
  heading?: number;
  accuracy?: boolean;
  raim?: boolean;
  second?: number;
  alt?: number;
  timestamp?: string;
  epfd?: number;
  imo?: number;
  callsign?: string;
  shipname?: string;
  shiptype?: number;
  to_bow?: number;
  to_stern?: number;
  to_port?: number;
  to_starboard?: number;
  eta?: string;
  draught?: number;
  destination?: string;
  aid_type?: number;
  name?: string;
  off_position?: boolean;
  virtual_aid?: boolean;
  vendorid?: string;
  model?: number;
  serial?: number;
  mothership_mmsi?: number;
  text?: string;
  gnss?: boolean;
  raw?: AisRawFields;
}

export interface AisRawFields {
  lat?: number;
  lon?: number;
  speed?: number;
  course?: number;
  heading?: number;
  turn?: number;
  alt?: number;
  draught?: number;
}
