// NMEA 0183 from a GNSS receiver: LineFramer → NmeaGnssDecoder. Never throws; every fix is
// physically sane; an epoch is bounded; framer counters agree with the sentences emitted.
import type { GnssFix } from '../../../hal/contract.js';
import { LineFramer } from '../../../hal/framers/lines.js';
import { NmeaGnssDecoder } from '../../../hal/drivers/nmea-gnss/decoder.js';
import { check, chunks, type FuzzTarget } from '../target.js';
import { NMEA_DICTIONARY } from './dictionaries.js';

function checkFix(fix: GnssFix): void {
  check([0, 1, 2, 3].includes(fix.mode), `mode ${fix.mode}`);
  if (fix.mode < 2) check(fix.lat === undefined, 'a position without a fix');
  if (fix.lat !== undefined) check(Number.isFinite(fix.lat) && Math.abs(fix.lat) <= 90, `lat ${fix.lat}`);
  if (fix.lon !== undefined) check(Number.isFinite(fix.lon) && Math.abs(fix.lon) <= 180, `lon ${fix.lon}`);
  for (const key of ['speed', 'track', 'altMSL', 'altHAE', 'time', 'eph', 'epv', 'hdop'] as const) {
    if (fix[key] !== undefined) check(Number.isFinite(fix[key]), `${key} ${fix[key]}`);
  }
  check(fix.sentences.length <= 64, 'an epoch is bounded');
}

export const target: FuzzTarget = {
  name: 'nmea',
  sources: ['hal/framers/lines', 'hal/drivers/nmea-gnss/decoder', 'hal/drivers/nmea-gnss/sentences', 'hal/drivers/nmea-gnss/fields', 'hal/drivers/nmea-gnss/fix', 'hal/drivers/nmea-gnss/fix-mode', 'hal/drivers/nmea-gnss/epoch', 'hal/drivers/nmea-gnss/date-tracker'],
  dictionary: NMEA_DICTIONARY,
  maxLength: 4096,
  fuzz(data) {
    const framer = new LineFramer();
    const decoder = new NmeaGnssDecoder();
    let sentences = 0;
    for (const chunk of chunks(data)) {
      framer.push(chunk, (sentence) => {
        sentences++;
        check(sentence.length <= 256, `sentence of ${sentence.length} characters`);
        decoder.decode(sentence, checkFix);
      });
    }
    decoder.flush(checkFix);
    check(framer.counters.frames === sentences, `framer counted ${framer.counters.frames} frames, emitted ${sentences}`);
    check(framer.counters.bytesDropped <= data.length, 'dropped more bytes than it was given');
  },
};
