// Targets that prove the fuzzer itself (runner.test.ts), not part of TARGETS: a crash behind
// four nested byte comparisons (2^32 random inputs on average, and still ~10^10 with the
// bytes in the dictionary: coverage feedback finds it one comparison at a time), an input
// that hangs, one that allocates without bound.
import type { FuzzTarget } from '../target.js';

const mode = process.env.TAKD_FUZZ_SELFCHECK ?? 'magic';

export const target: FuzzTarget = {
  name: 'selfcheck',
  sources: ['test/fuzz/targets/selfcheck'],
  extraFeedback: ['/build/test/fuzz/targets/selfcheck.js'],
  maxLength: 4,
  fuzz(data) {
    if (mode === 'magic') {
      if (data[0] === 0x46) {
        if (data[1] === 0x55) {
          if (data[2] === 0x5a) {
            if (data[3] === 0x21) throw new Error('magic reached');
          }
        }
      }
    } else if (data.length > 3 && mode === 'hang') {
      for (;;) {
        // spin
      }
    } else if (data.length > 3 && mode === 'oom') {
      const hoard: number[][] = [];
      for (;;) hoard.push(new Array(100_000).fill(data.length));
    }
  },
};
