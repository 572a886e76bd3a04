// npm run bench: runs every scenario in test/bench/ (one file each) in its own Node process
// (with --expose-gc, so memory can be measured), and writes BENCHMARKS.md.
// `npm run bench -- codec` runs only the scenarios whose file name contains "codec" and
// leaves the other sections of BENCHMARKS.md as they were.
// Long scenarios (LONG_SCENARIOS: the soak) run only when named: `npm run soak` does.
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const buildRoot = fileURLToPath(new URL('..', import.meta.url));
const benchDir = join(buildRoot, 'test/bench');
const output = join(process.cwd(), 'BENCHMARKS.md');
const only = process.argv.slice(2);

const scenarios = readdirSync(benchDir)
  .filter((f) => f.endsWith('.js'))
  .map((f) => basename(f, '.js'))
  .sort();
/** Scenarios that take tens of minutes: never part of a plain `npm run bench`. */
const LONG_SCENARIOS = new Set(['soak']);
const selected = scenarios.filter((s) => (only.length === 0 ? !LONG_SCENARIOS.has(s) : only.some((o) => s.includes(o))));

// Keep earlier results for scenarios not run this time (sections are marked by file name).
const previous = new Map<string, string>();
if (existsSync(output)) {
  const text = readFileSync(output, 'utf8');
  for (const match of text.matchAll(/<!-- scenario: (\S+) -->\n([\s\S]*?)(?=<!-- scenario: |$)/g)) previous.set(match[1], match[2]);
}

let failed = 0;
for (const scenario of selected) {
  console.log(`bench: ${scenario} …`);
  const runner = `import(${JSON.stringify(join(benchDir, `${scenario}.js`))}).then((m) => m.default()).then((md) => process.stdout.write(md))`;
  const result = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', runner], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.status !== 0) {
    failed++;
    console.error(`bench: ${scenario} failed with status ${result.status}`);
    continue;
  }
  previous.set(scenario, `${result.stdout.trim()}\n\n`);
  console.log(result.stdout);
}

const sections = scenarios.filter((s) => previous.has(s)).map((s) => `<!-- scenario: ${s} -->\n${previous.get(s)}`);
const header = `# takd benchmarks\n\nWritten by \`npm run bench\` (scripts/run-bench.ts); one scenario per file in test/bench/. Numbers are medians; this machine is shared and noisy, so compare ratios measured in the same run rather than absolute rates across runs.\n\n`;
writeFileSync(output, header + sections.join(''));
console.log(`bench: wrote ${output}`);
process.exit(failed === 0 ? 0 : 1);
