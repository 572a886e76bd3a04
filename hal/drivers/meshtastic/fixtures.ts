// The spec's worked stream examples (radios.md §1.10), as bytes, for tests and the fuzzer.
const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

/** A: host → radio want_config_id = 0x1234ABCD; A2: heartbeat. */
export const EXAMPLE_A1 = hex('94 C3 00 06 18 CD D7 D2 91 01');
export const EXAMPLE_A2 = hex('94 C3 00 02 3A 00');
/** B: radio → host POSITION_APP from 0xDEADBEEF. */
export const EXAMPLE_B = hex(`94 C3 00 53 08 07 12 4F 0D EF BE AD DE 15 FF FF FF FF 22 25 08 03 12 21 0D F8 59 4D 1F 15 68 46 F9 07 18 2D 25 00 B9 55 69 28 02
  78 05 80 01 C0 A8 A5 04 98 01 09 B8 01 20 35 3D 2C 1B 0A 3D 05 B9 55 69 45 00 00 C8 40 48 02 60 A9 FF FF FF FF FF FF FF FF 01 78 03`);
/** C: radio → host ATAK_PLUGIN TAKPacket PLI from 0x1A2B3C4D. */
export const EXAMPLE_C = hex(`94 C3 00 74 08 08 12 70 0D 4D 3C 2B 1A 15 FF FF FF FF 22 46 08 48 12 42 12 23 0A 07 41 4C 50 48 41 2D 31
  12 18 41 4E 44 52 4F 49 44 2D 30 61 31 62 32 63 33 64 34 65 35 66 36 30 37 31 1A 04 08 01 10 0A 22 02 08 57
  2A 11 0D 79 DB 2F 17 15 F9 E4 07 D2 18 23 20 02 28 8E 02 35 EE FF C0 00 3D 0A B9 55 69 45 00 00 60 C0 48 03
  60 90 FF FF FF FF FF FF FF FF 01 78 03`);
/** D: host → radio broadcast text "hello mesh", id 0x5EED0001, hop_limit 3. */
export const EXAMPLE_D = hex('94 C3 00 1E 0A 1C 15 FF FF FF FF 22 0E 08 01 12 0A 68 65 6C 6C 6F 20 6D 65 73 68 35 01 00 ED 5E 48 03');

/** A1 + console text + B + C + D: a correct reader yields 4 frames and one log line. */
export const SPEC_STREAM = Buffer.concat([EXAMPLE_A1, Buffer.from('boot log line\r\n'), EXAMPLE_B, EXAMPLE_C, EXAMPLE_D]);
