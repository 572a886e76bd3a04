// Wires a GPS source to the PLI reporter: every fix goes to the reporter, and a one-second
// tick forces reports before they go stale when the fixes stop.
import type { GnssFix, Source } from '../../hal/contract.js';
import type { PliReporter } from './reporter.js';

export interface OwnPositionTask {
  /** Resolves when the source ends (a replay file) or after stop(). */
  done: Promise<void>;
  stop(): Promise<void>;
}

export function runOwnPosition(source: Source<GnssFix>, reporter: PliReporter, tickMs = 1000): OwnPositionTask {
  const timer = setInterval(() => reporter.tick(), tickMs);
  const done = (async () => {
    try {
      for await (const fix of source.messages()) reporter.onFix(fix);
    } finally {
      clearInterval(timer);
    }
  })();
  return {
    done,
    async stop() {
      await source.stop();
      await done;
    },
  };
}
