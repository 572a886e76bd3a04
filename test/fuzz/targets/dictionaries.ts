// Tokens the mutator inserts, per syntax.

export const XML_DICTIONARY = [
  '<event', '</event>', '<event version="2.0" uid="u" type="a-f-G" time="2024-05-01T12:00:00Z" start="2024-05-01T12:00:00Z" stale="2024-05-01T12:05:00Z" how="m-g">',
  '<point lat="1" lon="2" hae="0" ce="9999999" le="9999999"/>', '<detail>', '</detail>', '<detail/>', '<contact callsign="A"/>', '<remarks>', '</remarks>',
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>', '<?xml', '<?x ', '?>', '<!--', '-->', '<![CDATA[', ']]>', '<!DOCTYPE x [<!ENTITY a "b">]>',
  '&amp;', '&lt;', '&#x41;', '&#65;', '&bogus;', '"', "'", '=', '/>', '>', '<', '</', ' ', '\t', '\r\n', '\u00bf', '\xef\xbb\xbf', '\xc3\xa9', '\xed\xa0\x80', '\x00',
  'uid=', 'type=', 'time=', 'lat=', 'lon=', 'hae=', 'NaN', 'Infinity', '1e999', '-0', '2024-13-40T25:61:61Z', '.5', '+1',
];

export const GOOD_EVENT = Buffer.from('<event version="2.0" uid="fuzz-check" type="a-f-G-U-C" time="2024-05-01T12:00:00Z" start="2024-05-01T12:00:00Z" stale="2024-05-01T12:05:00Z" how="m-g"><point lat="48.1" lon="11.5" hae="500" ce="10" le="10"/><detail/></event>');

export const PROTO_DICTIONARY = [
  Buffer.from([0xbf]), Buffer.from([0xbf, 0x01, 0xbf]), Buffer.from([0x0a]), Buffer.from([0x12]), Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]),
  Buffer.from([0x80]), Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]), Buffer.from([0x00]), Buffer.from([0x08, 0x01]),
  Buffer.from([0x11]), Buffer.from([0x19]), Buffer.from([0x21]), Buffer.from([0x29]), Buffer.from([0x31]), Buffer.from([0x39]), Buffer.from([0x1a]), Buffer.from([0x22]),
  '<contact callsign="A"/>', '<__group name="Cyan" role="Team Member"/>', '<takv platform="x"/>', '<status battery="50"/>', '<track course="1" speed="2"/>',
];

export const NMEA_DICTIONARY = [
  '$GPGGA,', '$GNRMC,', '$GPGSA,', '$GPGLL,', '$GNGNS,', '$GPVTG,', '$GPZDA,', '$GPGSV,', '$GLGSV,', '$PUBX,', '*', '\r\n', ',', ',,', 'N', 'S', 'E', 'W', 'A', 'V', 'M',
  '4807.038', '01131.000', '123519', '123519.00', '230394', '0.9', '545.4', '-', '99.99', '9999', '00', '1', '2', '3', '6',
];

export const AIS_DICTIONARY = [
  '!AIVDM,', '!AIVDO,', '!BSVDM,', '1,1,,A,', '2,1,3,B,', '2,2,3,B,', ',0*', '*', '\r\n', ',', '0', '5', '13u?etPv2;0n:dDPwUM1U1Cb069D', '0000', 'wwww', '`', 'a', ':', ';', '@', 'W',
  '$GPGGA,', '\\s:x,c:1*00\\',
];

export const KISS_DICTIONARY = [
  Buffer.from([0xc0]), Buffer.from([0xdb]), Buffer.from([0xdb, 0xdc]), Buffer.from([0xdb, 0xdd]), Buffer.from([0xc0, 0x00]), Buffer.from([0x03, 0xf0]), Buffer.from([0x80]),
  '!4903.50N/07201.75W-', '=', '@092345z', '/092345z', ';OBJECT   *', ')ITEM!', ':ADDRESSEE:', '`', "'", '{', '}', '/A=001234', 'PHG', 'RNG', '!!', '|', 'z', 'h', '/', '\\',
];

export const MESHTASTIC_DICTIONARY = [
  Buffer.from([0x94, 0xc3]), Buffer.from([0x94, 0xc3, 0x00]), Buffer.from([0x02, 0x00]), Buffer.from([0xff, 0xff, 0xff, 0xff]), Buffer.from([0x08]), Buffer.from([0x10]),
  Buffer.from([0x12]), Buffer.from([0x1a]), Buffer.from([0x22]), Buffer.from([0x2a]), Buffer.from([0x0d]), Buffer.from([0x15]), Buffer.from([0x48]), Buffer.from([0x01]),
  Buffer.from([0x80, 0x01]), Buffer.from([0xff, 0x01]), '\r\n', 'INFO  | ',
];

export const INI_DICTIONARY = [
  '[takd]', '[source.gps]', '[output.mesh]', '[output.server]', '[input.tcp]', '[pytak]', '[log]', '[radio.ais]', '[]', '[', ']', '=', ':', ';', '#', '\n', '\r\n', ' ', '\t', '\uFEFF',
  'callsign = ', 'driver = nmea-gnss', 'link = serial:///dev/ttyUSB0?baud=9600', 'url = udp://239.2.3.1:6969', 'url = tls://h:8089', 'cert = ', 'ttl = 1', 'level = debug',
  'COT_URL = ', 'PYTAK_TLS_DONT_VERIFY = yes', 'interface = eth0', 'true', 'false', '0', '-1', '99999999999999999999', '${', '%',
  '[status]', 'tiles = https://t.example/{z}/{x}/{y}.png', '{z}', '{x}', '{y}', 'https://', 'http://[::1]:', '@', 'client_ca = ', 'client_cert = required',
];
