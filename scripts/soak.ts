// npm run soak [-- --minutes N] [--binary PATH]: the soak scenario (test/bench/soak.ts)
// through the benchmark runner, which writes its section into BENCHMARKS.md (the plot and
// samples go to benchmarks/soak.svg and soak.csv). Bounded: the load stops after N minutes
// (default 30) plus at most a minute of drain. Loopback only.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    binary: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help === true) {
  console.log('usage: npm run soak -- [--minutes N (default 30)] [--binary PATH (default: build the single binary, else the tsc output)]');
  process.exit(0);
}
const minutes = Number(values.minutes);
if (!Number.isFinite(minutes) || minutes <= 0 || minutes > 24 * 60) {
  console.error(`soak: --minutes must be a number of minutes between 0 and 1440, not ${values.minutes}`);
  process.exit(2);
}
const runner = fileURLToPath(new URL('run-bench.js', import.meta.url));
const result = spawnSync(process.execPath, [runner, 'soak'], {
  stdio: 'inherit',
  env: { ...process.env, TAKD_SOAK_MINUTES: String(minutes), ...(values.binary !== undefined ? { TAKD_SOAK_BINARY: values.binary } : {}) },
});
process.exit(result.status ?? 1);
