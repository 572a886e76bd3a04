// `npm run crash-test [ITERATIONS] [SEED]`: the durable queue's kill -9 test at full size
// (issue 16 asks 1,000 iterations), with a summary. Exit status non-zero on any violation.
import { runCrashTest } from '../test/support/crash-queue.js';

// Ctrl-C: exit through process.exit, whose 'exit' handlers kill the running child.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

const iterations = Number(process.argv[2] ?? 1_000);
const seed = Number(process.argv[3] ?? 16);
const summary = await runCrashTest({ iterations, seed, progress: (line) => console.log(line) });
const { violations, ...numbers } = summary;
for (const [key, value] of Object.entries(numbers)) console.log(`${key.padEnd(24)} ${value}`);
for (const v of violations) console.log(`VIOLATION ${v}`);
const ok = violations.length === 0 && summary.lost === 0 && summary.duplicatesBeyondWindow === 0 && summary.badBodies === 0;
console.log(ok ? 'crash test: PASS' : 'crash test: FAIL');
process.exitCode = ok ? 0 : 1;
